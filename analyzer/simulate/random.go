package simulate

import (
	"math"
	"math/rand/v2"
)

// rng wraps a seeded PCG generator with the few distributions the simulator draws from. It is
// never shared between people, so each person is reproducible on its own.
type rng struct{ *rand.Rand }

func newRNG(seed, stream uint64) rng { return rng{rand.New(rand.NewPCG(seed, stream))} }

// normal draws from N(mean, sd).
func (r rng) normal(mean, sd float64) float64 { return mean + sd*r.NormFloat64() }

// logNormal draws a log-normal variate with the given median and log-scale sigma.
func (r rng) logNormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// uniform draws from [lo, hi).
func (r rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// bernoulli is true with probability p.
func (r rng) bernoulli(p float64) bool { return r.Float64() < p }

// gamma draws from Gamma(shape, 1) (Marsaglia and Tsang 2000).
func (r rng) gamma(shape float64) float64 {
	if shape < 1 {
		return r.gamma(shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// geometric draws the number of failures before the first success for success probability p.
func (r rng) geometric(p float64) int {
	if p >= 1 {
		return 0
	}
	return int(math.Floor(math.Log(1-r.Float64()) / math.Log(1-p)))
}

// between picks an integer in [lo, hi].
func (r rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func clamp(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }
