// Package simulate generates synthetic people whose true sleep is known, and the posts they
// would write, for the accuracy benchmark (`make accuracy`). It is never on the request path.
//
// A person lives day by day in their zone: a main sleep each night (timing from their kind and
// the parameter set), naps, brief night-time awakenings, work hours during which they post less,
// sometimes a long absence. They post only while awake: not for a while after waking or before
// falling asleep, in bursty sessions whose rate rises through the day, and now and then during a
// night-time awakening. What the analyzer sees is what a timeline would return: the posts in a
// 28-day window (the newest 3,200 only, as Twitter's API caps), or a whole archive.
//
// Everything is deterministic: the same Params, kind and index give the same person.
package simulate

import (
	"math"
	"slices"
	"time"
)

// Kind is a kind of person.
type Kind string

// The kinds of people in the benchmark.
const (
	Regular    Kind = "regular"    // work/free-day rhythm with social jetlag
	Owl        Kind = "owl"        // late chronotype
	Napper     Kind = "napper"     // habitual afternoon naps
	Shift      Kind = "shift"      // rotating day and night shifts
	Irregular  Kind = "irregular"  // no steady rhythm
	AllNighter Kind = "allnighter" // a regular sleeper who now and then stays up all night
	Sparse     Kind = "sparse"     // 2-5 posts a day
	Heavy      Kind = "heavy"      // 100+ posts a day, window cut at 3,200 posts
	Traveller  Kind = "traveller"  // a 6-9 h zone change mid-window; the analysis zone stays
	Scheduled  Kind = "scheduled"  // a scheduling client posts at fixed clock minutes, night too
)

// Kinds returns every kind, in report order.
func Kinds() []Kind {
	return []Kind{Regular, Owl, Napper, Shift, Irregular, AllNighter, Sparse, Heavy, Traveller, Scheduled}
}

// APICap is the most posts the timeline API returns.
const APICap = 3200

// Interval is a span of time [Start, End) in Unix milliseconds.
type Interval struct{ Start, End int64 }

// Post is one simulated post: when, and through which client.
type Post struct {
	At     int64 // Unix milliseconds
	Source string
}

// Person is one simulated person and what a timeline would show of them.
type Person struct {
	Name string
	Kind Kind
	Zone *time.Location // the zone the analysis is asked for (the traveller's home zone)

	// Sleeps is the true sleep, in time order, not overlapping; a brief awakening splits an
	// episode. Mains are the true main sleep periods, one per night slept, awakenings included.
	Sleeps, Mains []Interval

	// Posts are what the source returns, oldest first, automated ones included (the caller
	// filters them as the service does).
	Posts []Post

	// The window the service would analyse. Archive people have a zero window (analyse every
	// post); the others a 28-day window ending at Now, Truncated when the API cap cut it.
	From, To, Now int64
	Truncated     bool
	Archive       bool

	ZoneShift float64 // hours a traveller's clock moved (east positive); 0 for everyone else
}

// Spec picks one person: the Index-th of a Kind, over Days days; Archive people are analysed
// whole (an archive import) rather than through the API's 28-day window and cap.
type Spec struct {
	Kind    Kind
	Index   int
	Days    int
	Archive bool
}

const (
	msMinute = int64(60_000)
	msHour   = 60 * msMinute
	msDay    = 24 * msHour
)

// episode is a planned sleep.
type episode struct {
	start, end int64
	main       bool
}

// span is a stretch with a posting multiplier (work hours, a flight with no posts).
type span struct {
	start, end int64
	factor     float64
}

// life holds one person's plan while it is generated.
type life struct {
	p     Params
	r     rng
	kind  Kind
	loc   *time.Location
	first time.Time // local midnight of the window's first date

	mu, dur   float64 // the person's own mean onset and sleep length
	quiet     float64 // posting multiplier at work
	perDay    float64 // posts a day
	travelDay int     // date index of the flight (traveller), else MaxInt32
	shift     float64 // traveller's clock change in minutes (east positive)

	eps    []episode
	spans  []span
	silent []Interval // flights: no posts
}

var zones = []string{"America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney",
	"America/Sao_Paulo", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"}

// Person generates the person spec describes.
func (p Params) Person(s Spec) Person {
	stream := uint64(len(s.Kind))<<48 ^ kindHash(s.Kind)<<16 ^ uint64(s.Index)
	if s.Archive {
		stream ^= 1 << 60
	}
	r := newRNG(p.Seed, stream)
	loc, err := time.LoadLocation(zones[r.IntN(len(zones))])
	if err != nil {
		loc = time.UTC
	}
	// Windows start between mid-September and late November 2026, so some cross the
	// daylight-saving changes of October and November.
	start := time.Date(2026, 9, 14+r.IntN(70), 0, 0, 0, 0, loc)
	l := &life{p: p, r: r, kind: s.Kind, loc: loc, first: start, travelDay: math.MaxInt32}
	l.drawPerson()
	for d := -3; d <= s.Days+2; d++ {
		l.planDay(d)
	}
	l.fixOverlaps()

	person := Person{Name: string(s.Kind) + "-" + itoa(s.Index), Kind: s.Kind, Zone: loc, Archive: s.Archive,
		ZoneShift: l.shift / 60}
	var awakenings []Interval
	person.Sleeps, person.Mains, awakenings = l.truth()
	posts := l.posts(awakenings)
	posts = append(posts, l.botPosts(s.Days)...)
	posts = l.absence(posts, s.Days)
	slices.SortFunc(posts, func(a, b Post) int { return cmpInt(a.At, b.At) })

	lo, hi := l.midnight(0), l.midnight(s.Days)
	if !s.Archive {
		// The analysis runs at some moment of the last day; the window is the 28 days before.
		person.Now = l.midnight(s.Days-1) + int64(r.uniform(0, 24)*float64(msHour))
		person.To = person.Now
		person.From = person.Now - int64(s.Days)*msDay
		lo, hi = person.From, person.Now
	}
	posts = slices.DeleteFunc(posts, func(q Post) bool { return q.At < lo || q.At > hi })
	if !s.Archive && len(posts) > APICap {
		posts = posts[len(posts)-APICap:]
		person.Truncated = true
	}
	person.Posts = posts
	person.Sleeps = clip(person.Sleeps, lo, hi)
	person.Mains = clip(person.Mains, lo, hi)
	return person
}

func kindHash(k Kind) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h = (h ^ uint64(k[i])) * 1099511628211
	}
	return h
}

// drawPerson draws what stays fixed for the person: chronotype, sleep need, posting volume.
func (l *life) drawPerson() {
	p, r := l.p, l.r
	l.mu = p.Onset + r.normal(0, p.PersonSD)
	l.dur = p.Duration + r.normal(0, 30)
	switch l.kind {
	case Owl:
		l.mu += p.OwlDelay
	case Heavy:
		l.mu += 30 // heavy posters skew young and late (assumed)
	}
	l.quiet = r.uniform(p.WorkQuiet[0], p.WorkQuiet[1])
	rng := p.PostsPerDay
	switch l.kind {
	case Sparse:
		rng = p.SparsePerDay
	case Heavy:
		rng = p.HeavyPerDay
	}
	l.perDay = math.Exp(r.uniform(math.Log(rng[0]), math.Log(rng[1])))
	if l.kind == Traveller {
		l.travelDay = 12 + r.IntN(5)
		l.shift = 60 * math.Round(r.uniform(p.TravelHours[0], p.TravelHours[1]))
		if r.bernoulli(0.5) {
			l.shift = -l.shift
		}
	}
}

// midnight is the instant local date d (days after the window's first date) begins.
func (l *life) midnight(d int) int64 {
	return time.Date(l.first.Year(), l.first.Month(), l.first.Day()+d, 0, 0, 0, 0, l.loc).UnixMilli()
}

// at is the instant of clock minutes after the midnight starting date d, on the person's body
// clock (which differs from the zone's after a traveller's flight).
func (l *life) at(d int, clock float64) int64 {
	t := l.midnight(d) + int64(clock*float64(msMinute))
	if d > l.travelDay {
		t -= int64(l.shift * float64(msMinute))
	}
	return t
}

func (l *life) weekday(d int) time.Weekday {
	return time.Date(l.first.Year(), l.first.Month(), l.first.Day()+d, 12, 0, 0, 0, l.loc).Weekday()
}

// free reports whether night d is free: the next day is a Saturday or Sunday (the weekend of
// every zone the benchmark's people live in).
func (l *life) free(d int) bool {
	wd := l.weekday(d + 1)
	return wd == time.Saturday || wd == time.Sunday
}

func (l *life) workday(d int) bool {
	wd := l.weekday(d)
	return wd != time.Saturday && wd != time.Sunday
}

func (l *life) sleep(d int, onset, length float64, main bool) {
	length = clamp(length, 10, 16*60)
	s := l.at(d, onset)
	l.eps = append(l.eps, episode{start: s, end: s + int64(length*float64(msMinute)), main: main})
}

