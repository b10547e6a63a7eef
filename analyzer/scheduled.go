package analyzer

// Scheduled posts: a scheduling client that posts at the same clock minute day after day says
// nothing about when its owner is awake. FilterAutomated drops the clients it knows by name;
// scheduledPosts catches the rest by their timing, so that a 03:00 post every night does not
// read as a person awake at 03:00 every night.
const (
	// scheduledAlone is how far a post must be from every other post to look scheduled: a post
	// inside a burst of the person's own posts is evidence of being awake whoever sent it.
	scheduledAlone = 30 * msPerMinute
	// scheduledBlock is the stretch over which recurrences are counted, so that a schedule that
	// ran for a month of a years-long archive is still caught.
	scheduledBlock = 28 * msPerDay
	// A clock minute is a schedule when lone posts fall on it on at least scheduledMinDays days
	// of a block and on at least scheduledShare of the block's days with posts.
	scheduledMinDays = 4
	scheduledShare   = 0.15
	// scheduledCluster is the most posts a cluster of schedules may hold: a client posting a
	// few items minutes apart, not a session of the person's own.
	scheduledCluster = 3
)

// evidence returns the distinct instants of sorted ts that count as evidence of being awake:
// duplicates once, and without the posts of a scheduling client, recognised by their timing
// within a four-week block: a lone post (nothing else within half an hour) at a clock minute
// (local or UTC) where lone posts fall on many days, or a small cluster of posts that recurs
// whole — the same minutes — on many days. A person posting by hand at exactly the same minute
// on four separate days with nothing else within half an hour is very unlikely (with 3 posts a
// day, about one chance in a thousand per month across all 1,440 minutes); repeating a pair of
// exact minutes is rarer still. Clusters matter because two schedules a few minutes apart
// (03:00 and 03:06 every night) would otherwise shield each other.
func evidence(z *zone, ts []int64) []int64 {
	out := make([]int64, 0, len(ts))
	for i, t := range ts {
		if i == 0 || t != ts[i-1] {
			out = append(out, t)
		}
	}
	if len(out) < scheduledMinDays {
		return out
	}
	// Only isolated clusters of a few posts can be schedules; a person who never posts in
	// them (most busy posters) needs no further look.
	candidates := 0
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && out[j]-out[j-1] <= scheduledAlone {
			j++
		}
		if j-i <= scheduledCluster {
			candidates++
		}
		i = j
	}
	if candidates < scheduledMinDays {
		return out
	}
	local := make([]int64, len(out))
	for i, t := range out {
		local[i] = z.localMs(t)
	}
	drop := make([]bool, len(out))
	var singles minuteDays
	var clusters [][2]int
	patterns := map[clusterKey]seen{}
	any := false
	for lo := 0; lo < len(out); {
		// One block: [out[lo], out[lo] + scheduledBlock).
		hi := lo
		for hi < len(out) && out[hi] < out[lo]+scheduledBlock {
			hi++
		}
		days, lastDay := 0, int64(-1<<62)
		for i := lo; i < hi; i++ {
			if ld := floorDiv(local[i], msPerDay); ld != lastDay {
				days++
				lastDay = ld
			}
		}
		need := max(scheduledMinDays, int(scheduledShare*float64(days)+0.999))
		// The isolated clusters of the block: [start, end) of each, and the days each pattern
		// of clock minutes (local and UTC) occurs on.
		singles.reset()
		clusters = clusters[:0]
		clear(patterns)
		for i := lo; i < hi; {
			j := i + 1
			for j < hi && out[j]-out[j-1] <= scheduledAlone {
				j++
			}
			isolated := (i == 0 || out[i]-out[i-1] > scheduledAlone) && (j == len(out) || out[j]-out[j-1] > scheduledAlone)
			switch {
			case isolated && j-i == 1:
				singles.add(local[i], out[i])
				clusters = append(clusters, [2]int{i, j})
			case isolated && j-i <= scheduledCluster:
				keys, on := keysOf(local, out, i, j)
				for c, k := range keys {
					if p, ok := patterns[k]; !ok || on[c] != p.last {
						patterns[k] = seen{days: p.days + 1, last: on[c]}
					}
				}
				clusters = append(clusters, [2]int{i, j})
			}
			i = j
		}
		for _, c := range clusters {
			i, j := c[0], c[1]
			hit := false
			if j-i == 1 {
				hit = singles.recurs(local[i], out[i], int32(need))
			} else {
				keys, _ := keysOf(local, out, i, j)
				for _, k := range keys {
					hit = hit || patterns[k].days >= need
				}
			}
			if hit {
				for k := i; k < j; k++ {
					drop[k] = true
				}
				any = true
			}
		}
		lo = hi
	}
	if !any {
		return out
	}
	kept := out[:0]
	for i, t := range out {
		if !drop[i] {
			kept = append(kept, t)
		}
	}
	return kept
}

// clusterKey is a cluster's pattern of clock minutes on one clock (local or UTC): the minute of
// its first post and the minutes from it to each of the others, plus one (0: no such post).
type clusterKey struct {
	utc     bool
	minute  int64
	offsets [scheduledCluster - 1]int64
}

// seen counts the days a pattern occurs on.
type seen struct {
	days int
	last int64 // the day last counted
}

// keysOf returns the local and the UTC pattern of the cluster out[i:j] (local holds the local
// wall clock of each post as Unix ms), and the day of its first post on each clock.
func keysOf(local, out []int64, i, j int) (keys [2]clusterKey, days [2]int64) {
	for c, ts := range [2][]int64{local, out} {
		d := floorDiv(ts[i], msPerDay)
		keys[c] = clusterKey{utc: c == 1, minute: (ts[i] - d*msPerDay) / msPerMinute}
		for n := i + 1; n < j; n++ {
			keys[c].offsets[n-i-1] = (ts[n]-ts[i])/msPerMinute + 1
		}
		days[c] = d
	}
	return keys, days
}

// minuteDays counts, per clock minute of the local and of the UTC day, the days with a post at
// that minute.
type minuteDays struct {
	localN, utcN       [1440]int32
	lastLocal, lastUTC [1440]int64 // the day last counted for each minute
}

func (m *minuteDays) reset() {
	clear(m.localN[:])
	clear(m.utcN[:])
	for i := range m.lastLocal {
		m.lastLocal[i], m.lastUTC[i] = -1<<62, -1<<62
	}
}

// add counts a post at local time lt (local wall clock as Unix ms) and instant ut.
func (m *minuteDays) add(lt, ut int64) {
	ld, ud := floorDiv(lt, msPerDay), floorDiv(ut, msPerDay)
	ml, mu := (lt-ld*msPerDay)/msPerMinute, (ut-ud*msPerDay)/msPerMinute
	if ld != m.lastLocal[ml] {
		m.localN[ml]++
		m.lastLocal[ml] = ld
	}
	if ud != m.lastUTC[mu] {
		m.utcN[mu]++
		m.lastUTC[mu] = ud
	}
}

// recurs reports whether the local or the UTC minute of a post has posts on at least need days.
func (m *minuteDays) recurs(lt, ut int64, need int32) bool {
	return m.localN[floorMod(lt, msPerDay)/msPerMinute] >= need || m.utcN[floorMod(ut, msPerDay)/msPerMinute] >= need
}
