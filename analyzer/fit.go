package analyzer

import (
	"cmp"
	"math"
	"slices"
)

// Population priors: what the model assumes of a person before their own posts say otherwise.
// Each is worth a few nights or hours of data, so a person's weeks soon dominate.
const (
	priorOnsetClock = 23*60 + 45 // minutes: a typical bedtime (Walch et al. 2016: country means ~22:45-01:00)
	priorWakeClock  = 7*60 + 30  // a typical wake time
	priorClockSD    = 150.0      // minutes: broad, to admit owls and shift workers
	priorSleepLen   = 450.0      // minutes of main sleep (Walch et al. 2016: 7 h 24 min to 8 h 12 min)
	priorSleepSigma = 0.22       // log-scale spread of main-sleep length
	priorNights     = 8.0        // how many nights the length prior is worth
	priorNapLen     = 45.0       // minutes
	priorNapSigma   = 0.5
	priorNapShare   = 0.1  // share of sleeps that are naps, before data
	postPseudo      = 12.0 // awake bins the posting-rate prior is worth per clock bin
	onsetPseudo     = 4.0  // awake bins the onset-hazard prior is worth per clock bin
	wakePseudo      = 1.0  // nights the wake-time prior is worth
	wakeFloor       = 0.08 // share of the wake-time density spread evenly: unusual wakes stay possible
	asleepPseudo    = 5.0  // days the population's sleep-by-clock profile is worth
)

// populationAsleep is the share of people asleep at clock bin c: most between priorOnsetClock
// and priorWakeClock, with edges an hour or so wide.
func populationAsleep(c int) float64 {
	const mid = (priorOnsetClock + priorWakeClock + 1440) / 2 % 1440
	const half = (priorWakeClock + 1440 - priorOnsetClock) / 2
	d := math.Abs((float64(c)+0.5)*binMinutes - mid)
	d = math.Min(d, 1440-d)
	return 0.02 + 0.9/(1+math.Exp((d-half)/45))
}

// smoothCircular convolves x (one value per clock bin) with a Gaussian of sigma bins, round the
// clock.
func smoothCircular(x *[nClock]float64, sigma float64) [nClock]float64 {
	if sigma < 0.5 {
		return *x
	}
	var out [nClock]float64
	r := int(math.Ceil(3 * sigma))
	var k [64]float64
	ksum := 0.0
	for i := -r; i <= r; i++ {
		k[i+r] = math.Exp(-0.5 * float64(i*i) / (sigma * sigma))
		ksum += k[i+r]
	}
	for c := range nClock {
		if x[c] == 0 {
			continue
		}
		v := x[c] / ksum
		for i := -r; i <= r; i++ {
			out[(c+i+nClock)%nClock] += v * k[i+r]
		}
	}
	return out
}

// bump is a circular Gaussian over clock bins centred at minutes m with sd minutes.
func bump(c int, m, sd float64) float64 {
	d := math.Abs((float64(c)+0.5)*binMinutes - m)
	d = math.Min(d, 1440-d)
	return math.Exp(-0.5 * d * d / (sd * sd))
}

// How much a broader estimate weighs in a narrower one: the pooled (all day types) in each
// regime's, the regime's in each of its day types'. In awake bins for the posting rate and the
// onset hazard, in nights for the wake rhythm.
const (
	regimePseudoBins   = 12.0
	typePseudoBins     = 24.0
	regimePseudoNights = 1.0
	typePseudoNights   = 2.0
)

// types splits a per-slot array into its day types.
func types(x *[nSlot]float64) (out [nTypes][nClock]float64) {
	for t := range nTypes {
		copy(out[t][:], x[t*nClock:(t+1)*nClock])
	}
	return out
}