// work plans a stretch of work on date d from clock from to clock to, during which the person
// posts at factor times their usual rate, except for a break of 30-60 min around the middle of
// it (lunch, or a meal break on a night shift) when they post as usual (assumed).
func (l *life) work(d int, from, to, factor float64) {
	r := l.r
	mid := (from+to)/2 + r.normal(0, 30)
	brk := r.uniform(30, 60)
	l.spans = append(l.spans,
		span{start: l.at(d, from), end: l.at(d, mid-brk/2), factor: factor},
		span{start: l.at(d, mid+brk/2), end: l.at(d, to), factor: factor})
}

// planDay plans date d: the main sleep of night d (which starts in its evening, or for shift
// workers the morning after a night shift), naps, and work hours.
func (l *life) planDay(d int) {
	p, r := l.p, l.r
	onset := l.mu + r.normal(0, p.OnsetSD)
	length := l.dur + r.normal(0, p.DurationSD)
	if l.free(d) && l.kind != Irregular {
		onset += p.FreeDelay
		length += p.FreeExtra
	}
	// Office hours, later for late chronotypes.
	workFrom := 9*60 + (l.mu-p.Onset)/2
	if l.workday(d) && l.kind != Irregular && l.kind != Shift {
		l.work(d, workFrom, workFrom+8.5*60, l.quiet)
	}
	switch l.kind {
	case Shift:
		l.planShift(d)
		return
	case Irregular:
		onset = l.mu + r.normal(0, p.IrregularSD)
		length = r.normal(l.dur, 80)
		if r.bernoulli(0.15) {
			l.sleep(d, r.uniform(12*60, 18*60), r.logNormal(p.NapMedian, 0.5), false)
		}
		if r.bernoulli(0.5) {
			l.work(d, r.uniform(8*60, 14*60), r.uniform(15*60, 20*60), l.quiet)
		}
	case Napper:
		if r.bernoulli(p.NapProb) {
			l.sleep(d, p.NapClock+r.normal(0, 60), clamp(r.logNormal(p.NapMedian, 0.45), 10, 150), false)
		}
	case AllNighter:
		// The night after an all-nighter starts earlier and lasts longer; sometimes a nap.
		if l.allNighter(d - 1) {
			onset -= 60
			length += 90
			if r.bernoulli(0.5) {
				l.sleep(d, r.uniform(13*60, 17*60), r.uniform(45, 120), false)
			}
		}
		if l.allNighter(d) {
			return
		}
	case Traveller:
		if d == l.travelDay {
			l.planFlight(d, onset, length)
			return
		}
		if d > l.travelDay && d <= l.travelDay+3 {
			// Jet lag: shorter, more variable nights while the body clock catches up.
			onset += r.normal(0, 60)
			length -= 45
		}
	}
	l.sleep(d, onset, length, true)
}

// allNighter decides, reproducibly per night, whether an all-nighter stays up on night d.
func (l *life) allNighter(d int) bool {
	r := newRNG(l.p.Seed^0x5eed, uint64(d+100)^kindHash(l.kind)^uint64(l.mu*1000))
	return r.bernoulli(l.p.AllNighterProb)
}

// planShift plans a rotating shift worker's date d. The rotation is ShiftRun day shifts, two
// free days, ShiftRun night shifts, two free days: an early night before each day shift, no
// night sleep during a night shift but a shorter day sleep after it, often a nap before the
// first night shift, and ordinary nights on free days.
func (l *life) planShift(d int) {
	p, r := l.p, l.r
	n := p.ShiftRun
	cycle := 2*n + 4
	offset := int(l.mu)       // the rotation's phase differs from person to person
	duty := func(d int) int { // 1 day shift, 2 night shift, 0 free
		switch ph := ((d+offset)%cycle + cycle) % cycle; {
		case ph < n:
			return 1
		case ph >= n+2 && ph < 2*n+2:
			return 2
		}
		return 0
	}
	switch duty(d) {
	case 1:
		l.work(d, p.DayShiftStart, p.DayShiftStart+8*60, l.quiet)
	case 2:
		l.work(d, p.NightShiftFrom, p.NightShiftFrom+8*60, l.quiet)
		length := p.NightSleepLen + r.normal(0, 40)
		if duty(d+1) != 2 {
			length -= 90 // after the last night shift, up early to get back to nights
		}
		l.sleep(d+1, p.NightSleep+r.normal(0, 30), length, true)
		return
	}
	switch duty(d + 1) {
	case 1:
		l.sleep(d, p.DayShiftOnset+r.normal(0, 30), 24*60+p.DayShiftWake+r.normal(0, 10)-p.DayShiftOnset, true)
	case 2:
		l.sleep(d, 23*60+30+r.normal(0, 40), l.dur+r.normal(0, 40), true)
		if r.bernoulli(0.7) {
			l.sleep(d+1, 15*60+r.normal(0, 30), r.uniform(60, 150), false)
		}
	default:
		l.sleep(d, 23*60+45+r.normal(0, 40), l.dur+60+r.normal(0, 40), true)
	}
}

// planFlight plans the traveller's flight on date d: silent for 7-13 h from late morning, maybe
// a nap on board, then the first night at the new local time.
func (l *life) planFlight(d int, onset, length float64) {
	r := l.r
	dep := l.midnight(d) + int64(r.uniform(9*60, 14*60)*float64(msMinute))
	arr := dep + int64(r.uniform(7, 13)*float64(msHour))
	l.silent = append(l.silent, Interval{dep, arr})
	if r.bernoulli(0.5) {
		s := dep + int64(r.uniform(1, 3)*float64(msHour))
		l.eps = append(l.eps, episode{start: s, end: s + int64(r.uniform(60, 180)*float64(msMinute))})
	}
	// Night d already runs on the new clock (l.at shifts dates after travelDay, so plan it as
	// date d+1's previous evening).
	s := l.at(d+1, onset-24*60)
	if s < arr+msHour {
		s = arr + msHour
	}
	l.eps = append(l.eps, episode{start: s, end: s + int64((length-30)*float64(msMinute)), main: true})
}

// fixOverlaps orders the plan and resolves collisions: a nap that collides is dropped, a main
// sleep is pushed to an hour after the previous sleep.
func (l *life) fixOverlaps() {
	slices.SortFunc(l.eps, func(a, b episode) int { return cmpInt(a.start, b.start) })
	out := l.eps[:0]
	for _, e := range l.eps {
		if k := len(out) - 1; k >= 0 && e.start < out[k].end+msHour {
			switch {
			case !e.main:
				continue
			case !out[k].main:
				out = out[:k]
			default:
				e.start = out[k].end + msHour
				if e.end-e.start < msHour {
					continue
				}
			}
		}
		if k := len(out) - 1; k >= 0 && e.start < out[k].end+msHour {
			continue
		}
		out = append(out, e)
	}
	l.eps = out
}

// truth returns the true sleep (main sleeps split by brief awakenings), the main sleep periods
// and the awakenings.
func (l *life) truth() (sleeps, mains, awakenings []Interval) {
	p, r := l.p, l.r
	for _, e := range l.eps {
		if !e.main {
			sleeps = append(sleeps, Interval{e.start, e.end})
			continue
		}
		mains = append(mains, Interval{e.start, e.end})
		length := float64(e.end-e.start) / float64(msMinute)
		if length >= 240 && r.bernoulli(p.AwakeningProb) {
			a := e.start + int64(r.uniform(90, length-60)*float64(msMinute))
			b := a + int64(r.uniform(3, 20)*float64(msMinute))
			sleeps = append(sleeps, Interval{e.start, a}, Interval{b, e.end})
			awakenings = append(awakenings, Interval{a, b})
			continue
		}
		sleeps = append(sleeps, Interval{e.start, e.end})
	}
	return sleeps, mains, awakenings
}

// posts generates the posts of every awake stretch and of the night-time awakenings.
func (l *life) posts(awakenings []Interval) []Post {
	p, r := l.p, l.r
	var out []Post
	// Sessions a minute at the morning rate, so that a day of 16 waking hours holds perDay
	// posts on average.
	base := l.perDay / p.SessionMean / (16 * 60 * (1 + p.Evening) / 2)
	lastWake := l.eps[0].end
	for i := 1; i < len(l.eps); i++ {
		prev, next := l.eps[i-1], l.eps[i]
		if prev.main {
			lastWake = prev.end
		}
		latW, latB := p.WakeLatency, p.BedLatency
		if !prev.main {
			latW /= 2
		}
		if !next.main {
			latB /= 2
		}
		s := prev.end + minutes(r.logNormal(latW, p.LatencySigma))
		e := next.start - minutes(r.logNormal(latB, p.LatencySigma))
		if e <= s {
			continue
		}
		day := r.logNormal(1, 0.35) // some days are busier than others
		out = l.sessions(out, s, e, func(t int64) float64 {
			h := float64(t-lastWake) / float64(msHour)
			shape := 1 + (p.Evening-1)*clamp(h/15, 0, 1)
			if h > 18 {
				shape *= 0.6 // up all night: fewer posts in the small hours
			}
			return base * day * shape * l.factor(t)
		}, base*day*p.Evening)
	}
	for _, a := range awakenings {
		if !r.bernoulli(p.AwakeningPost) {
			continue
		}
		for n := 1 + r.geometric(0.6); n > 0; n-- {
			out = append(out, Post{At: a.Start + int64(r.Float64()*float64(a.End-a.Start)), Source: clientApp})
		}
	}
	return out
}

