package loadtest

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Endpoint names used in samples and in the report.
const (
	epLanding   = "landing"        // GET /
	epLogin     = "login"          // GET /auth/login
	epConsent   = "consent_form"   // GET emulator /oauth/authenticate
	epAuthorize = "consent_submit" // POST emulator /oauth/authenticate
	epCallback  = "callback"       // GET /auth/callback
	epMe        = "me"             // GET /api/me
	epPeriods   = "periods"        // GET /api/periods until served (first analysis, queue polls)
	epRevisit   = "periods_revisit"
	epRefresh   = "periods_refresh"
	epShare     = "share" // POST /api/shares
)

// sample is one HTTP exchange as the virtual user saw it. status 0 is a transport error.
type sample struct {
	endpoint string
	status   int
	start    time.Duration // since the run started
	dur      time.Duration
}

// recoveryGrace is how long after Redis is back 503s still count as the outage's: the service
// must recover within 5 s. Instances do not all recover at the same instant (a Redis client
// that saw many failed dials retries dialing about once a second).
const recoveryGrace = 5 * time.Second

// window is a fault interval [from, to) relative to the run start.
type window struct{ from, to time.Duration }

// overlaps reports whether a request that ran over [start, start+dur] touched the window.
func (w window) overlaps(start, dur time.Duration) bool {
	return start < w.to && start+dur >= w.from
}

// userResult is what one virtual user went through; the report is the sum of these.
type userResult struct {
	signedIn      bool
	signInFailed  string // last sign-in error code when never signed in
	served        bool
	queued        bool          // got at least one 202
	queueWait     time.Duration // first 202 to served (or to giving up)
	stillQueued   bool          // last answer was 202: holding a queue position
	rateLimited   bool          // last answer was 429 rate_limited
	lostSession   bool          // signed in, later got 401
	postCount     int           // postCount of the served analysis
	refreshServed bool          // the after-CACHE_TTL revisit got 200
	revisitServed bool          // the within-CACHE_TTL revisit got 200
	shareCreated  bool
	shareSkipped  bool // POST /api/shares answered 404: not deployed yet
}

// recorder collects samples and user results from many goroutines.
type recorder struct {
	mu      sync.Mutex
	samples []sample
	users   []*userResult
}

