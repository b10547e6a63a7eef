package zone

import (
	"testing"
	"time"
	_ "time/tzdata" // the list must load from Go's own tzdata as in the distroless image
)

func TestLoad(t *testing.T) {
	var c Cache
	for _, tc := range []struct {
		name string
		ok   bool
		want string
	}{
		{"", true, "UTC"},
		{"Asia/Tokyo", true, "Asia/Tokyo"},
		{"America/New_York", true, "America/New_York"},
		{"America/Argentina/Buenos_Aires", true, "America/Argentina/Buenos_Aires"},
		{"Asia/Kolkata", true, "Asia/Kolkata"},
		{"UTC", true, "UTC"},
		{"Local", false, ""},
		{"Mars/Olympus_Mons", false, ""},
		{"../../etc/passwd", false, ""},
		{"/etc/localtime", false, ""},
		{"+09:00", false, ""},
		// Aliases the host's zoneinfo resolves, each of which used to be a new cache entry.
		{"America/./New_York", false, ""},
		{"Asia//Tokyo", false, ""},
		{"Asia/Tokyo/", false, ""},
		{"right/Asia/Tokyo", false, ""},
		{"posix/Asia/Tokyo", false, ""},
		{"posixrules", false, ""},
		{"asia/tokyo", false, ""},
		// Backward-compatibility links and legacy names: not canonical.
		{"Asia/Calcutta", false, ""},
		{"US/Eastern", false, ""},
		{"Japan", false, ""},
		{"Etc/UTC", false, ""},
		{"GMT", false, ""},
		{"EST", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // the second lookup comes from the cache
				loc, ok := c.Load(tc.name)
				if ok != tc.ok || (ok && loc.String() != tc.want) {
					t.Fatalf("Load(%q) = %v, %v; want %q, %v", tc.name, loc, ok, tc.want, tc.ok)
				}
			}
		})
	}
}

func TestCacheIsBoundedByTheList(t *testing.T) {
	var c Cache
	names := Names()
	for _, n := range names {
		if _, ok := c.Load(n); !ok {
			t.Fatalf("listed zone %q refused", n)
		}
		for _, alias := range []string{"right/" + n, "posix/" + n, "./" + n, n + "/"} {
			if _, ok := c.Load(alias); ok {
				t.Fatalf("alias %q accepted", alias)
			}
		}
	}
	if c.Len() != len(names) {
		t.Fatalf("cache holds %d locations for %d names", c.Len(), len(names))
	}
	if len(names) < 400 || len(names) > 500 {
		t.Fatalf("%d canonical names; tzdata has about 420", len(names))
	}
}

// TestListedZonesLoad checks that every listed name is a zone Go can load and knows by that name.
func TestListedZonesLoad(t *testing.T) {
	for _, n := range Names() {
		loc, err := time.LoadLocation(n)
		if err != nil || loc.String() != n {
			t.Errorf("%s: %v %v", n, loc, err)
		}
	}
}
