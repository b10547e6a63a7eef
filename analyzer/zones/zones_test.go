package zones

import (
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the list must load from Go's own tzdata, as in the distroless image and the browser
)

func TestCanonical(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"Asia/Tokyo", true},
		{"America/Argentina/Buenos_Aires", true},
		{"UTC", true},
		{"", false},
		{"Local", false},
		{"../../etc/passwd", false},
		{"America/./New_York", false},
		{"Asia//Tokyo", false},
		{"Asia/Tokyo/", false},
		{" Asia/Tokyo", false},
		{"right/Asia/Tokyo", false},
		{"posixrules", false},
		{"asia/tokyo", false},
		{"Asia/Calcutta", false},
		{"US/Eastern", false},
		{"Etc/UTC", false},
		{"# Canonical IANA time zone names nezame accepts: every zone in tzdata's zone1970.tab and", false},
	} {
		if got := Canonical(tc.name); got != tc.ok {
			t.Errorf("Canonical(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
	for _, n := range Names() {
		if !Canonical(n) {
			t.Errorf("listed %q is not canonical", n)
		}
	}
}

// TestListedZonesLoad checks that every listed name is a zone Go can load and knows by that
// name, and that the list is sorted, without duplicates, and about tzdata's size.
func TestListedZonesLoad(t *testing.T) {
	t.Parallel()
	names := Names()
	for _, n := range names {
		loc, err := time.LoadLocation(n)
		if err != nil || loc.String() != n {
			t.Errorf("%s: %v %v", n, loc, err)
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("the list is not sorted and distinct")
	}
	if len(names) < 400 || len(names) > 500 {
		t.Fatalf("%d canonical names; tzdata has about 420", len(names))
	}
}
