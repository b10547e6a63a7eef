package loadtest

import (
	"slices"
	"testing"
	"time"
)

func TestRampRate(t *testing.T) {
	r := ramp{2, 5, 50, 100}
	d := 60 * time.Second
	tests := []struct {
		at   time.Duration
		want float64
	}{
		{0, 2}, {10 * time.Second, 3.5}, {20 * time.Second, 5}, {30 * time.Second, 27.5},
		{40 * time.Second, 50}, {60 * time.Second, 100}, {90 * time.Second, 100},
	}
	for _, tc := range tests {
		if got := r.rate(tc.at, d); got != tc.want {
			t.Errorf("rate(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
	if got := (ramp{7}).rate(time.Hour, d); got != 7 {
		t.Errorf("constant ramp = %v", got)
	}
}

func TestArrivals(t *testing.T) {
	tests := []struct {
		name     string
		r        ramp
		d        time.Duration
		limit    int
		min, max int
	}{
		// The integral of the rate: 20 s at mean 3.5 + 20 s at 27.5 + 20 s at 75 = 2120.
		{"trend ramp", ramp{2, 5, 50, 100}, 60 * time.Second, 10000, 2118, 2120},
		{"constant", ramp{2}, 5 * time.Second, 100, 9, 10},
		{"limited", ramp{100}, 10 * time.Second, 50, 50, 50},
		{"zero rate", ramp{0}, 10 * time.Second, 50, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.arrivals(tc.d, tc.limit)
			if len(got) < tc.min || len(got) > tc.max {
				t.Fatalf("%d arrivals, want %d..%d", len(got), tc.min, tc.max)
			}
			if !slices.IsSorted(got) {
				t.Fatal("arrivals are not in order")
			}
			for _, at := range got {
				if at < 0 || at >= tc.d {
					t.Fatalf("arrival at %s outside [0, %s)", at, tc.d)
				}
			}
		})
	}
	// The shape: the last third of a trend ramp holds most users, the first third few.
	got := ramp{2, 5, 50, 100}.arrivals(60*time.Second, 10000)
	first, last := 0, 0
	for _, at := range got {
		switch {
		case at < 20*time.Second:
			first++
		case at >= 40*time.Second:
			last++
		}
	}
	if first > 80 || last < 1400 {
		t.Fatalf("first third %d users, last third %d: not a trend", first, last)
	}
}

func TestParseRamp(t *testing.T) {
	if r, err := parseRamp(" 2, 5.5 ,60"); err != nil || !slices.Equal(r, ramp{2, 5.5, 60}) || r.String() != "2,5.5,60" {
		t.Fatalf("parseRamp = %v, %v", r, err)
	}
	for _, bad := range []string{"", "a", "1,-2", "1,,2", "99999"} {
		if _, err := parseRamp(bad); err == nil {
			t.Errorf("parseRamp(%q): want an error", bad)
		}
	}
}

func TestUserIP(t *testing.T) {
	seen := map[string]bool{}
	for n := range 70000 {
		ip := userIP(n)
		if seen[ip] {
			t.Fatalf("user %d shares address %s", n, ip)
		}
		seen[ip] = true
	}
	if got := userIP(0x010203); got != "10.1.2.3" {
		t.Fatalf("userIP = %s", got)
	}
}