func (r *recorder) add(s sample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

func (r *recorder) addUser(u *userResult) {
	r.mu.Lock()
	r.users = append(r.users, u)
	r.mu.Unlock()
}

// snapshot returns copies, safe to read while users still run.
func (r *recorder) snapshot() ([]sample, []userResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	users := make([]userResult, len(r.users))
	for i, u := range r.users {
		users[i] = *u
	}
	return slices.Clone(r.samples), users
}

// EndpointStats are the latency percentiles and status counts of one endpoint.
type EndpointStats struct {
	Count    int            `json:"count"`
	P50Ms    float64        `json:"p50Ms"`
	P95Ms    float64        `json:"p95Ms"`
	P99Ms    float64        `json:"p99Ms"`
	MaxMs    float64        `json:"maxMs"`
	Statuses map[string]int `json:"statuses"` // "0" = transport error
}

// percentile is the nearest-rank percentile (p in (0,100]) of sorted; 0 for an empty slice.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

// endpointStats groups samples by endpoint.
func endpointStats(samples []sample) map[string]EndpointStats {
	durs := map[string][]time.Duration{}
	out := map[string]EndpointStats{}
	for _, s := range samples {
		durs[s.endpoint] = append(durs[s.endpoint], s.dur)
		st := out[s.endpoint]
		if st.Statuses == nil {
			st.Statuses = map[string]int{}
		}
		st.Count++
		st.Statuses[fmt.Sprint(s.status)]++
		out[s.endpoint] = st
	}
	for ep, d := range durs {
		slices.Sort(d)
		st := out[ep]
		st.P50Ms, st.P95Ms, st.P99Ms = ms(percentile(d, 50)), ms(percentile(d, 95)), ms(percentile(d, 99))
		st.MaxMs = ms(d[len(d)-1])
		out[ep] = st
	}
	return out
}

// statusCounts classifies samples: 5xx outside any outage window, 503s during one, other 5xx
// during one, 4xx by status, and transport errors. Only requests of the service count (the
// consent steps talk to the emulator).
type statusCounts struct {
	errors5xx, outage503, outageOther5xx, transport int
	errors4xx                                       map[string]int
	// emulator5xx are 5xx of the emulator's consent pages (Twitter's own, e.g. injected faults).
	emulator5xx int
}

func classify(samples []sample, outages []window) statusCounts {
	c := statusCounts{errors4xx: map[string]int{}}
	for _, s := range samples {
		if s.endpoint == epConsent || s.endpoint == epAuthorize {
			if s.status >= 500 {
				c.emulator5xx++
			}
			continue
		}
		inOutage := false
		for _, w := range outages {
			if w.overlaps(s.start, s.dur) {
				inOutage = true
				break
			}
		}
		switch {
		case s.status == 0:
			c.transport++
		case s.status >= 500 && inOutage && s.status == 503:
			c.outage503++
		case s.status >= 500 && inOutage:
			c.outageOther5xx++
		case s.status >= 500:
			c.errors5xx++
		case s.status >= 400:
			c.errors4xx[fmt.Sprint(s.status)]++
		}
	}
	return c
}

// firstOKAfter is how long after t the first 200 of a Redis-backed endpoint started (-1: none).
func firstOKAfter(samples []sample, t time.Duration) time.Duration {
	best := time.Duration(-1)
	for _, s := range samples {
		if s.status != 200 || s.start < t {
			continue
		}
		switch s.endpoint {
		case epMe, epPeriods, epRevisit, epRefresh:
		default:
			continue
		}
		if d := s.start + s.dur - t; best < 0 || d < best {
			best = d
		}
	}
	return best
}

// last5xxAfter is how long after t the last service 5xx that ended after t ended (0: none).
func last5xxAfter(samples []sample, t time.Duration) time.Duration {
	var last time.Duration
	for _, s := range samples {
		if s.status < 500 || s.endpoint == epConsent || s.endpoint == epAuthorize {
			continue
		}
		if end := s.start + s.dur; end > t && end-t > last {
			last = end - t
		}
	}
	return last
}

// userTotals sums the per-user accounting.
type userTotals struct {
	users, signedIn, signInFailed, served, queued, stillQueued, rateLimited, unserved int
	lostSessions, revisits, refreshes, sharesCreated, sharesSkipped                   int
	maxQueueWait                                                                      time.Duration
	// expectedTwitterCalls is the Twitter-call target (README, "Targets and measurements") on
	// the analysed posts; maxTwitterCalls allows the one extra page the client may need to see
	// the window's end (twitter.fetchV1), which also covers automated posts the analysis drops
	// and the UTC/local window edges.
	expectedTwitterCalls, maxTwitterCalls int
	signInErrors                          map[string]int
}

// callsFor is the target for a first analysis (README, "Targets and measurements"):
// ceil(posts in window / 200), at least 1.
func callsFor(posts int) int { return max(1, (posts+199)/200) }

func totals(users []userResult) userTotals {
	t := userTotals{users: len(users), signInErrors: map[string]int{}}
	for _, u := range users {
		if !u.signedIn {
			t.signInFailed++
			t.signInErrors[cmp.Or(u.signInFailed, "unknown")]++
			continue
		}
		t.signedIn++
		if u.lostSession {
			t.lostSessions++
		}
		if u.queued {
			t.queued++
			t.maxQueueWait = max(t.maxQueueWait, u.queueWait)
		}
		switch {
		case u.served:
			t.served++
			t.expectedTwitterCalls += callsFor(u.postCount)
			t.maxTwitterCalls += callsFor(u.postCount) + 1
			if u.refreshServed {
				t.refreshes++
				t.expectedTwitterCalls++ // one since_id call
				t.maxTwitterCalls++
			}
			if u.revisitServed {
				t.revisits++
			}
		case u.stillQueued:
			t.stillQueued++
		case u.rateLimited:
			t.rateLimited++
		default:
			t.unserved++
		}
		if u.shareCreated {
			t.sharesCreated++
		}
		if u.shareSkipped {
			t.sharesSkipped++
		}
	}
	return t
}

// Target is one check of a trend-day run (README, "Targets and measurements") and whether
// this run met it.
type Target struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Report is the JSON written to -out.
type Report struct {
	Command         []string       `json:"command"`
	Config          RunConfig      `json:"config"`
	StartedAt       time.Time      `json:"startedAt"`
	WallSeconds     float64        `json:"wallSeconds"`
	Users           int            `json:"users"`
	PeakActiveUsers int            `json:"peakActiveUsers"` // users between arrival and leaving at once
	SignedIn        int            `json:"signedIn"`
	SignInFailed    int            `json:"signInFailed"`
	SignInErrors    map[string]int `json:"signInErrors,omitempty"`
	Served          int            `json:"served"`
	Queued          int            `json:"queued"`
	StillQueued     int            `json:"stillQueued"`
	RateLimited     int            `json:"rateLimited"`
	Unserved        int            `json:"unserved"`
	MaxQueueWaitSec float64        `json:"maxQueueWaitSeconds"`
	Errors5xx       int            `json:"errors5xx"`
	Outage503       int            `json:"outage503"`
	Outage5xxOther  int            `json:"outage5xxOther"`
	TransportErrors int            `json:"transportErrors"`
	Emulator5xx     int            `json:"emulatorPage5xx"` // the consent pages (Twitter's), not the service
	Errors4xx       map[string]int `json:"errors4xx"`
	LostSessions    int            `json:"lostSessions"`
	Revisits        int            `json:"revisitsServed"`
	Refreshes       int            `json:"refreshesServed"`
	SharesCreated   int            `json:"sharesCreated"`
	SharesSkipped   int            `json:"sharesSkipped"`

	TwitterCalls              int            `json:"twitterCalls"`
	ExpectedTwitterCalls      int            `json:"expectedTwitterCalls"`
	MaxTwitterCalls           int            `json:"maxTwitterCalls"`
	TwitterCallsPerServedUser float64        `json:"twitterCallsPerServedUser"`
	TwitterCallsByStatus      map[string]int `json:"twitterCallsByStatus"`
	Budget                    int            `json:"budget"`
	BudgetExceeded            int            `json:"budgetExceeded"`

	Endpoints       map[string]EndpointStats `json:"endpoints"`
	PeakRssMiB      map[string]float64       `json:"peakRssMiB"`
	RedisOps        int64                    `json:"redisOps"`
	InstancePanics  int                      `json:"instancePanics"`
	Faults          []FaultEvent             `json:"faults"`
	RedisRecoveryMs *float64                 `json:"redisRecoveryMs,omitempty"` // first 200 after Redis was back
	// RedisLast5xxAfterBackMs is when the last 5xx ended, after Redis was back: full recovery.
	RedisLast5xxAfterBackMs *float64 `json:"redisLast5xxAfterBackMs,omitempty"`
	Timeline                []Bucket `json:"timeline"`
	Targets                 []Target `json:"targets"`
}

// Bucket is one slice of the run's timeline: arrivals and how /api/periods answered.
type Bucket struct {
	AtSec      int     `json:"atSeconds"`
	Arrivals   int     `json:"arrivals"`
	Requests   int     `json:"requests"` // every request of the service
	Periods200 int     `json:"periods200"`
	Periods202 int     `json:"periods202"`
	Periods429 int     `json:"periods429"`
	Errors5xx  int     `json:"errors5xx"`
	P99Ms      float64 `json:"p99Ms"` // of every request of the service
}

// bucketWidth is the timeline's resolution.
const bucketWidth = 5 * time.Second

// timeline groups samples into bucketWidth slices by start time.
func timeline(samples []sample) []Bucket {
	var out []Bucket
	var durs [][]time.Duration
	for _, s := range samples {
		i := int(s.start / bucketWidth)
		for len(out) <= i {
			out = append(out, Bucket{AtSec: len(out) * int(bucketWidth/time.Second)})
			durs = append(durs, nil)
		}
		b := &out[i]
		switch s.endpoint {
		case epConsent, epAuthorize: // the emulator's pages, not the service
			continue
		case epLanding:
			b.Arrivals++
		case epPeriods, epRevisit, epRefresh:
			switch s.status {
			case 200:
				b.Periods200++
			case 202:
				b.Periods202++
			case 429:
				b.Periods429++
			}
		}
		b.Requests++
		if s.status >= 500 {
			b.Errors5xx++
		}
		durs[i] = append(durs[i], s.dur)
	}
	for i := range out {
		slices.Sort(durs[i])
		out[i].P99Ms = ms(percentile(durs[i], 99))
	}
	return out
}

// FaultEvent records when an injected fault began and ended, relative to the run start.
type FaultEvent struct {
	Name   string  `json:"name"`
	AtSec  float64 `json:"atSeconds"`
	EndSec float64 `json:"endSeconds"`
	Note   string  `json:"note,omitempty"`
	outage bool    // 503s overlapping it are expected
	from   time.Duration
	to     time.Duration
}

// twitterStats is what the report needs from GET /_emulator/stats.
type twitterStats struct {
	byStatus map[string]int // timeline requests (v1.1 + v2) by status
}

func (t twitterStats) total() int {
	n := 0
	for _, v := range t.byStatus {
		n += v
	}
	return n
}

// budgetExceeded is how many timeline requests arrived beyond the budget: the emulator refused
// them with 429 (the app cap was spent), plus any accepted ones above the configured budget.
func budgetExceeded(t twitterStats, budget int) int {
	return t.byStatus["429"] + max(0, t.byStatus["200"]-budget)
}

// build assembles the report from what the run measured.
func build(cfg RunConfig, samples []sample, users []userResult, faults []FaultEvent, tw twitterStats) Report {
	var outages []window
	for _, f := range faults {
		if f.outage {
			outages = append(outages, window{f.from, f.to + recoveryGrace})
		}
	}
	c := classify(samples, outages)
	t := totals(users)
	r := Report{
		Config: cfg, Users: t.users, SignedIn: t.signedIn, SignInFailed: t.signInFailed, Served: t.served,
		Queued: t.queued, StillQueued: t.stillQueued, RateLimited: t.rateLimited, Unserved: t.unserved,
		MaxQueueWaitSec: math.Round(t.maxQueueWait.Seconds()*100) / 100,
		Errors5xx:       c.errors5xx, Outage503: c.outage503, Outage5xxOther: c.outageOther5xx,
		TransportErrors: c.transport, Emulator5xx: c.emulator5xx, Errors4xx: c.errors4xx, LostSessions: t.lostSessions,
		Revisits: t.revisits, Refreshes: t.refreshes, SharesCreated: t.sharesCreated, SharesSkipped: t.sharesSkipped,
		TwitterCalls: tw.total(), ExpectedTwitterCalls: t.expectedTwitterCalls, MaxTwitterCalls: t.maxTwitterCalls, TwitterCallsByStatus: tw.byStatus,
		Budget: cfg.AppCap, BudgetExceeded: budgetExceeded(tw, cfg.AppCap),
		Endpoints: endpointStats(samples), Faults: faults, Timeline: timeline(samples),
	}
	if len(t.signInErrors) > 0 {
		r.SignInErrors = t.signInErrors
	}
	if t.served > 0 {
		r.TwitterCallsPerServedUser = math.Round(float64(r.TwitterCalls)/float64(t.served)*1000) / 1000
	}
	for _, f := range faults {
		if f.Name == "redis-restart" && f.to > 0 {
			if d := firstOKAfter(samples, f.to); d >= 0 {
				v := ms(d)
				r.RedisRecoveryMs = &v
			}
			v := ms(last5xxAfter(samples, f.to))
			r.RedisLast5xxAfterBackMs = &v
		}
	}
	return r
}

// checkTargets compares the report with the trend-day targets (README, "Targets and measurements").
func checkTargets(r *Report) {
	add := func(name string, ok bool, format string, args ...any) {
		r.Targets = append(r.Targets, Target{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
	}
	add("zero 5xx", r.Errors5xx == 0 && r.Outage5xxOther == 0,
		"%d 5xx outside outage windows, %d non-503 5xx during them (%d 503s during outages, up to 5 s after Redis is back, allowed)",
		r.Errors5xx, r.Outage5xxOther, r.Outage503)
	add("zero lost sessions", r.LostSessions == 0, "%d signed-in users later got 401", r.LostSessions)
	add("every user served or holding a queue position", r.Unserved == 0 && r.SignInFailed == 0,
		"%d served, %d still queued, %d told rate_limited, %d neither, %d never signed in",
		r.Served, r.StillQueued, r.RateLimited, r.Unserved, r.SignInFailed)
	add("no Twitter request beyond the budget", r.BudgetExceeded == 0,
		"%d timeline requests beyond the budget of %d (emulator stats)", r.BudgetExceeded, r.Budget)
	add("Twitter calls at the targets", r.TwitterCalls <= r.MaxTwitterCalls,
		"%d calls for %d served users (%.3f each): target on analysed posts %d (ceil(posts/200) per first analysis, 1 per refresh, 0 per revisit), bound with the client's one extra page per fetch %d",
		r.TwitterCalls, r.Served, r.TwitterCallsPerServedUser, r.ExpectedTwitterCalls, r.MaxTwitterCalls)
	worst := 0.0
	for _, v := range r.PeakRssMiB {
		worst = max(worst, v)
	}
	if len(r.PeakRssMiB) > 0 { // not measured with -target
		add("peak RSS per instance <= 96 MiB", worst <= 96, "worst %.1f MiB (%d users active at once at most)", worst, r.PeakActiveUsers)
	}
	add("no panic", r.InstancePanics == 0, "%d panics in instance logs", r.InstancePanics)
	if hasFault(r.Faults, "redis-restart") {
		ok := r.RedisRecoveryMs != nil && *r.RedisRecoveryMs <= 5000 && r.RedisLast5xxAfterBackMs != nil && *r.RedisLast5xxAfterBackMs <= 5000
		rec, last := "never", "n/a"
		if r.RedisRecoveryMs != nil {
			rec = fmt.Sprintf("%.0f ms", *r.RedisRecoveryMs)
		}
		if r.RedisLast5xxAfterBackMs != nil {
			last = fmt.Sprintf("%.0f ms", *r.RedisLast5xxAfterBackMs)
		}
		add("recovery within 5 s after Redis is back", ok, "first 200 %s after Redis was back, last 5xx ended %s after", rec, last)
	}
}

func hasFault(faults []FaultEvent, name string) bool {
	for _, f := range faults {
		if f.Name == name {
			return true
		}
	}
	return false
}

// printSummary writes the human summary.
func printSummary(w io.Writer, r Report) {
	fmt.Fprintf(w, "\nloadtest: %d instances, %.0f s wall, command: %s\n", r.Config.Instances, r.WallSeconds,
		strings.Join(r.Command, " "))
	fmt.Fprintf(w, "users %d (at most %d active at once): signed in %d (failed %d), served %d, queued %d (still %d, max wait %.1f s), rate_limited %d, neither %d\n",
		r.Users, r.PeakActiveUsers, r.SignedIn, r.SignInFailed, r.Served, r.Queued, r.StillQueued, r.MaxQueueWaitSec, r.RateLimited, r.Unserved)
	fmt.Fprintf(w, "5xx %d (+%d 503 during outages, %d other 5xx during outages), transport errors %d, 4xx %v, lost sessions %d; emulator consent pages 5xx %d\n",
		r.Errors5xx, r.Outage503, r.Outage5xxOther, r.TransportErrors, r.Errors4xx, r.LostSessions, r.Emulator5xx)
	fmt.Fprintf(w, "twitter calls %d (target %d, bound %d; %.3f per served user; by status %v), budget %d, beyond budget %d\n",
		r.TwitterCalls, r.ExpectedTwitterCalls, r.MaxTwitterCalls, r.TwitterCallsPerServedUser, r.TwitterCallsByStatus, r.Budget, r.BudgetExceeded)
	fmt.Fprintf(w, "revisits served %d, refreshes served %d, shares created %d (skipped %d), redis ops %d\n",
		r.Revisits, r.Refreshes, r.SharesCreated, r.SharesSkipped, r.RedisOps)
	names := make([]string, 0, len(r.Endpoints))
	for n := range r.Endpoints {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "%-16s %7s %9s %9s %9s %9s  statuses\n", "endpoint", "count", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, n := range names {
		e := r.Endpoints[n]
		fmt.Fprintf(w, "%-16s %7d %9.1f %9.1f %9.1f %9.1f  %v\n", n, e.Count, e.P50Ms, e.P95Ms, e.P99Ms, e.MaxMs, e.Statuses)
	}
	inst := make([]string, 0, len(r.PeakRssMiB))
	for n := range r.PeakRssMiB {
		inst = append(inst, n)
	}
	sort.Strings(inst)
	for _, n := range inst {
		fmt.Fprintf(w, "peak RSS %s: %.1f MiB\n", n, r.PeakRssMiB[n])
	}
	fmt.Fprintf(w, "timeline (%s buckets): arrivals / periods 200 / 202 / 429 / 5xx / p99 ms\n", bucketWidth)
	for _, b := range r.Timeline {
		fmt.Fprintf(w, "  %3d s  %5d %6d %6d %5d %4d %8.1f\n", b.AtSec, b.Arrivals, b.Periods200, b.Periods202, b.Periods429, b.Errors5xx, b.P99Ms)
	}
	for _, f := range r.Faults {
		fmt.Fprintf(w, "fault %s: %.1f s -> %.1f s %s\n", f.Name, f.AtSec, f.EndSec, f.Note)
	}
	if r.RedisRecoveryMs != nil && r.RedisLast5xxAfterBackMs != nil {
		fmt.Fprintf(w, "redis recovery: first 200 %.0f ms after Redis was back, last 5xx ended %.0f ms after\n",
			*r.RedisRecoveryMs, *r.RedisLast5xxAfterBackMs)
	}
	for _, t := range r.Targets {
		mark := "PASS"
		if !t.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s  %s: %s\n", mark, t.Name, t.Detail)
	}
}
