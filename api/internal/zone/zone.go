// Package zone validates IANA time zone names and caches the loaded locations, so the hot cached
// /api/periods path does not parse tzdata on every request.
package zone

import (
	"strings"
	"sync"
	"time"
)

// Cache loads and remembers time zones. Only valid names are cached, so its size is bounded by
// the tz database (about 600 names).
type Cache struct {
	m sync.Map // name -> *time.Location
}

// Load returns the location for an IANA zone name. Empty means UTC. "Local", paths and anything
// that is not in the tz database are refused, whatever the server's own zone is.
func (c *Cache) Load(name string) (*time.Location, bool) {
	if name == "" {
		return time.UTC, true
	}
	if v, ok := c.m.Load(name); ok {
		return v.(*time.Location), true
	}
	if name == "Local" || len(name) > 64 || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	c.m.Store(name, loc)
	return loc, true
}
