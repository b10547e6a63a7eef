package persona

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)

func mustUser(t testing.TB, s string) User {
	t.Helper()
	u, err := ParseUser(s)
	if err != nil {
		t.Fatalf("ParseUser(%q): %v", s, err)
	}
	return u
}

func TestParseUserRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, screen, id string
	}{
		{"early_bird", "early_bird", "1000000000"},
		{"night_owl", "night_owl", "2000000000"},
		{"night_owl#123", "night_owl_123", "2000000123"},
		{"heavy#999999999", "heavy_999999999", "6999999999"},
		{"silent#0", "silent", "5000000000"},
	}
	for _, tc := range tests {
		u := mustUser(t, tc.in)
		if u.ScreenName() != tc.screen || u.IDString() != tc.id {
			t.Errorf("%s: screen %q id %q, want %q %q", tc.in, u.ScreenName(), u.IDString(), tc.screen, tc.id)
		}
		byID, err := UserByID(u.ID())
		if err != nil || byID != u {
			t.Errorf("UserByID(%d) = %v, %v; want %v", u.ID(), byID, err, u)
		}
		byName, err := UserByScreenName(u.ScreenName())
		if err != nil || byName != u {
			t.Errorf("UserByScreenName(%q) = %v, %v; want %v", u.ScreenName(), byName, err, u)
		}
		again := mustUser(t, u.String())
		if again != u {
			t.Errorf("ParseUser(String()) = %v, want %v", again, u)
		}
	}
	for _, bad := range []string{"", "nobody", "night_owl#", "night_owl#-1", "night_owl#x", "night_owl#1000000000"} {
		if _, err := ParseUser(bad); !errors.Is(err, ErrUnknown) {
			t.Errorf("ParseUser(%q) err = %v, want ErrUnknown", bad, err)
		}
	}
	for _, bad := range []int64{0, -1, 999, 7_000_000_000} {
		if _, err := UserByID(bad); !errors.Is(err, ErrUnknown) {
			t.Errorf("UserByID(%d) err = %v, want ErrUnknown", bad, err)
		}
	}
	for _, bad := range []string{"night_owl_0", "night_owl_01", "x"} {
		if _, err := UserByScreenName(bad); !errors.Is(err, ErrUnknown) {
			t.Errorf("UserByScreenName(%q) err = %v, want ErrUnknown", bad, err)
		}
	}
}

func TestShiftMinutes(t *testing.T) {
	t.Parallel()
	if s := mustUser(t, "night_owl").ShiftMinutes(); s != 0 {
		t.Errorf("number 0 shifted by %d", s)
	}
	seen := map[int]bool{}
	for n := 1; n < 500; n++ {
		s := User{Persona: personas[nightOwl], Number: n}.ShiftMinutes()
		if s < -90 || s > 90 {
			t.Fatalf("shift %d out of range for %d", s, n)
		}
		seen[s] = true
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct shifts over 499 users", len(seen))
	}
}

func collect(g *Generator, u User, now time.Time) []Post {
	var out []Post
	g.Walk(u, now, func(_ int, p Post) bool { out = append(out, p); return true })
	return out
}

func TestWalkOrderDeterminismAndCap(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	for _, p := range All() {
		u := User{Persona: p}
		posts := collect(g, u, testNow)
		if p.Name == "silent" {
			if len(posts) != 0 {
				t.Errorf("silent has %d posts", len(posts))
			}
			continue
		}
		if len(posts) < 100 {
			t.Errorf("%s: only %d posts", p.Name, len(posts))
		}
		if len(posts) > Cap {
			t.Errorf("%s: %d posts, over the cap", p.Name, len(posts))
		}
		for i, post := range posts {
			if post.Time.After(testNow) {
				t.Fatalf("%s: post in the future: %v", p.Name, post.Time)
			}
			if i > 0 && post.ID >= posts[i-1].ID {
				t.Fatalf("%s: ids not strictly decreasing at %d: %d then %d", p.Name, i, posts[i-1].ID, post.ID)
			}
			if i > 0 && post.Time.After(posts[i-1].Time) {
				t.Fatalf("%s: times not decreasing at %d", p.Name, i)
			}
		}
		again := collect(NewGenerator(1), u, testNow)
		if len(again) != len(posts) || again[0] != posts[0] || again[len(again)-1] != posts[len(posts)-1] {
			t.Errorf("%s: not deterministic", p.Name)
		}
		other := collect(NewGenerator(2), u, testNow)
		if len(other) > 0 && other[0].ID == posts[0].ID {
			t.Errorf("%s: seed 2 gave the same newest post", p.Name)
		}
	}
}

