package analyzer

import "math"

// The model is a hidden semi-Markov model of one person over 20-minute bins, written as an
// expanded-state hidden Markov model so that forward-backward stays linear in time:
//
//   - W0₁…W0₃  just woke (the first hour): posting ramps up from almost nothing (post-wake latency)
//   - A₁…A₅   awake, by time since the main sleep: four stages of about four hours each, then
//     "up too long". Sleep pressure builds (the homeostatic process of Borbély's two-process
//     model of sleep regulation, 1982): falling asleep is damped in the first stages and becomes
//     likely at any hour in the last
//   - Q        awake but quiet (at work, out, busy), posting at a small fraction of the usual
//     rate. Posting is bursty on every scale (Barabási 2005): long silences while awake are far
//     more common than a steady rate predicts, and without this state a silent workday would
//     read as sleep
//   - P        winding down (the last bin before sleep): posting fades (pre-sleep latency)
//   - S₁…S₄₈  asleep for d bins (up to 16 h): the duration is explicit, so the wake hazard can
//     depend on how long and since when the person has slept
//
// Posts come in sessions, so a bin is read together with the one before it (the obs* codes): an
// awake person starts a session in a quiet bin with probability s(clock)·r(silence), learned
// from their own posts — the rate at that hour, times a factor for how long they have been
// silent (posting is bursty: the longer the silence, the less likely it is to end in any given
// bin; Barabási 2005) — and goes on posting into the next bin with probability `more`. An
// asleep person almost never posts (a brief awakening), but a post right after another while
// asleep is likelier (the awakening lasts a few minutes). Falling asleep is a hazard h(clock) into the wind-down, damped
// while sleep pressure is low; waking after d bins of a sleep that began at clock c has
// probability P(D = d | c) ∝ f(d)·g(c + d) for main sleeps (f the person's sleep length, g their
// wake-time rhythm), mixed with a short nap length. All of these are per person: first
// estimates from the posts, shrunk towards population priors, and EM (Baum-Welch) iterations
// where they pay (fit.go, infer.go).
const (
	binMinutes = 20
	binMs      = binMinutes * msPerMinute
	nClock     = 1440 / binMinutes    // bins in a day
	nTypes     = 4                    // day types: work/free × the person's first/second pattern
	nSlot      = nTypes * nClock      // slot = clock + nClock·type, type = free + 2·regime
	maxSleep   = 16 * 60 / binMinutes // longest sleep, in bins
	mainMin    = 150 / binMinutes     // a sleep of at least this many bins resets sleep pressure
	rampWake   = 60 / binMinutes      // W0 bins
	rampSleep  = 30 / binMinutes      // P bins
	nAwake     = 5
	iA         = rampWake          // A₁; A_k is iA + k - 1
	iQ         = rampWake + nAwake // Q
	iP         = iQ + 1            // the first wind-down bin; the last is iP + rampSleep - 1
	nFixed     = iP + rampSleep    // states other than S_d
	nState     = nFixed + maxSleep // all states
	pruneBelow = 1e-8              // a sleep state with less forward mass than this (relative) is dropped
	block      = 4096              // bins of forward messages kept at once (longer chains are recomputed by block)

	postAsleep    = 0.0002 * binMinutes // P(post in a bin | asleep), none in the previous bin
	postAwaking   = 0.3                 // P(post in a bin | asleep), one in the previous bin: the same awakening
	postAwakeLong = 0.02                // P(post in a bin | asleep), posts in both previous bins
)

// Homeostasis. In awake stage A_k the clock's onset hazard h is multiplied by awakeKappa[k];
// A₅ adds pressureHazard on top: after some 16 hours awake, sleep comes soon at any hour.
// Each stage but the last is left with probability leaveStage a bin (four hours on average).
var awakeKappa = [nAwake]float64{0.03, 0.3, 1, 1, 1}

const (
	leaveStage = float64(binMinutes) / 240
	// quietIn and quietOut are the probabilities a bin of entering and leaving a quiet spell
	// (about one every 6 awake hours, lasting about three hours): a third of waking time, about
	// what work takes of a week's (the American Time Use Survey finds employed people working
	// some 8 hours on the days they work: 40 of about 112 waking hours a week). quietRate is its
	// share of the usual posting rate, an assumption.
	quietIn   = float64(binMinutes) / (6 * 60)
	quietOut  = float64(binMinutes) / 180
	quietRate = 0.05
	// napReturn is the stage a nap (and a quiet spell) returns to: it does not reset sleep
	// pressure, and naps come in the afternoon, some eight hours into the day.
	napReturn = 2
)

// pressureHazard is the extra probability a bin of winding down in the last awake stage (about
// two hours on average: up too long, sleep comes at any hour).
var pressureHazard = 1 - math.Pow(1-0.08, binMinutes/10.0)

// Emission multipliers of the ramps: the share of the awake posting rate reached in each bin
// after waking (rising from 5% to about 85% over the first hour), and in each bin before sleep
// (falling from about 50% half an hour before to 15% in the last minutes). Assumptions: people
// rarely post in the first minutes after waking or the last before sleep.
var rampWakeRate, rampSleepRate = ramps()

func ramps() (wake [rampWake]float64, sleep [rampSleep]float64) {
	for j := range rampWake {
		m := (float64(j) + 0.5) * binMinutes // minutes since waking, at the bin's middle
		wake[j] = min(0.05+0.8*(m-5)/50, 0.95)
	}
	for j := range rampSleep {
		m := (float64(rampSleep-j) - 0.5) * binMinutes // minutes before sleep; P bins run down
		sleep[j] = min(0.15+0.35*(m-5)/20, 0.9)
	}
	return wake, sleep
}

// stageHazard is the probability of starting to wind down in a bin of awake stage k when the
// clock's onset hazard is h.
func stageHazard(k int, h float64) float64 {
	hz := h * awakeKappa[k]
	if k == nAwake-1 {
		hz = 1 - (1-hz)*(1-pressureHazard)
	}
	return hz
}

// nLag is the number of silence-length buckets of lagBucket.
const nLag = 6

// lagBucket is the bucket of a quiet or session-start bin k bins after the last posting bin
// (k ≥ 2: the bin right after a post is obsStop or a continuation).
func lagBucket(k int) uint8 {
	switch {
	case k <= 2:
		return 0
	case k == 3:
		return 1
	case k <= 5:
		return 2
	case k <= 8:
		return 3
	case k <= 14:
		return 4
	}
	return 5
}

// Observation codes of a bin. Modelling session starts rather than posting bins keeps a burst
// from counting as many independent signs of being awake, and keeps a quiet stretch cheap for
// someone who posts in rare bursts.
const (
	obsQuiet   = 0 // no post, none in the previous bin either
	obsStart   = 1 // a post, none in the previous bin
	obsMore    = 2 // a post, a post in the previous bin too
	obsStop    = 3 // no post, a post in the previous bin
	obsRun     = 4 // a post, posts in the two previous bins too: a long run, not a brief awakening
	obsMissing = 5 // not observed
	nObs       = 6
)

// params are one person's fitted parameters. Rhythms differ between work days and free days
// (social jetlag), and between the patterns of someone with more than one (a run of night
// shifts, the weeks after a move across time zones), so the posting rate, the onset hazard and
// the wake rhythm are kept per slot: a clock bin of one of four day types. The type is whether
// the day is free — for posting, the calendar date's (a day of the zone's weekend, weekend.go);
// for falling asleep and waking, the night's (free when the next day is one) — and which
// pattern (regime) the day follows, 0 unless a first fit found two (setRegimes). Each type's
// estimate is shrunk towards its regime's, and that towards the pooled one, so a person without
// a weekly rhythm or with a single pattern loses nothing.
type params struct {
	post [nSlot]float64 // s(slot): P(a session starts in a bin | awake, previous bin quiet)
	more float64        // P(post in a bin | awake, post in the previous bin)
	// lag[b] multiplies the session-start probability of an awake bin by how long the person
	// has been silent (bucket b of lagBucket): posting is bursty, so a session is likelier soon
	// after the last one than hours later, and a long silence while awake is less surprising
	// than a steady rate says.
	lag   [nLag]float64
	onset [nSlot]float64 // h(slot): P(start winding down in a bin | awake, full pressure)
	// wake[s*maxSleep+d-1] is P(wake after exactly d bins | asleep d bins, sleep began in slot
	// s): a hazard, 1 at d = maxSleep.
	wake [nSlot * maxSleep]float64
	// asleep is P(asleep | clock) over the whole record: where a chain that starts inside a
	// long silence starts, and the circadian part of the onset prior.
	asleep [nClock]float64
	// regimes is how many regimes the chains use (1, or 2 after setRegimes): the tables of an
	// unused regime are left empty.
	regimes int

	// Tables derived from the above by compile, so that the passes only look values up:
	// em[(o*nSlot+s)*nFixed+j] is the emission of observation o in slot s by fixed state j (a
	// quiet bin's comes from the session-start row and the silence factor, emRow), and
	// hz[s*(nAwake+1)+k] the probability of starting to wind down from awake stage k (k =
	// nAwake: the quiet spell) in slot s.
	em [nObs * nSlot * nFixed]float64
	hz [nSlot * (nAwake + 1)]float64
}

