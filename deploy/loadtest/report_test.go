package loadtest

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"median of even is the lower middle (nearest rank)", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p95 of 1..100", ms(hundred...), 95, 95 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of 10 values is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"tiny p is the min", ms(5, 6, 7), 0.1, 5 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Fatalf("percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestEndpointStats(t *testing.T) {
	var samples []sample
	for i := 1; i <= 100; i++ {
		samples = append(samples, sample{endpoint: epPeriods, status: 200, dur: time.Duration(101-i) * time.Millisecond})
	}
	samples = append(samples, sample{endpoint: epMe, status: 401, dur: 3 * time.Millisecond},
		sample{endpoint: epMe, status: 0, dur: time.Second})
	got := endpointStats(samples)
	p := got[epPeriods]
	if p.Count != 100 || p.P50Ms != 50 || p.P95Ms != 95 || p.P99Ms != 99 || p.MaxMs != 100 || p.Statuses["200"] != 100 {
		t.Fatalf("periods = %+v", p)
	}
	m := got[epMe]
	if m.Count != 2 || m.Statuses["401"] != 1 || m.Statuses["0"] != 1 || m.P50Ms != 3 || m.P99Ms != 1000 {
		t.Fatalf("me = %+v", m)
	}
}

func TestClassifyOutageWindows(t *testing.T) {
	s := time.Second
	outage := []window{{from: 10 * s, to: 12 * s}}
	samples := []sample{
		{endpoint: epPeriods, status: 503, start: 11 * s, dur: 10 * time.Millisecond}, // inside
		{endpoint: epPeriods, status: 503, start: 9 * s, dur: 2 * s},                  // started before, ended inside
		{endpoint: epPeriods, status: 503, start: 12*s + time.Millisecond, dur: 0},    // after: counts as a 5xx
		{endpoint: epPeriods, status: 500, start: 11 * s, dur: 0},                     // non-503 during the outage
		{endpoint: epMe, status: 502, start: 1 * s, dur: 0},                           // plain 5xx
		{endpoint: epMe, status: 401, start: 1 * s, dur: 0},                           // 4xx
		{endpoint: epMe, status: 0, start: 1 * s, dur: 0},                             // transport
		{endpoint: epMe, status: 200, start: 11 * s, dur: 0},                          // fine
		{endpoint: epAuthorize, status: 503, start: 1 * s, dur: 0},                    // the emulator's, not the service's
	}
	c := classify(samples, outage)
	if c.outage503 != 2 || c.errors5xx != 2 || c.outageOther5xx != 1 || c.transport != 1 || c.errors4xx["401"] != 1 || c.emulator5xx != 1 {
		t.Fatalf("classify = %+v", c)
	}
	// Without windows every 5xx counts.
	if c := classify(samples, nil); c.errors5xx != 5 || c.outage503 != 0 {
		t.Fatalf("classify without outages = %+v", c)
	}
}

func TestFirstOKAfter(t *testing.T) {
	s := time.Second
	samples := []sample{
		{endpoint: epPeriods, status: 200, start: 9 * s, dur: 2 * s},                                   // started before
		{endpoint: epLanding, status: 200, start: 10 * s, dur: 0},                                      // not Redis-backed
		{endpoint: epMe, status: 503, start: 10 * s, dur: 0},                                           // not a 200
		{endpoint: epMe, status: 200, start: 10*s + 300*time.Millisecond, dur: 200 * time.Millisecond}, // 500 ms
		{endpoint: epPeriods, status: 200, start: 11 * s, dur: 0},
	}
	if got := firstOKAfter(samples, 10*s); got != 500*time.Millisecond {
		t.Fatalf("firstOKAfter = %v, want 500ms", got)
	}
	if got := firstOKAfter(samples, 20*s); got != -1 {
		t.Fatalf("firstOKAfter with nothing after = %v, want -1", got)
	}
}

func TestTotals(t *testing.T) {
	users := []userResult{
		{signedIn: true, served: true, postCount: 250, revisitServed: true, refreshServed: true, shareCreated: true},
		{signedIn: true, served: true, queued: true, queueWait: 4 * time.Second, postCount: 0, shareSkipped: true},
		{signedIn: true, queued: true, stillQueued: true, queueWait: 9 * time.Second},
		{signedIn: true, rateLimited: true},
		{signedIn: true, lostSession: true},
		{signInFailed: "login:302:rate_limited"},
		{signInFailed: "login:302:rate_limited"},
	}
	got := totals(users)
	want := userTotals{users: 7, signedIn: 5, signInFailed: 2, served: 2, queued: 2, stillQueued: 1, rateLimited: 1,
		unserved: 1, lostSessions: 1, revisits: 1, refreshes: 1, sharesCreated: 1, sharesSkipped: 1,
		maxQueueWait: 9 * time.Second,
		// 250 posts: 2 pages + 1 refresh; 0 posts: still 1 call.
		expectedTwitterCalls: 4, maxTwitterCalls: 6}
	if got.signInErrors["login:302:rate_limited"] != 2 {
		t.Fatalf("sign-in errors = %v", got.signInErrors)
	}
	got.signInErrors = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("totals =\n%+v\nwant\n%+v", got, want)
	}
}

func TestCallsFor(t *testing.T) {
	for posts, want := range map[int]int{0: 1, 1: 1, 200: 1, 201: 2, 3200: 16} {
		if got := callsFor(posts); got != want {
			t.Errorf("callsFor(%d) = %d, want %d", posts, got, want)
		}
	}
}