// bySlot estimates a ratio num/den per slot, each smoothed round the clock with sigma bins:
// pooled over all day types and shrunk towards prior(c) with weight pw; each regime's shrunk
// towards the pooled; each day type's towards its regime's.
func bySlot(num, den *[nSlot]float64, sigma float64, prior func(c int) float64, pw, lo, hi float64) [nSlot]float64 {
	n, d := types(num), types(den)
	for t := range nTypes {
		n[t], d[t] = smoothCircular(&n[t], sigma), smoothCircular(&d[t], sigma)
	}
	var out [nSlot]float64
	for c := range nClock {
		var an, ad float64
		for t := range nTypes {
			an, ad = an+n[t][c], ad+d[t][c]
		}
		pooled := (an + pw*prior(c)) / (ad + pw)
		for r := range nTypes / 2 {
			rn, rd := n[2*r][c]+n[2*r+1][c], d[2*r][c]+d[2*r+1][c]
			regime := (rn + regimePseudoBins*pooled) / (rd + regimePseudoBins)
			for t := 2 * r; t < 2*r+2; t++ {
				out[t*nClock+c] = min(max((n[t][c]+typePseudoBins*regime)/(d[t][c]+typePseudoBins), lo), hi)
			}
		}
	}
	return out
}

// update sets m from the expected counts of an E-step (the M-step), each estimate shrunk
// towards its population prior.
func (m *params) update(acc *counts) {
	// Share of time asleep by clock, shrunk towards the population's (asleep from about
	// priorOnsetClock to priorWakeClock) by asleepPseudo days.
	sa, sb := smoothCircular(&acc.sleepAt, 30/binMinutes), smoothCircular(&acc.binsAt, 30/binMinutes)
	for c := range nClock {
		m.asleep[c] = min(max((sa[c]+asleepPseudo*populationAsleep(c))/(sb[c]+asleepPseudo), 0.02), 0.98)
	}

	// Awake session-start probability. Where the person is seldom awake there is little data,
	// and the estimate is shrunk towards their rate in their busier hours (the median over
	// well-observed clock bins): someone awake at 03:00 who is usually asleep then would post
	// about as they do when awake, not be silent for free.
	pn, pd := types(&acc.postN), types(&acc.postD)
	var rates []float64
	for c := range nClock {
		var n, d float64
		for t := range nTypes {
			n, d = n+pn[t][c], d+pd[t][c]
		}
		if d >= 5 {
			rates = append(rates, n/d)
		}
	}
	pbar := 0.05
	if len(rates) > 0 {
		slices.Sort(rates)
		pbar = min(max(rates[len(rates)/2], 0.003), 0.9)
	}
	m.post = bySlot(&acc.postN, &acc.postD, 60/binMinutes, func(int) float64 { return pbar }, postPseudo, 0.002, 0.95)

	// Onset hazard. The prior follows the person's own sleep profile: awake at an hour when
	// they are usually asleep, they fall asleep soon (circadian drive); awake when they usually
	// are, rarely.
	m.onset = bySlot(&acc.onN, &acc.onD, 30/binMinutes, func(c int) float64 {
		return 0.002 + 0.25*m.asleep[c]*m.asleep[c]
	}, onsetPseudo, 1e-4, 0.5)

	// Main-sleep length: log-normal, moments shrunk towards the prior.
	mu0, s0 := math.Log(priorSleepLen), priorSleepSigma
	w, lsum, lsq := priorNights, priorNights*mu0, priorNights*(s0*s0+mu0*mu0)
	for d := mainMin; d <= maxSleep; d++ {
		if x := acc.mainLen[d]; x > 0 {
			l := math.Log((float64(d) - 0.5) * binMinutes)
			w += x
			lsum += x * l
			lsq += x * l * l
		}
	}
	mu := lsum / w
	sigma := min(max(math.Sqrt(max(lsq/w-mu*mu, 0)), 0.1), 0.5)

	// Wake-time rhythm per day type: the smoothed clock of expected wakes, plus its regime's
	// rhythm (worth typePseudoNights), that plus the pooled rhythm (worth regimePseudoNights)
	// and a weak population prior, with a floor.
	wt := types(&acc.wakeAt)
	var pooled [nClock]float64
	for t := range nTypes {
		wt[t] = smoothCircular(&wt[t], 30/binMinutes)
		for c := range nClock {
			pooled[c] += wt[t][c]
		}
	}
	for c := range nClock {
		pooled[c] += wakePseudo * bump(c, priorWakeClock, priorClockSD) / (priorClockSD / binMinutes * math.Sqrt(2*math.Pi))
	}
	normalize(pooled[:])
	var g [nSlot]float64
	for r := range nTypes / 2 {
		var regime [nClock]float64
		for c := range nClock {
			regime[c] = wt[2*r][c] + wt[2*r+1][c] + regimePseudoNights*pooled[c]
		}
		normalize(regime[:])
		for t := 2 * r; t < 2*r+2; t++ {
			gt := g[t*nClock : (t+1)*nClock]
			for c := range nClock {
				gt[c] = wt[t][c] + typePseudoNights*regime[c]
			}
			normalize(gt)
			for c := range nClock {
				gt[c] = (1-wakeFloor)*gt[c]*nClock + wakeFloor
			}
		}
	}

	// Nap share by start clock, pooled over day types.
	nst, mst := types(&acc.napStart), types(&acc.mainStart)
	var nsa, msa [nClock]float64
	for t := range nTypes {
		for c := range nClock {
			nsa[c] += nst[t][c]
			msa[c] += mst[t][c]
		}
	}
	ns, ms := smoothCircular(&nsa, 90/binMinutes), smoothCircular(&msa, 90/binMinutes)
	var napTotal, napL float64
	for d := 1; d < mainMin; d++ {
		napTotal += acc.napLen[d]
		napL += acc.napLen[d] * math.Log((float64(d)-0.5)*binMinutes)
	}
	napMu := math.Log(priorNapLen)
	if napTotal > 0 {
		napW := napTotal / (napTotal + 3)
		napMu = napW*napL/napTotal + (1-napW)*napMu
	}

	var main, nap [maxSleep + 1]float64
	for d := 1; d <= maxSleep; d++ {
		x := math.Log((float64(d) - 0.5) * binMinutes)
		main[d] = math.Exp(-0.5*sq((x-mu)/sigma)) / float64(d)
		nap[d] = math.Exp(-0.5*sq((x-napMu)/priorNapSigma)) / float64(d)
	}
	normalize(main[1:])
	normalize(nap[1:])

	// The wake hazard of every slot in use (the second regime's only once there are two).
	for s := range m.regimes * 2 * nClock {
		c, t := s%nClock, s/nClock
		pi := (ns[c] + 2*priorNapShare) / (ns[c] + ms[c] + 2)
		gt := g[t*nClock : (t+1)*nClock]
		var p [maxSleep + 1]float64
		z := 0.0
		k := c
		for d := 1; d <= maxSleep; d++ {
			if k++; k == nClock {
				k = 0
			}
			p[d] = main[d] * gt[k]
			z += p[d]
		}
		scale := (1 - pi) / z
		for d := 1; d <= maxSleep; d++ {
			p[d] = pi*nap[d] + scale*p[d]
		}
		row := m.wake[s*maxSleep : (s+1)*maxSleep]
		row[maxSleep-1] = 1
		surv := p[maxSleep]
		for d := maxSleep - 1; d >= 1; d-- {
			surv += p[d]
			hz := 1.0
			if surv > 0 {
				hz = p[d] / surv
			}
			if hz < 1e-6 {
				hz = 1e-6
			}
			row[d-1] = hz
		}
	}
}