// splitRegimes starts the second regime as a copy of the first.
func (m *params) splitRegimes() {
	const half = 2 * nClock
	copy(m.post[half:], m.post[:half])
	copy(m.onset[half:], m.onset[:half])
	copy(m.wake[half*maxSleep:], m.wake[:half*maxSleep])
	m.regimes = 2
	m.compile()
}

// compile fills the lookup tables from the learned parameters.
func (m *params) compile() {
	for o := range uint8(nObs) {
		if o == obsQuiet {
			continue
		}
		for s := range m.regimes * 2 * nClock {
			row := m.em[(int(o)*nSlot+s)*nFixed:][:nFixed]
			q := m.post[s]
			for j := range rampWake {
				row[j] = m.emit(o, q*rampWakeRate[j])
			}
			for k := range nAwake {
				row[iA+k] = m.emit(o, q)
			}
			row[iQ] = m.emit(o, q*quietRate)
			for j := range rampSleep {
				row[iP+j] = m.emit(o, q*rampSleepRate[j])
			}
		}
	}
	for s := range m.regimes * 2 * nClock {
		for k := range nAwake {
			m.hz[s*(nAwake+1)+k] = stageHazard(k, m.onset[s])
		}
		m.hz[s*(nAwake+1)+nAwake] = m.onset[s]
	}
}

// chain is one stretch of bins analysed as a whole: the posts binned, and each bin's slots.
type chain struct {
	start int64   // Unix ms of bin 0
	obs   []uint8 // obs* codes
	// postSlot and nightSlot hold each bin's slot for posting and for sleep timing, preceded by
	// maxSleep bins before the chain (so that the start of a sleep running since before the
	// chain is at hand): bin t's is at index t+maxSleep.
	postSlot, nightSlot []uint16
	// asleepAtStart is true for a chain that starts inside a long silence rather than at a post.
	asleepAtStart bool
	// lag is each bin's lagBucket (meaningful for quiet and session-start bins).
	lag []uint8
}

// setRegimes moves every bin's slots to the regime regime(ms) of its middle.
func (ch *chain) setRegimes(regime func(ms int64) int) {
	for i := range ch.postSlot {
		mid := ch.start + int64(i-maxSleep)*binMs + binMs/2
		r := uint16(regime(mid) * 2 * nClock)
		ch.postSlot[i] = ch.postSlot[i]%(2*nClock) + r
		ch.nightSlot[i] = ch.nightSlot[i]%(2*nClock) + r
	}
}

func (ch *chain) postAt(t int) int  { return int(ch.postSlot[t+maxSleep]) }
func (ch *chain) nightAt(t int) int { return int(ch.nightSlot[t+maxSleep]) }
func (ch *chain) clockAt(t int) int { return int(ch.nightSlot[t+maxSleep]) % nClock }

// freeNight is 1 when bin t belongs to a free night (noon to noon, the next day a day of the
// zone's weekend), else 0.
func (ch *chain) freeNight(t int) int { return ch.nightAt(t) / nClock % 2 }

