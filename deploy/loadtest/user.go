package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// driver runs virtual users against one public URL and one emulator.
type driver struct {
	public   string // the service (the proxy's URL)
	emulator string // the emulator's URL, for the consent form
	start    time.Time
	cfg      options
	rec      *recorder
	tr       http.RoundTripper
	// refreshBy is the latest offset at which a user still starts the after-CACHE_TTL revisit,
	// so the run ends soon after arrivals do.
	refreshBy time.Duration
	// skipLanding is set when the binary has no web UI: its landing page is a 503 that says so,
	// which is a build choice (plain `go build` before `npm run build`), not an outage.
	skipLanding bool
}

// vu is one virtual user: a browser with its own cookie jar and client address.
type vu struct {
	d   *driver
	n   int
	hc  *http.Client
	res *userResult
}

func (d *driver) newUser(n int) *vu {
	jar, _ := cookiejar.New(nil)
	return &vu{d: d, n: n, res: &userResult{},
		hc: &http.Client{Transport: d.tr, Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// persona is the emulator identity of user n: a distinct Twitter user per virtual user.
func (d *driver) persona(n int) string {
	p := d.cfg.personas[n%len(d.cfg.personas)]
	return fmt.Sprintf("%s#%d", p, d.cfg.UserOffset+n+1)
}

// answer is a response with its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request, records it under endpoint, and reads the body.
func (u *vu) do(ctx context.Context, endpoint, method, target string, body io.Reader, hdr map[string]string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return answer{}, fmt.Errorf("build %s request: %w", endpoint, err)
	}
	req.Header.Set(userHeader, strconv.Itoa(u.n))
	if u.d.cfg.Target != "" {
		req.Header.Set("X-Forwarded-For", userIP(u.n))
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	t0 := time.Now()
	resp, err := u.hc.Do(req)
	var a answer
	if err == nil {
		a = answer{status: resp.StatusCode, header: resp.Header}
		a.body, err = io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		resp.Body.Close()
	}
	if ctx.Err() != nil {
		return a, ctx.Err() // the run ended: not a sample of the service's behaviour
	}
	status := a.status
	if err != nil {
		status = 0
	}
	u.d.rec.add(sample{endpoint: endpoint, status: status, start: t0.Sub(u.d.start), dur: time.Since(t0)})
	if err != nil {
		return a, fmt.Errorf("%s: %w", endpoint, err)
	}
	return a, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// retryAfter reads the wait the service asked for: the JSON retryAfter, else Retry-After,
// else def; bounded to [200ms, max].
func retryAfter(a answer, def, maxWait time.Duration) time.Duration {
	var body struct {
		RetryAfter *float64 `json:"retryAfter"`
	}
	d := def
	if json.Unmarshal(a.body, &body) == nil && body.RetryAfter != nil {
		d = time.Duration(*body.RetryAfter * float64(time.Second))
	} else if s, err := strconv.Atoi(a.header.Get("Retry-After")); err == nil {
		d = time.Duration(s) * time.Second
	}
	return min(max(d, 200*time.Millisecond), maxWait)
}

// run takes the user through the whole flow. Every step is bounded by ctx (the run's hard cap).
func (u *vu) run(ctx context.Context) {
	d := u.d
	if !d.skipLanding {
		if _, err := u.do(ctx, epLanding, http.MethodGet, d.public+"/", nil, nil); err != nil && ctx.Err() != nil {
			return
		}
	}
	if !u.signIn(ctx) {
		return
	}
	u.res.signedIn = true
	if !u.me(ctx) {
		return
	}
	servedAt, ok := u.periods(ctx, epPeriods, true)
	if !ok {
		return
	}
	u.share(ctx)
	// A revisit within CACHE_TTL: the cached analysis, no Twitter call.
	if sleep(ctx, time.Second) {
		if _, ok := u.periods(ctx, epRevisit, false); ok {
			u.res.revisitServed = true
		}
	}
	// A revisit after CACHE_TTL: one since_id call, if the run lasts long enough for it.
	at := servedAt.Add(d.cfg.cacheTTL + time.Second)
	if at.Sub(d.start) <= d.refreshBy && sleep(ctx, time.Until(at)) {
		if _, ok := u.periods(ctx, epRefresh, false); ok {
			u.res.refreshServed = true
		}
		u.me(ctx)
	}
}

// signIn goes through /auth/login, the emulator's consent form and the callback; a refused
// attempt (rate limited, Redis down) is retried a few times after the wait it asked for.
func (u *vu) signIn(ctx context.Context) bool {
	d := u.d
	for attempt := range 5 {
		if attempt > 0 && !sleep(ctx, time.Duration(attempt)*time.Second) {
			return false
		}
		a, err := u.do(ctx, epLogin, http.MethodGet, d.public+"/auth/login", nil, nil)
		if err != nil {
			u.res.signInFailed = "login_transport"
			continue
		}
		loc := a.header.Get("Location")
		if a.status != http.StatusFound || strings.HasPrefix(loc, "/") {
			u.res.signInFailed = "login:" + strconv.Itoa(a.status) + errorCode(loc)
			if s, err := strconv.Atoi(a.header.Get("Retry-After")); err == nil && !sleep(ctx, time.Duration(s)*time.Second) {
				return false
			}
			continue
		}
		authURL, err := url.Parse(loc)
		if err != nil {
			u.res.signInFailed = "login_location"
			continue
		}
		tok := authURL.Query().Get("oauth_token")
		// The consent page is on the emulator (Twitter): the browser goes there directly.
		consentURL := d.emulator + "/oauth/authenticate"
		if a, err := u.do(ctx, epConsent, http.MethodGet, consentURL+"?oauth_token="+url.QueryEscape(tok), nil, nil); err != nil || a.status != http.StatusOK {
			u.res.signInFailed = "consent_form:" + strconv.Itoa(a.status)
			continue
		}
		form := url.Values{"oauth_token": {tok}, "persona": {d.persona(u.n)}}.Encode()
		a, err = u.do(ctx, epAuthorize, http.MethodPost, consentURL, strings.NewReader(form),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if err != nil || a.status != http.StatusFound {
			u.res.signInFailed = "consent_submit:" + strconv.Itoa(a.status)
			continue
		}
		a, err = u.do(ctx, epCallback, http.MethodGet, a.header.Get("Location"), nil, nil)
		if err != nil {
			u.res.signInFailed = "callback_transport"
			continue
		}
		if loc := a.header.Get("Location"); a.status != http.StatusFound || loc != "/" {
			u.res.signInFailed = "callback:" + strconv.Itoa(a.status) + errorCode(loc)
			continue
		}
		u.res.signInFailed = ""
		return true
	}
	return false
}

// errorCode extracts "?error=code" of a redirect to the app.
func errorCode(loc string) string {
	if _, q, ok := strings.Cut(loc, "?"); ok {
		if v, err := url.ParseQuery(q); err == nil && v.Get("error") != "" {
			return ":" + v.Get("error")
		}
	}
	return ""
}

// me checks the session; a 401 after sign-in is a lost session. 503s are retried briefly.
func (u *vu) me(ctx context.Context) bool {
	for range 10 {
		a, err := u.do(ctx, epMe, http.MethodGet, u.d.public+"/api/me", nil, nil)
		switch {
		case ctx.Err() != nil:
			return false
		case err == nil && a.status == http.StatusOK:
			return true
		case err == nil && a.status == http.StatusUnauthorized:
			u.res.lostSession = true
			return false
		}
		if !sleep(ctx, retryAfter(a, time.Second, 3*time.Second)) {
			return false
		}
	}
	return false
}

// periods polls /api/periods until it answers 200, honouring retryAfter on 202, 429 and 503,
// for at most -max-wait. first marks the poll whose queueing is accounted.
func (u *vu) periods(ctx context.Context, endpoint string, first bool) (time.Time, bool) {
	d := u.d
	target := d.public + "/api/periods?tz=Asia%2FTokyo"
	begin := time.Now()
	var queuedAt time.Time
	for {
		a, err := u.do(ctx, endpoint, http.MethodGet, target, nil, nil)
		if ctx.Err() != nil {
			u.noteWait(first, queuedAt)
			return time.Time{}, false
		}
		if first {
			u.res.stillQueued, u.res.rateLimited = false, false
		}
		wait := time.Second
		switch {
		case err != nil:
		case a.status == http.StatusOK:
			if first {
				var body struct {
					PostCount int `json:"postCount"`
				}
				_ = json.Unmarshal(a.body, &body)
				u.res.served, u.res.postCount = true, body.PostCount
				u.noteWait(first, queuedAt)
			}
			return time.Now(), true
		case a.status == http.StatusAccepted:
			if first {
				u.res.queued, u.res.stillQueued = true, true
				if queuedAt.IsZero() {
					queuedAt = time.Now()
				}
			}
			wait = retryAfter(a, time.Second, 5*time.Second)
		case a.status == http.StatusTooManyRequests:
			if first {
				u.res.rateLimited = true
			}
			wait = retryAfter(a, 5*time.Second, 5*time.Second)
		case a.status == http.StatusUnauthorized:
			u.res.lostSession = true
			u.noteWait(first, queuedAt)
			return time.Time{}, false
		default: // 503 and anything unexpected: honour Retry-After, bounded
			wait = retryAfter(a, time.Second, 3*time.Second)
		}
		// Keep polling until -max-wait, even when told to come back later than that.
		left := d.cfg.maxWait - time.Since(begin)
		if left <= 0 || !sleep(ctx, min(wait, left)) {
			u.noteWait(first, queuedAt)
			return time.Time{}, false
		}
	}
}

func (u *vu) noteWait(first bool, queuedAt time.Time) {
	if first && !queuedAt.IsZero() {
		u.res.queueWait = time.Since(queuedAt)
	}
}

// share creates a share of the analysis; 404 means the endpoint is not deployed yet.
func (u *vu) share(ctx context.Context) {
	d := u.d
	a, err := u.do(ctx, epShare, http.MethodPost, d.public+"/api/shares?tz=Asia%2FTokyo", strings.NewReader(`{"tz":"Asia/Tokyo"}`),
		map[string]string{"Origin": d.public, "Content-Type": "application/json"})
	switch {
	case err != nil:
	case a.status == http.StatusOK || a.status == http.StatusCreated:
		u.res.shareCreated = true
	case a.status == http.StatusNotFound:
		u.res.shareSkipped = true
	case a.status == http.StatusUnauthorized:
		u.res.lostSession = true
	}
}

// landingServed asks the service for its landing page once, before the run: false when the
// binary was built without the web UI (a 503 marked X-Nezame-Web: not-built).
func landingServed(ctx context.Context, public string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, public+"/", nil)
	if err != nil {
		return false, fmt.Errorf("landing preflight: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, fmt.Errorf("landing preflight: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return !(resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("X-Nezame-Web") == "not-built"), nil
}
