package emulator

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/nezame/nezame/api/internal/emulator/persona"
)

// Config configures an Emulator. Zero values take the documented defaults.
type Config struct {
	ConsumerKey, ConsumerSecret string // defaults "demo-key"/"demo-secret"
	AppDailyCap                 int    // app-wide timeline requests per 24 h, default 100000
	Seed                        int64  // persona generation seed, default 1
	// Now is the emulator's clock: persona posts, rate-limit windows and token expiry.
	Now func() time.Time
	// SignatureClock checks oauth_timestamp skew and nonce lifetimes. It defaults to time.Now,
	// not Now, because real clients (dghubble/oauth1) sign with the wall clock and cannot be
	// given another; tests that move Now about still sign valid requests.
	SignatureClock func() time.Time
	// BasePath is the path prefix the emulator is mounted under ("/_twitter" in demo mode).
	// Requests may arrive with or without it (http.StripPrefix); signatures are checked against
	// the full public path either way.
	BasePath string
	Logger   *slog.Logger
}

// Default configuration values.
const (
	DefaultConsumerKey    = "demo-key"
	DefaultConsumerSecret = "demo-secret"
	DefaultAppDailyCap    = 100000
)

// Emulator is the Twitter emulator; it implements http.Handler and is safe for concurrent use.
type Emulator struct {
	cfg    Config
	gen    *persona.Generator
	mux    *http.ServeMux
	tokens *tokenStore
	nonces *nonceStore
	limits *limiter
	stats  *stats

	faultMu sync.Mutex
	faults  Faults
}

// New returns an Emulator for cfg.
func New(cfg Config) *Emulator {
	if cfg.ConsumerKey == "" {
		cfg.ConsumerKey = DefaultConsumerKey
	}
	if cfg.ConsumerSecret == "" {
		cfg.ConsumerSecret = DefaultConsumerSecret
	}
	if cfg.AppDailyCap <= 0 {
		cfg.AppDailyCap = DefaultAppDailyCap
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SignatureClock == nil {
		cfg.SignatureClock = time.Now
	}
	cfg.BasePath = strings.TrimRight(cfg.BasePath, "/")
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Emulator{
		cfg:    cfg,
		gen:    persona.NewGenerator(cfg.Seed),
		tokens: newTokenStore(),
		nonces: newNonceStore(maxNonces),
		limits: newLimiter(cfg.AppDailyCap),
		stats:  newStats(),
	}
	e.mux = e.routes()
	return e
}

// Endpoint names as they appear in /_emulator/stats.
const (
	epRequestToken      = "request_token"
	epAuthenticate      = "authenticate"
	epAccessToken       = "access_token"
	epVerifyCredentials = "verify_credentials"
	epUserTimeline      = "user_timeline"
	epUsersMe           = "users_me"
	epUsersTweets       = "users_tweets"
)

func (e *Emulator) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("POST /oauth/request_token", e.api(epRequestToken, v1, e.requestToken))
	m.Handle("GET /oauth/authenticate", e.api(epAuthenticate, v1, e.consentPage))
	m.Handle("POST /oauth/authenticate", e.api(epAuthenticate, v1, e.consentSubmit))
	m.Handle("GET /oauth/authorize", e.api(epAuthenticate, v1, e.consentPage))
	m.Handle("POST /oauth/authorize", e.api(epAuthenticate, v1, e.consentSubmit))
	m.Handle("POST /oauth/access_token", e.api(epAccessToken, v1, e.accessToken))
	m.Handle("GET /1.1/account/verify_credentials.json", e.api(epVerifyCredentials, v1, e.verifyCredentials))
	m.Handle("GET /1.1/statuses/user_timeline.json", e.api(epUserTimeline, v1, e.userTimeline))
	m.Handle("GET /2/users/me", e.api(epUsersMe, v2, e.usersMe))
	m.Handle("GET /2/users/{id}/tweets", e.api(epUsersTweets, v2, e.usersTweets))

	m.HandleFunc("GET /_emulator/stats", e.handleStats)
	m.HandleFunc("POST /_emulator/reset", e.handleReset)
	m.HandleFunc("POST /_emulator/faults", e.handleFaults)
	m.HandleFunc("POST /_emulator/app-cap", e.handleAppCap)
	m.HandleFunc("POST /_emulator/revoke", e.handleRevoke)
	m.HandleFunc("GET /_emulator/avatar/{file}", e.handleAvatar)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeV1Error(w, http.StatusNotFound, 34, "Sorry, that page does not exist.")
	})
	return m
}