// counts are the expected sufficient statistics of one E-step, summed over chains.
type counts struct {
	postN, postD [nSlot]float64 // expected session starts and expected (rate-weighted) quiet-or-start awake bins
	onN, onD     [nSlot]float64 // expected onsets and expected exposure (pressure-weighted), by slot
	wakeAt       [nSlot]float64 // expected wakes from main sleeps, by slot of waking
	napStart     [nSlot]float64 // expected naps (sleeps shorter than mainMin), by start slot
	mainStart    [nSlot]float64 // expected main sleeps, by start slot
	mainLen      [maxSleep + 1]float64
	napLen       [maxSleep + 1]float64
	sleepAt      [nClock]float64 // expected asleep bins, by clock
	binsAt       [nClock]float64 // bins, by clock
}

// fb holds the buffers of forward-backward, reused across chains and iterations so that an
// analysis allocates them once. Forward messages are kept for one block of bins at a time; the
// message at the start of every block is checkpointed, and the backward pass recomputes each
// block's messages from its checkpoint, so memory stays bounded however long the record.
type fb struct {
	alpha  []float32 // the current block's messages: per bin nFixed states, then S₁…S_hi
	off    []int32   // offset of each of the block's bins in alpha
	hi     []int16   // live sleep durations at each bin of the chain
	scale  []float64 // forward normaliser of each bin of the chain
	ckpt   []float64 // checkpointed messages, one per block (nState each)
	sleepP []float64 // P(asleep) per bin of the chain, the output of backward
	beta   []float64 // β of the current bin (nState + 1: S_d at nFixed+d)
	next   []float64 // β of the following bin
	prev   []float64 // scratch message (nState + 2)
	cur    []float64 // scratch message (nState + 2)
}

func newFB() *fb {
	return &fb{
		beta: make([]float64, nState+1), next: make([]float64, nState+1),
		prev: make([]float64, nState+2), cur: make([]float64, nState+2),
	}
}

// emit returns the probability of obs while awake with session-start probability q (for any
// observation but obsQuiet, whose emission depends on the silence before it: emRow).
func (m *params) emit(obs uint8, q float64) float64 {
	switch obs {
	case obsStart:
		return q
	case obsMore, obsRun:
		return m.more
	case obsStop:
		return 1 - m.more
	}
	return 1
}

// emRow returns the emissions of bin t's observation o (not obsMissing) by fixed state, using
// buf when the silence before it changes the session-start probability.
func (m *params) emRow(ch *chain, t int, o uint8, buf *[nFixed]float64) []float64 {
	if o != obsQuiet && o != obsStart {
		return m.em[(int(o)*nSlot+ch.postAt(t))*nFixed:][:nFixed]
	}
	r := m.lag[ch.lag[t]]
	start := m.em[(int(obsStart)*nSlot+ch.postAt(t))*nFixed:][:nFixed]
	for j, q := range start {
		q = min(q*r, 0.95)
		if o == obsQuiet {
			q = 1 - q
		}
		buf[j] = q
	}
	return buf[:]
}

// emitAsleep returns the probability of obs while asleep.
func emitAsleep(obs uint8) float64 {
	switch obs {
	case obsQuiet:
		return 1 - postAsleep
	case obsStart:
		return postAsleep
	case obsMore:
		return postAwaking
	case obsRun:
		return postAwakeLong
	case obsStop:
		return 1 - postAwaking
	}
	return 1
}

// initial writes the message of bin 0 (before its emission) into cur and returns the highest
// live sleep duration.
func (m *params) initial(ch *chain, cur []float64) int {
	clear(cur)
	if !ch.asleepAtStart {
		// At a post: awake, somewhere in the day.
		for k := range nAwake - 1 {
			cur[iA+k] = 1.0 / (nAwake - 1)
		}
		return 0
	}
	// Inside a long silence: asleep as often as usual at this hour, for up to six hours so far.
	q := m.asleep[ch.clockAt(0)]
	cur[iA+napReturn] = 1 - q
	const d0 = 360 / binMinutes
	for d := 1; d <= d0; d++ {
		cur[nFixed+d-1] = q / d0
	}
	return d0
}