func sq(x float64) float64 { return x * x }

func normalize(x []float64) {
	s := 0.0
	for _, v := range x {
		s += v
	}
	if s == 0 {
		return
	}
	for i := range x {
		x[i] /= s
	}
}

// restfulStart is where, between bins lo and hi, a sleep of length bins is most restful by the
// clock profile moved later by late bins, with a slight preference for the earlier (the last
// post usually comes shortly before sleep; the first after waking can come hours later).
func restfulStart(ch *chain, restful *[nClock]float64, late, lo, hi, length int) int {
	at := func(t int) float64 { return restful[((ch.clockAt(t)-late)%nClock+nClock)%nClock] }
	from, best := lo, math.Inf(-1)
	score := 0.0
	for t := lo; t < hi; t++ {
		score += at(t)
		if t-lo >= length {
			score -= at(t - length)
		}
		if start := t - length + 1; t-lo >= length-1 && score-0.1*float64(start-lo) > best {
			best, from = score-0.1*float64(start-lo), start
		}
	}
	return from
}

// restfulPosts is how many session starts a posting profile must hold to weigh as much as the
// broader profile it is shrunk towards.
const restfulPosts = 30

// restfulProfile is how restful each clock bin looks from session starts by clock (active):
// one minus the smoothed activity relative to its peak, weighed n/(n + restfulPosts) for n
// session starts against the broader profile prior.
func restfulProfile(active, prior *[nClock]float64) [nClock]float64 {
	sm := smoothCircular(active, 90/binMinutes)
	peak, total := slices.Max(sm[:]), 0.0
	for _, a := range active {
		total += a
	}
	own := total / (total + restfulPosts)
	var out [nClock]float64
	for c := range nClock {
		out[c] = (1 - own) * prior[c]
		if peak > 0 {
			out[c] += own * (1 - sm[c]/peak)
		}
	}
	return out
}

