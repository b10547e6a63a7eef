package loadtest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ramp is an arrival rate (users per second) that moves linearly between knots spread evenly
// over the run: "2,5,50,100" over 60 s is 2/s at 0 s, 5/s at 20 s, 50/s at 40 s, 100/s at 60 s —
// slow, then 10x within a minute, the shape of a post going viral.
type ramp []float64

func parseRamp(s string) (ramp, error) {
	var r ramp
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v < 0 || v > 10000 {
			return nil, fmt.Errorf("-ramp: want comma-separated rates 0..10000 users/s, got %q", f)
		}
		r = append(r, v)
	}
	if len(r) == 0 {
		return nil, fmt.Errorf("-ramp: empty")
	}
	return r, nil
}

func (r ramp) String() string {
	parts := make([]string, len(r))
	for i, v := range r {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// rate is the arrival rate at t of a run lasting d.
func (r ramp) rate(t, d time.Duration) float64 {
	if len(r) == 1 || d <= 0 {
		return r[0]
	}
	pos := float64(t) / float64(d) * float64(len(r)-1)
	i := int(pos)
	if i >= len(r)-1 {
		return r[len(r)-1]
	}
	frac := pos - float64(i)
	return r[i] + (r[i+1]-r[i])*frac
}

// arrivals returns the start offsets of the virtual users: the n-th user starts when the
// integral of the rate reaches n (a deterministic fluid arrival process, so runs compare), at
// most limit of them.
func (r ramp) arrivals(d time.Duration, limit int) []time.Duration {
	const step = time.Millisecond
	var out []time.Duration
	acc := 0.0
	for t := time.Duration(0); t < d && len(out) < limit; t += step {
		acc += r.rate(t, d) * step.Seconds()
		for acc >= 1 && len(out) < limit {
			out = append(out, t)
			acc--
		}
	}
	return out
}