// transition moves the message prev (bin t-1, with sleep durations up to prevHi) to cur (bin t,
// before emission) and returns the highest live sleep duration at t.
func (m *params) transition(ch *chain, t int, prev []float64, prevHi int, cur []float64) int {
	// Sleep: each S_d either wakes (to the ramp after a main sleep, to the day after a nap) or
	// goes on to S_{d+1}.
	ps := prev[nFixed-1:] // ps[d] is S_d
	cs := cur[nFixed-1:]
	wakeMain, wakeNap := 0.0, 0.0
	clk := ch.nightSlot[t-1+maxSleep-prevHi+1 : t+maxSleep] // clk[prevHi-d] is the start slot of S_d at t-1
	for d := 1; d <= prevHi; d++ {
		hz := m.wake[int(clk[prevHi-d])*maxSleep+d-1]
		w := ps[d] * hz
		if d >= mainMin {
			wakeMain += w
		} else {
			wakeNap += w
		}
		cs[d+1] = ps[d] * (1 - hz)
	}
	hi := min(prevHi+1, maxSleep)
	cs[maxSleep+1] = 0
	cs[1] = prev[iP+rampSleep-1]
	// The post-wake ramp.
	cur[0] = wakeMain
	for j := 1; j < rampWake; j++ {
		cur[j] = prev[j-1]
	}
	// Awake stages and the quiet spell.
	hzs := m.hz[ch.nightAt(t)*(nAwake+1):][:nAwake+1]
	onset, moving, toQuiet := 0.0, 0.0, 0.0
	for k := range nAwake {
		a := prev[iA+k]
		onset += a * hzs[k]
		a *= 1 - hzs[k]
		toQuiet += a * quietIn
		stay := a * (1 - quietIn)
		if k < nAwake-1 {
			cur[iA+k] = moving + stay*(1-leaveStage)
			moving = stay * leaveStage
		} else {
			cur[iA+k] = moving + stay
		}
	}
	q := prev[iQ]
	onset += q * hzs[nAwake]
	q *= 1 - hzs[nAwake]
	cur[iQ] = q*(1-quietOut) + toQuiet
	cur[iA] += prev[rampWake-1]
	cur[iA+napReturn] += wakeNap + q*quietOut
	// Winding down.
	cur[iP] = onset
	for j := 1; j < rampSleep; j++ {
		cur[iP+j] = prev[iP+j-1]
	}
	return hi
}

// emitAll multiplies the message of bin t by the emissions and returns its sum.
func (m *params) emitAll(ch *chain, t int, cur []float64, hi int) float64 {
	o := ch.obs[t]
	if o == obsMissing {
		sum := 0.0
		for _, v := range cur[:nFixed+hi] {
			sum += v
		}
		return sum
	}
	var buf [nFixed]float64
	row := m.emRow(ch, t, o, &buf)
	sum := 0.0
	for j, e := range row {
		cur[j] *= e
		sum += cur[j]
	}
	es := emitAsleep(o)
	for i := nFixed; i < nFixed+hi; i++ {
		cur[i] *= es
		sum += cur[i]
	}
	return sum
}

// normalize scales cur by 1/sum and drops the longest sleep durations whose mass is negligible,
// returning the new highest live duration.
func normalizeMessage(cur []float64, hi int, sum float64) int {
	inv := 1 / sum
	for i := range cur[:nFixed+hi] {
		cur[i] *= inv
	}
	for hi > 0 && cur[nFixed+hi-1] < pruneBelow {
		cur[nFixed+hi-1] = 0
		hi--
	}
	return hi
}

// forward runs the scaled forward pass over ch: scale and hi for every bin, a checkpoint at the
// start of each block, and the last block's messages in alpha.
func (m *params) forward(ch *chain, f *fb) {
	n := len(ch.obs)
	f.scale = resize(f.scale, n)
	f.hi = resize(f.hi, n)
	f.ckpt = f.ckpt[:0]
	if want := min(n, block) * (nFixed + maxSleep/4); cap(f.alpha) < want {
		// Sized once for the typical number of live sleep states, so that the messages are
		// not copied over and over as they grow.
		f.alpha = make([]float32, 0, want)
		f.off = make([]int32, 0, min(n, block))
	}
	prev, cur := f.prev, f.cur
	hi := 0
	for t := range n {
		if t == 0 {
			hi = m.initial(ch, cur)
		} else {
			// transition writes every state up to the new hi, the only ones read afterwards.
			hi = m.transition(ch, t, prev, hi, cur)
		}
		sum := m.emitAll(ch, t, cur, hi)
		if !(sum > 0) || math.IsInf(sum, 0) {
			// Impossible under the model (emissions are positive, so only through underflow):
			// restart awake.
			clear(cur)
			cur[iA+napReturn], hi, sum = 1, 0, 1
		}
		hi = normalizeMessage(cur, hi, sum)
		f.scale[t], f.hi[t] = sum, int16(hi)
		if t%block == 0 {
			f.ckpt = append(f.ckpt, cur[:nState]...)
			f.alpha, f.off = f.alpha[:0], f.off[:0]
		}
		f.off = append(f.off, int32(len(f.alpha)))
		f.alpha = appendMessage(f.alpha, cur[:nFixed+hi])
		prev, cur = cur, prev
	}
}