func TestBudgetExceeded(t *testing.T) {
	tests := []struct {
		name     string
		byStatus map[string]int
		budget   int
		want     int
	}{
		{"within", map[string]int{"200": 90, "503": 3}, 100, 0},
		{"refused by the app cap", map[string]int{"200": 100, "429": 7}, 100, 7},
		{"accepted beyond the budget", map[string]int{"200": 105}, 100, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := budgetExceeded(twitterStats{byStatus: tc.byStatus}, tc.budget); got != tc.want {
				t.Fatalf("budgetExceeded = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestBuildAndTargets(t *testing.T) {
	s := time.Second
	faults := []FaultEvent{{Name: "redis-restart", outage: true, from: 10 * s, to: 12 * s}}
	samples := []sample{
		{endpoint: epPeriods, status: 503, start: 11 * s},
		{endpoint: epPeriods, status: 200, start: 12*s + 100*time.Millisecond, dur: 100 * time.Millisecond},
		// An instance still failing fast 1 s after Redis is back: within the 5 s recovery.
		{endpoint: epPeriods, status: 503, start: 13 * s, dur: 10 * time.Millisecond},
	}
	users := []userResult{{signedIn: true, served: true, postCount: 10}}
	r := build(RunConfig{AppCap: 100, Instances: 1}, samples, users, faults,
		twitterStats{byStatus: map[string]int{"200": 3}})
	r.PeakRssMiB = map[string]float64{"instance-1": 40}
	checkTargets(&r)
	if r.Outage503 != 2 || r.Errors5xx != 0 || r.RedisRecoveryMs == nil || *r.RedisRecoveryMs != 200 ||
		r.RedisLast5xxAfterBackMs == nil || *r.RedisLast5xxAfterBackMs != 1010 {
		t.Fatalf("report = %+v", r)
	}
	if r.TwitterCallsPerServedUser != 3 {
		t.Fatalf("calls per served user = %v", r.TwitterCallsPerServedUser)
	}
	failed := map[string]bool{}
	for _, tg := range r.Targets {
		if !tg.OK {
			failed[tg.Name] = true
		}
	}
	// 3 calls for one 10-post user exceeds the bound of 2; everything else passes.
	if len(failed) != 1 || !failed["Twitter calls at the targets"] {
		t.Fatalf("failed targets = %v", failed)
	}
	var sb strings.Builder
	printSummary(&sb, r)
	for _, want := range []string{"FAIL  Twitter calls", "PASS  recovery within 5 s", "peak RSS instance-1: 40.0 MiB"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sb.String())
		}
	}
}

func TestParseHelpers(t *testing.T) {
	if n, err := parseVmRSS(strings.NewReader("Name:\tnezame\nVmPeak:\t 9 kB\nVmRSS:\t   30512 kB\n")); err != nil || n != 30512 {
		t.Fatalf("parseVmRSS = %d, %v", n, err)
	}
	if _, err := parseVmRSS(strings.NewReader("Name:\tzombie\n")); err == nil {
		t.Fatal("parseVmRSS without VmRSS: want an error")
	}
	if n := parseCommandsProcessed("# Stats\r\ntotal_connections_received:4\r\ntotal_commands_processed:1234\r\n"); n != 1234 {
		t.Fatalf("parseCommandsProcessed = %d", n)
	}
	got := timelineByStatus(map[string]map[string]int{
		"user_timeline": {"200": 5, "429": 0}, "users_tweets": {"200": 1, "503": 2}, "verify_credentials": {"200": 9}})
	if got.total() != 8 || got.byStatus["200"] != 6 || got.byStatus["503"] != 2 {
		t.Fatalf("timelineByStatus = %v", got.byStatus)
	}
}

func TestTimeline(t *testing.T) {
	s := time.Second
	samples := []sample{
		{endpoint: epLanding, status: 200, start: 1 * s, dur: 2 * time.Millisecond},
		{endpoint: epConsent, status: 200, start: 1 * s, dur: time.Hour}, // the emulator: left out
		{endpoint: epPeriods, status: 202, start: 2 * s, dur: 4 * time.Millisecond},
		{endpoint: epPeriods, status: 200, start: 6 * s},
		{endpoint: epRefresh, status: 429, start: 12 * s},
		{endpoint: epShare, status: 503, start: 14 * s},
	}
	got := timeline(samples)
	want := []Bucket{
		{AtSec: 0, Arrivals: 1, Requests: 2, Periods202: 1, P99Ms: 4},
		{AtSec: 5, Requests: 1, Periods200: 1},
		{AtSec: 10, Requests: 2, Periods429: 1, Errors5xx: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("timeline =\n%+v\nwant\n%+v", got, want)
	}
}

func TestLast5xxAfter(t *testing.T) {
	s := time.Second
	samples := []sample{
		{endpoint: epPeriods, status: 503, start: 9 * s, dur: 2 * s},       // ends 1 s after
		{endpoint: epMe, status: 503, start: 12 * s, dur: s},               // ends 3 s after
		{endpoint: epAuthorize, status: 503, start: 20 * s},                // the emulator's
		{endpoint: epPeriods, status: 200, start: 25 * s},                  // not a 5xx
		{endpoint: epPeriods, status: 503, start: 1 * s, dur: time.Second}, // before
	}
	if got := last5xxAfter(samples, 10*s); got != 3*s {
		t.Fatalf("last5xxAfter = %v, want 3s", got)
	}
	if got := last5xxAfter(samples[3:], 10*s); got != 0 {
		t.Fatalf("last5xxAfter without 5xx = %v, want 0", got)
	}
}