// restfulDays is how many days on either side of a silence its local posting profile covers:
// a person whose rhythm changes (a run of night shifts, a flight across zones) has their
// nights placed by the rhythm of those days, shrunk towards the whole record's.
const restfulDays = 3

// localRestful returns, for a bin of ch, the restful profile of the days around it, built
// lazily per day of the chain.
func localRestful(ch *chain, global *[nClock]float64) func(t int) *[nClock]float64 {
	days := (len(ch.obs) + nClock - 1) / nClock
	perDay := make([][nClock]float64, days)
	for t, o := range ch.obs {
		if o == obsStart {
			perDay[t/nClock][ch.clockAt(t)]++
		}
	}
	cache := make([][nClock]float64, days)
	done := make([]bool, days)
	return func(t int) *[nClock]float64 {
		d := min(max(t/nClock, 0), days-1)
		if !done[d] {
			var active [nClock]float64
			for k := max(d-restfulDays, 0); k <= min(d+restfulDays, days-1); k++ {
				for c := range nClock {
					active[c] += perDay[k][c]
				}
			}
			cache[d], done[d] = restfulProfile(&active, global), true
		}
		return &cache[d]
	}
}

// initialCounts builds first-guess statistics from the posts alone, before any E-step: the
// long silences (at most one a day, the longest first) hold a sleep of a typical night's length,
// placed where the person least often posts (their posts' clock profile, with a little of the
// population's sleep profile to break ties), and everything else is awake time. It also returns
// the person's silence factors (lagFactors), estimated from those awake bins.
func initialCounts(chains []chain) (counts, [nLag]float64) {
	var acc counts
	// Awake quiet-or-start bins and session starts by posting slot and silence bucket, for the
	// joint estimate of the posting rates and the lag factors below.
	var lagD, lagN [nSlot][nLag]float64
	// How likely each clock bin is to be slept in, judging by the posts alone.
	var active [nClock]float64
	for i := range chains {
		ch := &chains[i]
		for t, o := range ch.obs {
			if o == obsStart {
				active[ch.clockAt(t)]++
			}
		}
	}
	// The posts' own profile counts in proportion to how many there are: with a handful of
	// posts the population's sleep profile decides where nights are.
	var pop [nClock]float64
	for c := range nClock {
		pop[c] = populationAsleep(c)
	}
	global := restfulProfile(&active, &pop)
	wakeful := 0 // the least restful clock bin
	for c := range nClock {
		if global[c] < global[wakeful] {
			wakeful = c
		}
	}
	// The night's silences, chain by chain: at least 3 h, the most restful first, at most one every
	// 14 h (their middles that far apart); and the shorter gaps between posting bins.
	type silence struct{ from, to int } // bins of the last post before and the first after
	nights := make([][]silence, len(chains))
	shorts := make([][]silence, len(chains))
	locals := make([]func(t int) *[nClock]float64, len(chains))
	for i := range chains {
		ch := &chains[i]
		var sil []silence
		last := -1
		for t, o := range ch.obs {
			if o == obsStart || o == obsMore || o == obsRun {
				switch {
				case last >= 0 && t-last > nClock:
					// A silence of more than a day holds a night for every day it spans: it is
					// cut at the person's least restful clock, so that each piece can hold one.
					a := last
					for c := last + 1; c < t; c++ {
						if ch.clockAt(c) == wakeful && c-a >= 180/binMinutes && t-c >= 180/binMinutes {
							sil = append(sil, silence{a, c})
							a = c
						}
					}
					sil = append(sil, silence{a, t})
				case last >= 0 && t-last >= 180/binMinutes:
					sil = append(sil, silence{last, t})
				case last >= 0:
					shorts[i] = append(shorts[i], silence{last, t})
				}
				last = t
			}
		}
		local := localRestful(ch, &global)
		locals[i] = local
		// The most restful first (a typical night placed in the silence as restfully as the
		// clock profile allows): usually the longest, but with few posts a long afternoon
		// silence must not pass for the night.
		rest := func(s silence) float64 {
			restful := local((s.from + s.to) / 2)
			lo, hi := s.from+1, s.to-1
			length := min(hi-lo, int(priorSleepLen)/binMinutes)
			from := restfulStart(ch, restful, 0, lo, hi, length)
			r := 0.0
			for t := from; t < from+length; t++ {
				r += restful[ch.clockAt(t)]
			}
			return r
		}
		scores := make(map[silence]float64, len(sil))
		for _, s := range sil {
			scores[s] = rest(s)
		}
		slices.SortStableFunc(sil, func(a, b silence) int { return cmp.Compare(scores[b], scores[a]) })
		for _, s := range sil {
			mid := (s.from + s.to) / 2
			ok := true
			for _, k := range nights[i] {
				if abs((k.from+k.to)/2-mid) < 14*60/binMinutes {
					ok = false
					break
				}
			}
			if ok {
				nights[i] = append(nights[i], s)
			}
		}
	}
	// Social jetlag: how much later free nights begin and end than work nights, from the clocks
	// of the last post before and the first post after each night's silence. Without it every
	// first guess would be a 7.5 h night at the pooled profile's quietest hours, and the rhythm
	// learned from them could not tell a Friday night from a Monday one.
	var lastAt, firstAt [2][]float64
	total := 0
	for i := range nights {
		total += len(nights[i])
	}
	for f := range 2 {
		lastAt[f], firstAt[f] = make([]float64, 0, total), make([]float64, 0, total)
	}
	for i := range chains {
		ch := &chains[i]
		for _, s := range nights[i] {
			free := ch.freeNight(s.from + 1)
			lastAt[free] = append(lastAt[free], (float64(ch.clockAt(s.from))+0.5)*binMinutes)
			firstAt[free] = append(firstAt[free], (float64(ch.clockAt(s.to))+0.5)*binMinutes)
		}
	}
	dOn := freeShift(&lastAt, priorFreeOnset)
	dWake := freeShift(&firstAt, priorFreeWake)
	share := float64(len(lastAt[1])) / float64(max(len(lastAt[0])+len(lastAt[1]), 1))
	for i := range chains {
		ch := &chains[i]
		n := len(ch.obs)
		short := shorts[i]
		asleep := make([]bool, n)
		for _, s := range nights[i] {
			// A typical night's length at most, a little after the last post and before the
			// next, where the clock profile is most restful. The profile pools work and free
			// nights in their proportion, so a free night's is moved later by the free nights'
			// share of the difference in mid-sleep and a work night's earlier by the rest, and
			// the night lengthened or shortened likewise (free nights end later than they
			// begin: catch-up sleep).
			free := ch.freeNight(s.from + 1)
			mid, extra := (dOn+dWake)/2, dWake-dOn
			if free == 1 {
				mid, extra = (1-share)*mid, (1-share)*extra
			} else {
				mid, extra = -share*mid, -share*extra
			}
			lo, hi := s.from+1, s.to-1
			length := min(hi-lo, int(math.Round((priorSleepLen+extra)/binMinutes)))
			if length < 60/binMinutes {
				continue
			}
			from := restfulStart(ch, locals[i]((s.from+s.to)/2), int(math.Round(mid/binMinutes)), lo, hi, length)
			to := from + length
			for t := from; t < to; t++ {
				asleep[t] = true
			}
			d := min(to-from, maxSleep)
			cs, ce := ch.nightAt(from), ch.nightAt(min(to, n-1))
			// The hazard starts the wind-down, a bin before the first bin asleep: counted at the
			// sleep's first bin, it would fire a bin late, and every night the model infers
			// would begin a bin (20 min) later than the first guesses that taught it.
			acc.onN[ch.nightAt(from-rampSleep)]++
			if d >= mainMin {
				acc.wakeAt[ce]++
				acc.mainStart[cs]++
			} else {
				acc.napStart[cs]++
				acc.napLen[d]++
			}
		}
		// Nap candidates: shorter silences of at least an hour and four times the person's
		// median gap, away from the night's sleep, amid busy posting (at the rate of the two
		// hours on either side, at least two posting bins would be expected in it), that
		// recur at about the same time of day on a quarter of the days (a habit, not a busy
		// afternoon). Without a first guess of this kind EM would not discover a habit of
		// napping.
		if len(short) > 0 {
			// The median gap, by counting: gaps shorter than 3 h are a few bins long.
			var byLen [180/binMinutes + 1]int
			for _, s := range short {
				byLen[s.to-s.from]++
			}
			median, seen := 0, 0
			for seen <= len(short)/2 {
				seen += byLen[median]
				median++
			}
			minNap := max(60/binMinutes+1, (median-1)*4)
			var cand []silence
			var at [nClock]float64
			for _, s := range short {
				if s.to-s.from < minNap || s.to-s.from > 150/binMinutes || asleep[s.from] || asleep[s.to] {
					continue
				}
				// The posting rate of the two hours on either side, that day.
				const side = 120 / binMinutes
				busy, bins := 0, 0
				for t := max(s.from-side, 0); t < min(s.to+side+1, n); t++ {
					if t > s.from && t < s.to {
						continue
					}
					bins++
					if o := ch.obs[t]; o != obsQuiet && o != obsStop && o != obsMissing {
						busy++
					}
				}
				if expected := float64(busy*(s.to-s.from-1)) / float64(bins); expected >= 2 {
					cand = append(cand, s)
					at[ch.clockAt(s.from+1)]++
				}
			}
			days := float64(n) * binMinutes / 1440
			for _, s := range cand {
				c, near := ch.clockAt(s.from+1), 0.0
				for k := -60 / binMinutes; k <= 60/binMinutes; k++ {
					near += at[(c+k+nClock)%nClock]
				}
				if near < max(3, 0.25*days) {
					continue
				}
				from, to := s.from+1, s.to
				for t := from; t < to; t++ {
					asleep[t] = true
				}
				cs := ch.nightAt(from)
				acc.onN[ch.nightAt(from-rampSleep)]++
				acc.napStart[cs]++
				acc.napLen[to-from]++
			}
		}
		for t := range n {
			o := ch.obs[t]
			if o == obsMissing {
				continue
			}
			c := ch.clockAt(t)
			acc.binsAt[c]++
			if asleep[t] {
				acc.sleepAt[c]++
				continue
			}
			acc.onD[ch.nightAt(t)]++
			ps := ch.postAt(t)
			if o == obsQuiet || o == obsStart {
				lagD[ps][ch.lag[t]]++
			}
			if o == obsStart {
				lagN[ps][ch.lag[t]]++
			}
		}
	}
	lag := lagFactors(&lagD, &lagN)
	for s := range nSlot {
		for b := range nLag {
			acc.postD[s] += lag[b] * lagD[s][b]
			acc.postN[s] += lagN[s][b]
		}
	}
	return acc, lag
}