// appendMessage appends a message to the stored ones, in single precision: messages are
// normalised, so their entries lie in [0, 1] and the pruned ones are above 1e-8, well within
// float32's range, and the posteriors they give agree to about seven digits.
func appendMessage(dst []float32, msg []float64) []float32 {
	for _, v := range msg {
		dst = append(dst, float32(v))
	}
	return dst
}

// replay recomputes the messages of the block starting at bin b0 from its checkpoint into alpha.
func (m *params) replay(ch *chain, f *fb, b0 int) {
	n := min(b0+block, len(ch.obs))
	f.alpha, f.off = f.alpha[:0], f.off[:0]
	prev, cur := f.prev, f.cur
	copy(cur, f.ckpt[(b0/block)*nState:(b0/block+1)*nState])
	cur[nState], cur[nState+1] = 0, 0
	hi := int(f.hi[b0])
	for t := b0; t < n; t++ {
		if t > b0 {
			hi = m.transition(ch, t, prev, hi, cur)
			m.emitAll(ch, t, cur, hi)
			hi = normalizeMessage(cur, hi, f.scale[t])
		}
		f.off = append(f.off, int32(len(f.alpha)))
		f.alpha = appendMessage(f.alpha, cur[:nFixed+hi])
		prev, cur = cur, prev
	}
}

// backward runs the backward pass over ch after forward, writing P(asleep) per bin into
// f.sleepP and adding the expected sufficient statistics to acc (when not nil).
func (m *params) backward(ch *chain, f *fb, acc *counts) {
	n := len(ch.obs)
	f.sleepP = resize(f.sleepP, n)
	next, cur := f.next, f.beta
	for i := range next {
		next[i] = 1
	}
	lastBlock := (n - 1) / block * block
	for b0 := lastBlock; b0 >= 0; b0 -= block {
		if b0 != lastBlock {
			m.replay(ch, f, b0)
		}
		for t := min(b0+block, n) - 1; t >= b0; t-- {
			a := f.alpha[f.off[t-b0]:]
			if t == n-1 {
				copy(cur, next)
			} else {
				m.betaStep(ch, f, t, a, next, cur, acc)
			}
			m.posterior(ch, f, t, a, cur, acc)
			next, cur = cur, next
		}
	}
}

// posterior records P(asleep) of bin t from α̂(t) = a and β̂(t) = b, and its emission statistics.
func (m *params) posterior(ch *chain, f *fb, t int, a []float32, b []float64, acc *counts) {
	hi := int(f.hi[t])
	var sleep, total float64
	for j := range nFixed {
		total += float64(a[j]) * b[j]
	}
	for d := 1; d <= hi; d++ {
		sleep += float64(a[nFixed+d-1]) * b[nFixed+d]
	}
	total += sleep
	if total > 0 {
		sleep /= total
	}
	f.sleepP[t] = sleep
	if acc == nil || total <= 0 {
		return
	}
	o := ch.obs[t]
	if o != obsMissing {
		c := ch.clockAt(t)
		acc.sleepAt[c] += sleep
		acc.binsAt[c]++
	}
	c := ch.postAt(t)
	if o != obsQuiet && o != obsStart {
		return
	}
	post := 0.0
	if o == obsStart {
		post = 1
	}
	r := m.lag[ch.lag[t]]
	add := func(j int, rate float64) {
		g := float64(a[j]) * b[j] / total
		acc.postN[c] += g * post
		acc.postD[c] += g * rate * r
	}
	for j := range rampWake {
		add(j, rampWakeRate[j])
	}
	for k := range nAwake {
		add(iA+k, 1)
	}
	add(iQ, quietRate)
	for j := range rampSleep {
		add(iP+j, rampSleepRate[j])
	}
}

