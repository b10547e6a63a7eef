package analyzer

import (
	"slices"
	"testing"
	"time"

	"github.com/nezame/nezame/analyzer/zones"
)

func TestWeekend(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone string
		want []time.Weekday
	}{
		{"Europe/London", []time.Weekday{time.Sunday, time.Saturday}},
		{"Asia/Tokyo", []time.Weekday{time.Sunday, time.Saturday}},
		{"UTC", []time.Weekday{time.Sunday, time.Saturday}},
		{"Asia/Dubai", []time.Weekday{time.Sunday, time.Saturday}},  // since 2022
		{"Asia/Tehran", []time.Weekday{time.Sunday, time.Saturday}}, // not a two-day weekend: the default
		{"Asia/Riyadh", []time.Weekday{time.Friday, time.Saturday}},
		{"Asia/Jerusalem", []time.Weekday{time.Friday, time.Saturday}},
		{"Africa/Cairo", []time.Weekday{time.Friday, time.Saturday}},
		{"Asia/Dhaka", []time.Weekday{time.Friday, time.Saturday}},
		{"Asia/Brunei", []time.Weekday{time.Sunday, time.Friday}},
		{"Not/AZone", []time.Weekday{time.Sunday, time.Saturday}},
	} {
		if got := Weekend(tc.zone); !slices.Equal(got, tc.want) {
			t.Errorf("Weekend(%q) = %v, want %v", tc.zone, got, tc.want)
		}
	}
}

// TestWeekendZonesAreCanonical: every zone given its own weekend is one the service accepts (a
// link or a misspelling would never match, and its people would silently get Saturday and
// Sunday).
func TestWeekendZonesAreCanonical(t *testing.T) {
	t.Parallel()
	n := 0
	for _, name := range zones.Names() {
		if weekendOf(name) != saturdaySunday {
			n++
		}
	}
	if n != 19 { // the 18 Friday-and-Saturday zones and Brunei
		t.Errorf("%d canonical zones with their own weekend, want 19", n)
	}
}
