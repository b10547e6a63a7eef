package emulator

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

const (
	tokenWindow = 15 * time.Minute
	appWindow   = 24 * time.Hour
)

// tokenLimit is the per-token limit per 15-minute window, as Twitter documents them.
func tokenLimit(endpoint string) int {
	switch endpoint {
	case epUserTimeline, epUsersTweets:
		return 900
	default: // verify_credentials, users/me
		return 75
	}
}

// window is a fixed rate-limit window that starts with its first request.
type window struct {
	used  int
	reset time.Time
}

func (w *window) roll(now time.Time, length time.Duration) {
	if !now.Before(w.reset) {
		w.used = 0
		w.reset = now.Add(length)
	}
}

type tokenEndpoint struct{ token, endpoint string }

// limiter enforces the per-token windows and the app-wide 24-hour cap on timeline requests.
type limiter struct {
	mu       sync.Mutex
	perToken map[tokenEndpoint]*window
	app      window
	appCap   int
	inserts  int
}

func newLimiter(appCap int) *limiter {
	return &limiter{perToken: map[tokenEndpoint]*window{}, appCap: appCap}
}

// quota is what the rate-limit headers report.
type quota struct {
	limit, remaining int
	reset            time.Time
	app              *quota // the app-wide cap, for timeline endpoints
}

// take spends one request of token on endpoint (and of the app cap when timeline is true);
// ok is false, and nothing is spent, when a limit is reached.
func (l *limiter) take(now time.Time, token, endpoint string, timeline bool) (q quota, ok bool) {
	limit := tokenLimit(endpoint)
	l.mu.Lock()
	defer l.mu.Unlock()
	key := tokenEndpoint{token, endpoint}
	w := l.perToken[key]
	if w == nil {
		l.inserts++
		if l.inserts%1024 == 0 {
			for k, old := range l.perToken {
				if !now.Before(old.reset) {
					delete(l.perToken, k)
				}
			}
		}
		w = &window{}
		l.perToken[key] = w
	}
	w.roll(now, tokenWindow)
	q = quota{limit: limit, remaining: limit - w.used, reset: w.reset}
	if timeline {
		l.app.roll(now, appWindow)
		q.app = &quota{limit: l.appCap, remaining: max(l.appCap-l.app.used, 0), reset: l.app.reset}
		if l.app.used >= l.appCap {
			// The app cap is what blocks: report it in the standard headers too.
			q.limit, q.remaining, q.reset = l.appCap, 0, l.app.reset
			return q, false
		}
	}
	if w.used >= limit {
		q.remaining = 0
		return q, false
	}
	w.used++
	q.remaining--
	if timeline {
		l.app.used++
		q.app.remaining--
	}
	return q, true
}

// setAppRemaining sets the budget left in the current app window (and optionally the cap).
func (l *limiter) setAppRemaining(now time.Time, remaining, limit int) quota {
	l.mu.Lock()
	defer l.mu.Unlock()
	if limit > 0 {
		l.appCap = limit
	}
	l.app.roll(now, appWindow)
	remaining = min(max(remaining, 0), l.appCap)
	l.app.used = l.appCap - remaining
	return quota{limit: l.appCap, remaining: remaining, reset: l.app.reset}
}

func (l *limiter) appState(now time.Time) quota {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.app.roll(now, appWindow)
	return quota{limit: l.appCap, remaining: max(l.appCap-l.app.used, 0), reset: l.app.reset}
}

func (l *limiter) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.perToken = map[tokenEndpoint]*window{}
	l.app = window{}
}

func (q quota) setHeaders(h http.Header) {
	h.Set("x-rate-limit-limit", strconv.Itoa(q.limit))
	h.Set("x-rate-limit-remaining", strconv.Itoa(q.remaining))
	h.Set("x-rate-limit-reset", strconv.FormatInt(q.reset.Unix(), 10))
	if q.app != nil {
		h.Set("x-app-limit-24hour-limit", strconv.Itoa(q.app.limit))
		h.Set("x-app-limit-24hour-remaining", strconv.Itoa(q.app.remaining))
		h.Set("x-app-limit-24hour-reset", strconv.FormatInt(q.app.reset.Unix(), 10))
	}
}

// limit spends one request for a signed request and writes the rate-limit headers; it answers
// 429 and returns false when a limit is reached.
func (e *Emulator) limit(w http.ResponseWriter, v apiVersion, token, endpoint string, timeline bool) bool {
	q, ok := e.limits.take(e.cfg.Now(), token, endpoint, timeline)
	q.setHeaders(w.Header())
	if !ok {
		e.writeError(w, v, errRateLimit)
	}
	return ok
}