// betaStep computes β̂(t) into out from β̂(t+1) in in, given α̂(t) = a, and adds the expected
// transitions between t and t+1 to acc.
func (m *params) betaStep(ch *chain, f *fb, t int, a []float32, in, out []float64, acc *counts) {
	u := t + 1
	o := ch.obs[u]
	c := ch.nightAt(u)
	sc := f.scale[u]
	// e(u)·β̂(u)/c(u) for each fixed destination state.
	var eb [nFixed]float64
	inv := 1 / sc
	if o == obsMissing {
		for j := range nFixed {
			eb[j] = in[j] * inv
		}
	} else {
		var buf [nFixed]float64
		row := m.emRow(ch, u, o, &buf)
		for j, e := range row {
			eb[j] = e * in[j] * inv
		}
	}
	es := emitAsleep(o) / sc
	hiU := int(f.hi[u])
	hzs := m.hz[c*(nAwake+1):][:nAwake+1]
	h := hzs[nAwake]
	for j := 1; j < rampWake; j++ {
		out[j-1] = eb[j]
	}
	out[rampWake-1] = eb[iA]
	hz := hzs[:nAwake]
	for k := range nAwake {
		next := eb[iA+k]
		if k < nAwake-1 {
			next = (1-leaveStage)*eb[iA+k] + leaveStage*eb[iA+k+1]
		}
		out[iA+k] = (1-hz[k])*((1-quietIn)*next+quietIn*eb[iQ]) + hz[k]*eb[iP]
	}
	out[iQ] = (1-h)*((1-quietOut)*eb[iQ]+quietOut*eb[iA+napReturn]) + h*eb[iP]
	for j := 0; j < rampSleep-1; j++ {
		out[iP+j] = eb[iP+j+1]
	}
	sleepNext := func(d int) float64 { // e/c times β̂(u) of S_d, 0 where S_d is not live at u
		if d > hiU {
			return 0
		}
		return es * in[nFixed+d]
	}
	out[iP+rampSleep-1] = sleepNext(1)
	hi := int(f.hi[t])
	clk := ch.nightSlot[t+maxSleep-hi+1 : t+maxSleep+1] // clk[hi-d] is the start slot of S_d at t
	for d := 1; d <= hi; d++ {
		cs := int(clk[hi-d])
		hzw := m.wake[cs*maxSleep+d-1]
		dest := eb[iA+napReturn]
		if d >= mainMin {
			dest = eb[0]
		}
		stay := 0.0
		if d < maxSleep {
			stay = (1 - hzw) * sleepNext(d+1)
		}
		out[nFixed+d] = hzw*dest + stay
		if acc != nil {
			if w := float64(a[nFixed+d-1]) * hzw * dest; w > 0 { // expected S_d → awake between t and u
				if d >= mainMin {
					acc.wakeAt[c] += w
					acc.mainStart[cs] += w
					acc.mainLen[d] += w
				} else {
					acc.napStart[cs] += w
					acc.napLen[d] += w
				}
			}
		}
	}
	if acc == nil {
		return
	}
	// Expected onsets (into the wind-down) between t and u from the states the clock's hazard
	// drives, and the pressure-weighted exposure they came from.
	on, exposure, norm := 0.0, 0.0, 0.0
	for k := range nAwake - 1 {
		ak := float64(a[iA+k])
		on += ak * hz[k] * eb[iP]
		exposure += ak * out[iA+k] * awakeKappa[k]
	}
	on += float64(a[iQ]) * h * eb[iP]
	exposure += float64(a[iQ]) * out[iQ]
	for j := range nFixed {
		norm += float64(a[j]) * out[j]
	}
	for d := 1; d <= hi; d++ {
		norm += float64(a[nFixed+d-1]) * out[nFixed+d]
	}
	acc.onN[c] += on
	if norm > 0 {
		acc.onD[c] += exposure / norm
	}
}

// resize returns s with length n, reusing its storage when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}
