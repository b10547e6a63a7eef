package share

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotFound is returned by Store.Get when no blob has the id.
var ErrNotFound = errors.New("share: not found")

// Store is the blob store behind SHARE_STORE. Ids are validated by the caller and again by the
// implementations; Delete of an absent id is not an error.
type Store interface {
	Put(ctx context.Context, id string, data []byte) error
	Get(ctx context.Context, id string) ([]byte, error) // ErrNotFound when absent
	Delete(ctx context.Context, id string) error
}

// OpenStore opens the store named by a SHARE_STORE URI: "file://./data/shares" (a relative or
// absolute directory, created if missing) or "gs://bucket/prefix".
func OpenStore(ctx context.Context, uri string) (Store, error) {
	switch {
	case strings.HasPrefix(uri, "file://"):
		dir := strings.TrimPrefix(uri, "file://")
		if dir == "" {
			return nil, fmt.Errorf("SHARE_STORE %q: empty directory", uri)
		}
		return NewFileStore(dir)
	case strings.HasPrefix(uri, "gs://"):
		u, err := url.Parse(uri)
		if err != nil {
			return nil, fmt.Errorf("SHARE_STORE %q: %w", uri, err)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("SHARE_STORE %q: missing bucket", uri)
		}
		return NewGCSStore(ctx, u.Host, strings.Trim(u.Path, "/"))
	}
	return nil, fmt.Errorf("SHARE_STORE %q: want file://DIR or gs://BUCKET/PREFIX", uri)
}