// clientApp is the source of a post written by hand.
const clientApp = "Twitter for iPhone"

// sessions appends the posting sessions in [s, e) of a process whose session rate (per minute)
// at t is rate(t) ≤ maxRate. Waits between session starts are Lomax (heavy-tailed): each wait
// is exponential with its own Gamma-distributed intensity, scaled so that the mean wait is
// 1/maxRate, and candidate instants are thinned to the rate at that instant. The process is
// observed from a random point of its history (the first wait is the Lomax residual), so that a
// stretch of length L holds L·rate sessions on average however heavy the tail. Each session is
// a burst of posts BurstGap apart on average.
func (l *life) sessions(out []Post, s, e int64, rate func(int64) float64, maxRate float64) []Post {
	p, r := l.p, l.r
	if maxRate <= 0 {
		return out
	}
	k := p.Burstiness
	// The equilibrium residual of a Lomax(scale λ, shape k) wait is Lomax(λ, k-1).
	lambda := (k - 1) / maxRate
	t := s + minutes(lambda*(math.Pow(1-r.Float64(), -1/(k-1))-1))
	for t < e {
		if r.Float64()*maxRate < rate(t) {
			u := t
			for n := 1 + r.geometric(1/p.SessionMean); n > 0 && u < e; n-- {
				out = append(out, Post{At: u, Source: clientApp})
				u += minutes(r.ExpFloat64() * p.BurstGap)
			}
		}
		// E[1/g] = 1 for g ~ Gamma(k)/(k-1): the mean wait stays 1/maxRate.
		t += minutes(r.ExpFloat64() / (maxRate * r.gamma(k) / (k - 1)))
	}
	return out
}

// factor is the posting multiplier at t: work hours quieten, flights silence.
func (l *life) factor(t int64) float64 {
	f := 1.0
	for _, s := range l.spans {
		if t >= s.start && t < s.end {
			f *= s.factor
		}
	}
	for _, s := range l.silent {
		if t >= s.Start && t < s.End {
			return 0
		}
	}
	return f
}

// botPosts are a scheduling client's posts at fixed clock minutes of the home zone, every day,
// whether the person is awake or not. Some schedules go through a client FilterAutomated knows;
// the others through one that looks like any other app.
func (l *life) botPosts(days int) []Post {
	if l.kind != Scheduled {
		return nil
	}
	p, r := l.p, l.r
	n := r.between(p.BotTimes[0], p.BotTimes[1])
	var out []Post
	for i := range n {
		// The first schedule posts in the small hours, the second before waking.
		clock := float64(r.IntN(1440))
		switch i {
		case 0:
			clock = float64(r.between(2*60, 5*60))
		case 1:
			clock = float64(r.between(5*60+30, 7*60))
		}
		src := "Buffer"
		if r.bernoulli(p.BotCaught) {
			src = `<a href="https://twittbot.net/" rel="nofollow">twittbot.net</a>`
		}
		for d := -1; d <= days; d++ {
			if r.bernoulli(0.95) {
				out = append(out, Post{At: l.midnight(d) + int64(clock)*msMinute, Source: src})
			}
		}
	}
	return out
}

// absence removes the hand-written posts of one long absence (a day or two offline), for a
// share of people. Scheduled posts go on.
func (l *life) absence(posts []Post, days int) []Post {
	p, r := l.p, l.r
	if !r.bernoulli(p.AbsenceProb) {
		return posts
	}
	s := l.midnight(0) + int64(r.uniform(0.25, 0.75)*float64(days)*float64(msDay))
	e := s + int64(r.uniform(p.AbsenceLen[0], p.AbsenceLen[1])*float64(msHour))
	return slices.DeleteFunc(posts, func(q Post) bool { return q.At >= s && q.At < e && q.Source == clientApp })
}

// clip keeps the parts of ivs inside [lo, hi).
func clip(ivs []Interval, lo, hi int64) []Interval {
	out := ivs[:0]
	for _, iv := range ivs {
		iv.Start, iv.End = max(iv.Start, lo), min(iv.End, hi)
		if iv.End > iv.Start {
			out = append(out, iv)
		}
	}
	return out
}

// minutes converts minutes to milliseconds; heavy-tailed draws are capped at a year so that
// they cannot overflow.
func minutes(m float64) int64 { return int64(math.Min(m, 366*24*60) * float64(msMinute)) }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
