package zone

import "testing"

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
		{"UTC", true, "UTC"},
		{"Local", false, ""},
		{"Mars/Olympus_Mons", false, ""},
		{"../../etc/passwd", false, ""},
		{"/etc/localtime", false, ""},
		{"+09:00", false, ""},
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