func TestHeavyExceedsCapIn28Days(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	u := mustUser(t, "heavy")
	n := 0
	for d := 0; d < 28; d++ {
		for _, p := range g.Day(u, testNow.AddDate(0, 0, -d)) {
			if !p.Time.After(testNow) {
				n++
			}
		}
	}
	if n <= Cap {
		t.Fatalf("heavy has %d posts in 28 days, want > %d", n, Cap)
	}
	if got := len(collect(g, u, testNow)); got != Cap {
		t.Errorf("Walk returned %d heavy posts, want exactly %d", got, Cap)
	}
}

func TestNewPostsAppearWithTime(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	u := mustUser(t, "heavy#7")
	before := collect(g, u, testNow)
	later := testNow.Add(3 * time.Hour)
	after := collect(g, u, later)
	var fresh int
	for _, p := range after {
		if p.ID <= before[0].ID {
			break
		}
		if !p.Time.After(testNow) {
			t.Fatalf("post %d at %v was not visible before but is not new", p.ID, p.Time)
		}
		fresh++
	}
	if fresh == 0 {
		t.Fatal("no new posts after 3 hours of a heavy poster's day")
	}
	if after[fresh] != before[0] {
		t.Errorf("the newest old post moved: %v vs %v", after[fresh], before[0])
	}
}

func TestNumberedUsersDiffer(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	a := collect(g, mustUser(t, "early_bird#1"), testNow)
	b := collect(g, mustUser(t, "early_bird#2"), testNow)
	if a[0].ID == b[0].ID {
		t.Error("two numbered users share their newest post id")
	}
}

// TestNightsAreClear checks that, ignoring automated posts, early_bird and night_owl have one
// sleep gap (> 5 h) per night and no other gap over 3.5 h, so the analyzer finds their nights.
func TestNightsAreClear(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	for _, name := range []string{"early_bird", "night_owl", "early_bird#55", "night_owl#4242"} {
		u := mustUser(t, name)
		var human []Post
		var bots, reports int
		g.Walk(u, testNow, func(_ int, p Post) bool {
			if p.Time.Before(testNow.AddDate(0, 0, -28)) {
				return false
			}
			switch p.Kind {
			case Bot:
				bots++
				if !strings.Contains(p.Source, "twittbot.net") {
					t.Errorf("%s: bot post from %q", name, p.Source)
				}
			case Report:
				reports++
				if !strings.Contains(p.Text, ReportHashtag) {
					t.Errorf("%s: report without hashtag: %q", name, p.Text)
				}
			default:
				human = append(human, p)
			}
			return true
		})
		nights := 0
		for i := 1; i < len(human); i++ {
			gap := human[i-1].Time.Sub(human[i].Time)
			switch {
			case gap > 5*time.Hour && gap < 12*time.Hour:
				nights++
			case gap > 210*time.Minute:
				t.Errorf("%s: odd gap of %v before %v", name, gap, human[i-1].Time)
			}
		}
		if nights < 26 || nights > 29 {
			t.Errorf("%s: %d nights in 28 days", name, nights)
		}
		if strings.HasPrefix(name, "early_bird") && bots < 25 {
			t.Errorf("%s: %d bot posts in 28 days", name, bots)
		}
		if strings.HasPrefix(name, "night_owl") && (reports < 3 || reports > 5) {
			t.Errorf("%s: %d weekly reports in 28 days", name, reports)
		}
	}
}

func BenchmarkWalkHeavyFull(b *testing.B) {
	g := NewGenerator(1)
	u := User{Persona: personas[heavy], Number: 3}
	for b.Loop() {
		n := 0
		g.Walk(u, testNow, func(int, Post) bool { n++; return true })
		if n != Cap {
			b.Fatal(n)
		}
	}
}

func BenchmarkWalkSinceID(b *testing.B) {
	g := NewGenerator(1)
	u := User{Persona: personas[nightOwl], Number: 3}
	for b.Loop() {
		g.Walk(u, testNow, func(rank int, _ Post) bool { return rank < 20 })
	}
}

// TestShiftWorkerRotates checks that the shift worker's wake-up time moves between the three
// shifts over a 21-day rotation.
func TestShiftWorkerRotates(t *testing.T) {
	t.Parallel()
	g := NewGenerator(1)
	u := mustUser(t, "shift_worker")
	shifts := map[string]int{}
	for d := 0; d < 21; d++ {
		posts := g.Day(u, testNow.AddDate(0, 0, -d))
		if len(posts) == 0 {
			t.Fatalf("day -%d has no posts", d)
		}
		h := posts[0].Time.In(Zone).Hour()
		switch {
		case h >= 5 && h < 7:
			shifts["day"]++
		case h >= 9 && h < 11:
			shifts["evening"]++
		case h >= 15 && h < 17:
			shifts["night"]++
		default:
			t.Errorf("day -%d: first post at %02d:00", d, h)
		}
	}
	for _, s := range []string{"day", "evening", "night"} {
		if shifts[s] < 6 || shifts[s] > 8 {
			t.Errorf("%d days of %s shift in 21, want 7: %v", shifts[s], s, shifts)
		}
	}
}