// ServeHTTP routes a request, with or without the BasePath prefix.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if bp := e.cfg.BasePath; bp != "" && (r.URL.Path == bp || strings.HasPrefix(r.URL.Path, bp+"/")) {
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = strings.TrimPrefix(r.URL.Path, bp)
		u.RawPath = strings.TrimPrefix(r.URL.RawPath, bp)
		if u.Path == "" {
			u.Path = "/"
		}
		r2.URL = &u
		r = r2
	}
	e.mux.ServeHTTP(w, r)
}

// apiVersion selects the error body shape.
type apiVersion int

const (
	v1 apiVersion = iota
	v2
)

// apiError is a failure answered in the endpoint's own error shape.
type apiError struct {
	status int
	code   int    // v1.1 error code
	msg    string // v1.1 message or v2 detail
}

var (
	errAuth        = &apiError{http.StatusUnauthorized, 32, "Could not authenticate you."}
	errToken       = &apiError{http.StatusUnauthorized, 89, "Invalid or expired token."}
	errBadAuthData = &apiError{http.StatusBadRequest, 215, "Bad Authentication data."}
	errRateLimit   = &apiError{http.StatusTooManyRequests, 88, "Rate limit exceeded"}
	errOverCap     = &apiError{http.StatusServiceUnavailable, 130, "Over capacity"}
)

func (e *Emulator) writeError(w http.ResponseWriter, v apiVersion, ae *apiError) {
	if v == v2 {
		writeV2Error(w, ae)
		return
	}
	writeV1Error(w, ae.status, ae.code, ae.msg)
}

func writeV1Error(w http.ResponseWriter, status, code int, msg string) {
	type item struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	writeJSON(w, status, map[string][]item{"errors": {{Code: code, Message: msg}}})
}

// writeV2Error answers in X API v2's problem shape.
func writeV2Error(w http.ResponseWriter, ae *apiError) {
	title := http.StatusText(ae.status)
	detail := ae.msg
	switch ae.status {
	case http.StatusTooManyRequests:
		detail = "Too Many Requests"
	case http.StatusUnauthorized:
		detail = "Unauthorized"
	}
	body := map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": ae.status}
	if ae.status == http.StatusBadRequest {
		body["title"] = "Invalid Request"
		body["type"] = "https://api.twitter.com/2/problems/invalid-request"
		body["errors"] = []map[string]string{{"message": ae.msg}}
		body["detail"] = "One or more parameters to your request was invalid."
	}
	writeJSON(w, ae.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	// The client may have gone; nothing useful to do with a write error.
	_ = json.NewEncoder(w).Encode(v)
}

// recorder counts a response in the statistics when its status is written, before its body:
// a client that has read a whole response then always finds it counted (a large body is sent
// while it is written, so counting when the handler returns could lag behind the client).
type recorder struct {
	http.ResponseWriter
	count  func(status int)
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
		r.count(code)
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// statusClientGone is recorded when a faulted request hung until the client gave up.
const statusClientGone = 499

// api wraps an API endpoint with statistics and fault injection.
func (e *Emulator) api(name string, v apiVersion, h func(http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, count: func(status int) { e.stats.count(name, status) }}
		defer func() {
			if rec.status == 0 {
				rec.status = statusClientGone
				rec.count(statusClientGone)
			}
		}()
		if e.injectFault(r.Context(), rec, v) {
			return
		}
		h(rec, r)
	})
}

// publicBase is the scheme, host and BasePath clients use to reach the emulator.
func (e *Emulator) publicBase(r *http.Request) string {
	return requestScheme(r) + "://" + r.Host + e.cfg.BasePath
}

func requestScheme(r *http.Request) string {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return "https"
	}
	return "http"
}

// Faults are the injected failures applied to API endpoints (not to admin ones).
type Faults struct {
	LatencyMs   int     `json:"latencyMs"`
	ErrorRate   float64 `json:"errorRate"`
	TimeoutRate float64 `json:"timeoutRate"`
}

// maxHang bounds how long a "timeout" fault holds a request when the client never gives up.
const maxHang = 30 * time.Second

// injectFault applies the configured faults and reports whether it answered the request.
func (e *Emulator) injectFault(ctx context.Context, w http.ResponseWriter, v apiVersion) bool {
	e.faultMu.Lock()
	f := e.faults
	e.faultMu.Unlock()
	if f.LatencyMs > 0 {
		t := time.NewTimer(time.Duration(f.LatencyMs) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return true
		case <-t.C:
		}
	}
	if f.TimeoutRate > 0 && rand.Float64() < f.TimeoutRate {
		t := time.NewTimer(maxHang)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return true
		case <-t.C:
			e.writeError(w, v, &apiError{http.StatusServiceUnavailable, 130, "Over capacity"})
			return true
		}
	}
	if f.ErrorRate > 0 && rand.Float64() < f.ErrorRate {
		e.writeError(w, v, errOverCap)
		return true
	}
	return false
}