// lagFactorPrior is how many expected session starts a bucket's factor is worth before it moves
// from 1 (a steady rate): a person with few posts keeps about the memoryless model.
const lagFactorPrior = 20

// lagFactors estimates how much likelier than their usual rate at that hour a person is to
// start a posting session, by how long they have been silent (lagBucket), from the awake bins of
// the first guesses: d[s][b] awake quiet-or-start bins and n[s][b] session starts by slot and
// bucket. The slot rates and the factors are estimated jointly (alternating, each given the
// other), and each factor is shrunk towards 1 by lagFactorPrior expected starts.
func lagFactors(d, n *[nSlot][nLag]float64) [nLag]float64 {
	var r, nb [nLag]float64
	var rate, starts [nSlot]float64
	used := make([]int, 0, nSlot) // the slots with awake bins: a regime's, at most
	for s := range nSlot {
		var bins float64
		for b := range nLag {
			bins += d[s][b]
			starts[s] += n[s][b]
			nb[b] += n[s][b]
		}
		if bins > 0 {
			used = append(used, s)
		}
	}
	for b := range nLag {
		r[b] = 1
	}
	for range 4 {
		for _, s := range used {
			var den float64
			for b := range nLag {
				den += r[b] * d[s][b]
			}
			rate[s] = starts[s] / den
		}
		for b := range nLag {
			var e float64
			for _, s := range used {
				e += rate[s] * d[s][b]
			}
			r[b] = (nb[b] + lagFactorPrior) / (e + lagFactorPrior)
		}
	}
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Social jetlag priors, minutes: how much later free nights begin and end than work nights.
// Roenneberg et al. (2012, about 65,000 MCTQ respondents) found about two thirds of people with
// an hour or more of social jetlag (the shift of mid-sleep); Scheffler and Kyba (2016, Twitter
// activity of over 200,000 users) measured wake-ups on Sundays 50 min to over 2 h later than on
// weekdays, so free nights also last longer. priorFreeSD is what the prior is worth: about as
// much as four weeks' evidence of someone who posts a few times an evening.
const (
	priorFreeOnset = 60.0
	priorFreeWake  = 90.0
	priorFreeSD    = 30.0
)

// freeShift estimates how much later (minutes) free nights' clocks in at[1] are than work
// nights' in at[0] (minutes after midnight, either side of midnight): the difference of the
// medians, robust to the odd late post, shrunk towards prior by the precision of the evidence.
// With fewer than two nights of either kind it is the prior.
func freeShift(at *[2][]float64, prior float64) float64 {
	if len(at[0]) < 2 || len(at[1]) < 2 {
		return prior
	}
	// Circular mean of the work clocks, then deviations unwrapped round it.
	var sx, cy float64
	for _, v := range at[0] {
		a := v / 1440 * 2 * math.Pi
		sx, cy = sx+math.Sin(a), cy+math.Cos(a)
	}
	ref := math.Atan2(sx, cy) / (2 * math.Pi) * 1440
	dev := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, v := range xs {
			d := math.Mod(v-ref+1440*2, 1440)
			if d >= 720 {
				d -= 1440
			}
			out[i] = d
		}
		slices.Sort(out)
		return out
	}
	w, f := dev(at[0]), dev(at[1])
	medW, medF := w[len(w)/2], f[len(f)/2]
	// Spread: the median absolute deviation of both groups, pooled.
	ad := make([]float64, 0, len(w)+len(f))
	for _, v := range w {
		ad = append(ad, math.Abs(v-medW))
	}
	for _, v := range f {
		ad = append(ad, math.Abs(v-medF))
	}
	slices.Sort(ad)
	sd := max(1.4826*ad[len(ad)/2], binMinutes)
	// The variance of a median is about pi/2 times that of a mean.
	v := math.Pi / 2 * sd * sd * (1/float64(len(w)) + 1/float64(len(f)))
	pv := priorFreeSD * priorFreeSD
	return ((medF-medW)/v + prior/pv) / (1/v + 1/pv)
}
