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
)

// evidence returns the distinct instants of sorted ts that count as evidence of being awake:
// duplicates once, and without the lone posts that recur at one clock minute (local or UTC)
// on many days of a four-week block. A person posting by hand at exactly the same minute on
// four separate days with nothing else within half an hour is very unlikely (with 3 posts a day,
// about one chance in a thousand per month across all 1,440 minutes).
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
	// Only lone posts can be scheduled ones; a person who never posts alone (most busy
	// posters) needs no further look.
	lone := 0
	for i := range out {
		if alone(out, i) {
			lone++
		}
	}
	if lone < scheduledMinDays {
		return out
	}
	local := make([]int64, len(out))
	for i, t := range out {
		local[i] = z.localMs(t)
	}
	drop := make([]bool, len(out))
	var localN, utcN [1440]int32
	var lastLocal, lastUTC [1440]int64 // the day last counted for each minute
	any := false
	for lo := 0; lo < len(out); {
		// One block: [out[lo], out[lo] + scheduledBlock).
		hi := lo
		for hi < len(out) && out[hi] < out[lo]+scheduledBlock {
			hi++
		}
		clear(localN[:])
		clear(utcN[:])
		for i := range lastLocal {
			lastLocal[i], lastUTC[i] = -1<<62, -1<<62
		}
		days, lastDay := 0, int64(-1<<62)
		for i := lo; i < hi; i++ {
			ld := floorDiv(local[i], msPerDay)
			if ld != lastDay {
				days++
				lastDay = ld
			}
			if !alone(out, i) {
				continue
			}
			ml := (local[i] - ld*msPerDay) / msPerMinute
			ud := floorDiv(out[i], msPerDay)
			mu := (out[i] - ud*msPerDay) / msPerMinute
			if ld != lastLocal[ml] {
				localN[ml]++
				lastLocal[ml] = ld
			}
			if ud != lastUTC[mu] {
				utcN[mu]++
				lastUTC[mu] = ud
			}
		}
		need := int32(max(scheduledMinDays, int(scheduledShare*float64(days)+0.999)))
		for i := lo; i < hi; i++ {
			if !alone(out, i) {
				continue
			}
			ml := floorMod(local[i], msPerDay) / msPerMinute
			mu := floorMod(out[i], msPerDay) / msPerMinute
			if localN[ml] >= need || utcN[mu] >= need {
				drop[i] = true
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

// alone reports whether ts[i] has no other post within scheduledAlone.
func alone(ts []int64, i int) bool {
	return (i == 0 || ts[i]-ts[i-1] > scheduledAlone) && (i == len(ts)-1 || ts[i+1]-ts[i] > scheduledAlone)
}
