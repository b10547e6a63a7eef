// Package zone validates IANA time zone names and caches the loaded locations, so the hot cached
// /api/periods path does not parse tzdata on every request.
//
// Only canonical names are accepted: the zones of tzdata's zone1970.tab and zone.tab, plus UTC,
// from the list the analyzer's WebAssembly build accepts too (analyzer/zones, embedded in the
// binary), so what is accepted does not depend on the host's zoneinfo. time.LoadLocation alone
// would also load every alias the host's zoneinfo directory happens to resolve
// (America/./New_York, Asia//Tokyo, right/Asia/Tokyo, posixrules, backward links), and each
// would become one more cache entry here and one more analysis cached in Redis under its own
// key. With canonical names only, both are bounded by the list (about 420 names) and a zone has
// exactly one name everywhere.
package zone

import (
	"sync"
	"time"

	"github.com/nezame/nezame/analyzer/zones"
)

// Names returns the accepted zone names, sorted.
func Names() []string { return zones.Names() }

// Cache loads and remembers time zones. Its zero value is ready to use; it holds at most one
// location per canonical name.
type Cache struct {
	once  sync.Once
	names map[string]bool
	locs  sync.Map // name -> *time.Location
}

// Load returns the location for a canonical IANA zone name. Empty means UTC. Anything else
// (aliases, "Local", paths, other spellings) is refused, whatever the server's own zoneinfo holds.
func (c *Cache) Load(name string) (*time.Location, bool) {
	if name == "" {
		return time.UTC, true
	}
	if v, ok := c.locs.Load(name); ok {
		return v.(*time.Location), true
	}
	c.once.Do(func() {
		c.names = map[string]bool{}
		for _, n := range Names() {
			c.names[n] = true
		}
	})
	if !c.names[name] {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	c.locs.Store(name, loc)
	return loc, true
}

// Len is how many locations the cache holds.
func (c *Cache) Len() int {
	n := 0
	c.locs.Range(func(any, any) bool { n++; return true })
	return n
}
