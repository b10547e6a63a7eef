package share

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The per-owner index lives in the same durable store as the records, one empty marker per share
// whose name says everything the list needs:
//
//	owners/<owner>/<created, Unix ms, 13 digits>_<id>_<expires, Unix ms or 0>_<content hash>
//
// so listing a person's shares is one listing call, and no read-modify-write of a shared index
// can lose a concurrent creation. A marker expires with its share (the store may drop it by
// itself; the service drops the ones it meets).

var ownerPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// validOwner reports whether an owner id can name an index directory (Twitter ids are digits).
func validOwner(owner string) bool { return ownerPattern.MatchString(owner) }

func ownerDir(owner string) string { return "owners/" + owner }

// entry is one share in an owner's index.
type entry struct {
	ID      string
	Created time.Time
	Expires *time.Time
	Hash    string
}

func (e entry) markerName(owner string) string {
	exp := int64(0)
	if e.Expires != nil {
		exp = e.Expires.UnixMilli()
	}
	return fmt.Sprintf("%s/%013d_%s_%d_%s", ownerDir(owner), e.Created.UnixMilli(), e.ID, exp, e.Hash)
}

func entryOf(rec Record) entry {
	return entry{ID: rec.ID, Created: rec.Created, Expires: rec.Expires, Hash: rec.Hash}
}

// parseMarker reads a marker's base name; ok is false for anything else in the directory.
func parseMarker(base string) (entry, bool) {
	created, rest, ok := strings.Cut(base, "_")
	if !ok || len(created) != 13 || len(rest) < 23 || rest[22] != '_' {
		return entry{}, false
	}
	id := rest[:22]
	exp, hash, ok := strings.Cut(rest[23:], "_")
	if !ok || !ValidID(id) {
		return entry{}, false
	}
	c, err1 := strconv.ParseInt(created, 10, 64)
	x, err2 := strconv.ParseInt(exp, 10, 64)
	if err1 != nil || err2 != nil {
		return entry{}, false
	}
	e := entry{ID: id, Created: time.UnixMilli(c).UTC(), Hash: hash}
	if x != 0 {
		t := time.UnixMilli(x).UTC()
		e.Expires = &t
	}
	return e, true
}

// sortNewestFirst orders entries by creation, newest first (ids break ties).
func sortNewestFirst(es []entry) {
	slices.SortFunc(es, func(a, b entry) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}
