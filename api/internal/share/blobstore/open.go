// Package blobstore keeps the share service's small JSON blobs (share records and the per-owner
// index) in a directory or a Cloud Storage bucket, named by SHARE_STORE. Names are a few
// "/"-separated segments of the base64url alphabet; each blob is stored as NAME.json.
package blobstore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/nezame/nezame/api/internal/gcs"
)

// ErrNotFound is returned by Get when no blob has the name.
var ErrNotFound = errors.New("blobstore: not found")

// MaxBlobBytes bounds a blob read back: records are a few KiB, index markers a few bytes.
const MaxBlobBytes = 1 << 20

// segment is one part of a name: no dots, slashes or anything a path could be made of.
var segment = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// checkName refuses anything but 1 to 4 segments joined by "/", so no name can reach outside
// the store, whatever the caller validated before.
func checkName(name string) error {
	parts := strings.Split(name, "/")
	if len(parts) > 4 {
		return fmt.Errorf("blobstore: invalid name %q", name)
	}
	for _, p := range parts {
		if !segment.MatchString(p) {
			return fmt.Errorf("blobstore: invalid name %q", name)
		}
	}
	return nil
}

// GCSOptions are what a gs:// store needs beyond its URI.
type GCSOptions struct {
	// Endpoint of the Cloud Storage API; empty means the public one.
	Endpoint string
	// Tokens authorizes calls; nil means the metadata server's service-account token (Cloud Run).
	Tokens gcs.TokenSource
}

// Open opens the store named by a SHARE_STORE URI: "file://./data/shares" (a relative or
// absolute directory, created if missing) or "gs://bucket/prefix".
func Open(uri string, o GCSOptions) (Store, error) {
	switch {
	case strings.HasPrefix(uri, "file://"):
		dir := strings.TrimPrefix(uri, "file://")
		if dir == "" {
			return nil, fmt.Errorf("SHARE_STORE %q: empty directory", uri)
		}
		return NewFile(dir)
	case strings.HasPrefix(uri, "gs://"):
		u, err := url.Parse(uri)
		if err != nil {
			return nil, fmt.Errorf("SHARE_STORE %q: %w", uri, err)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("SHARE_STORE %q: missing bucket", uri)
		}
		tokens := o.Tokens
		if tokens == nil {
			tokens = gcs.NewMetadataTokens(gcs.MetadataTokenURL, &http.Client{Timeout: 5 * time.Second}, time.Now)
		}
		c := gcs.New(gcs.Options{Endpoint: o.Endpoint, Tokens: tokens, HTTPClient: &http.Client{Timeout: 30 * time.Second}})
		return NewGCS(c, u.Host, strings.Trim(u.Path, "/")), nil
	}
	return nil, fmt.Errorf("SHARE_STORE %q: want file://DIR or gs://BUCKET/PREFIX", uri)
}

// Store is what both adapters implement.
type Store interface {
	// Put writes data under name; expires (zero: never) lets the backend drop it by itself.
	Put(ctx context.Context, name string, data []byte, expires time.Time) error
	// Get reads a blob; ErrNotFound when absent.
	Get(ctx context.Context, name string) ([]byte, error)
	// Delete removes a blob; absent is not an error.
	Delete(ctx context.Context, name string) error
	// List returns the names of the blobs directly under dir, in name order.
	List(ctx context.Context, dir string) ([]string, error)
}
