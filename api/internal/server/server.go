// Package server is nezame's HTTP layer: routes, middleware and thin handlers that parse input,
// call one service and write one response. Errors become the contract's JSON in errors.go.
package server

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/bytebudget"
	"github.com/nezame/nezame/api/internal/config"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/zone"
)

// Options are the server's dependencies, built and injected by main.
type Options struct {
	Config  config.Config
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	// Ready reports whether the instance can serve (Redis answers). nil means always ready.
	Ready func(context.Context) error
	// Web is the built UI (web/dist); WebBuilt is false when `npm run build` has not run.
	Web      fs.FS
	WebBuilt bool
	// Emulator is mounted under /_twitter in demo mode; nil otherwise.
	Emulator http.Handler
	// Auth enables sign-in and the signed-in routes; nil serves only the public ones.
	Auth *Auth
	// Shares makes and serves share cards; nil leaves the share routes out (the UI then hides
	// sharing). Without Auth only the public /s/ pages are served.
	Shares Shares
	// OpenAPI is the contract's OpenAPI document (docs/openapi.yaml), served at /api/openapi.yaml.
	OpenAPI []byte
	// Limiter throttles abusable public endpoints per client IP; nil disables it.
	Limiter Limiter
}

// Limiter is a per-key rate limiter (kept in Redis so every instance shares it).
type Limiter interface {
	// Allow reports whether one more request for key fits in the named limit, and if not, how
	// long until it would.
	Allow(ctx context.Context, limit, key string) (ok bool, retryAfter time.Duration, err error)
	// Refund gives one request back (a sign-in that was completed).
	Refund(ctx context.Context, limit, key string) error
}

// Server holds the dependencies the handlers use.
type Server struct {
	cfg        config.Config
	log        *slog.Logger
	metrics    *metrics.Metrics
	ready      func(context.Context) error
	zones      *zone.Cache
	limiter    Limiter
	auth       *Auth
	shares     Shares
	engine     *gin.Engine
	quietPaths map[string]bool
	web        webAssets
	// analyzeSlots bounds the /api/analyze computations running at once on this instance, and
	// analyzeMemory the bytes all of them hold (see analyze).
	analyzeSlots  chan struct{}
	analyzeMemory *bytebudget.Budget
	analyzeWait   time.Duration // analyzeQueueWait; shorter in tests
	analyzeRead   time.Duration // analyzeReadTimeout; shorter in tests
}

// New builds the gin engine with every route of the HTTP contract.
func New(o Options) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{
		cfg: o.Config, log: o.Logger, metrics: o.Metrics, ready: o.Ready, limiter: o.Limiter, auth: o.Auth, shares: o.Shares,
		zones:         &zone.Cache{},
		quietPaths:    map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true},
		web:           newWebAssets(o.Web, o.WebBuilt),
		analyzeSlots:  make(chan struct{}, analyzeConcurrency),
		analyzeMemory: bytebudget.New(analyzeMemory, analyzeOverdraft),
		analyzeWait:   analyzeQueueWait,
		analyzeRead:   analyzeReadTimeout,
	}
	if s.metrics == nil {
		s.metrics = metrics.New()
	}
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	// gin's own client-IP logic takes the left-most X-Forwarded-For entry once a proxy is
	// trusted, which the client writes; it is switched off and clientAddr decides instead.
	e.ForwardedByClientIP = false
	_ = e.SetTrustedProxies(nil)
	e.Use(s.requestContext(), s.headerLimit(), s.recovery(), s.securityHeaders())

	// Every GET route answers HEAD too (link unfurlers and uptime checks use it): get registers
	// both, and TestEveryGETRouteAnswersHEAD keeps it so.
	get := func(path string, h ...gin.HandlerFunc) { e.Match(getAndHead, path, h...) }
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)
	get("/metrics", gin.WrapH(s.metrics.Handler()))
	if o.OpenAPI != nil {
		get("/api/openapi.yaml", func(c *gin.Context) {
			c.Header("Cache-Control", "public, max-age=300")
			c.Data(http.StatusOK, "application/yaml; charset=utf-8", o.OpenAPI)
		})
	}
	e.POST("/api/analyze", s.limit("analyze"), s.analyze)
	if o.Auth != nil {
		withSession := sessions.Sessions(sessionCookie, o.Auth.Store)
		// A HEAD must be safe: on the sign-in steps it starts and finishes nothing. Only starting
		// a sign-in is limited (it costs a Twitter call); a callback never is (see callback).
		e.GET("/auth/login", s.limit(signinLimit), s.login)
		e.HEAD("/auth/login", headOnly)
		e.GET("/auth/callback", withSession, s.callback)
		e.HEAD("/auth/callback", headOnly)
		e.POST("/auth/logout", s.sameSite(), withSession, s.logout)
		get("/api/me", withSession, s.requireUser, s.me)
		// A revisit is answered by periodsStored alone; the session middleware (and its
		// bookkeeping) only runs when the answer must be made.
		get("/api/periods", s.periodsStored, withSession, s.periods)
		if o.Shares != nil {
			s.routeShares(e, withSession)
		}
	} else if o.Shares != nil {
		s.routeShares(e, nil)
	}
	if o.Emulator != nil {
		e.Any("/_twitter/*path", gin.WrapH(o.Emulator))
	}
	e.NoRoute(s.noRoute)
	e.NoMethod(s.noMethod)
	s.engine = e
	return s
}

var getAndHead = []string{http.MethodGet, http.MethodHead}

// headOnly answers a HEAD on a route whose GET has side effects, without them.
func headOnly(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
}

// Handler is the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.engine }

// HTTPServer is the http.Server that serves Handler on addr, with the service's timeouts and
// header limit (see headerLimit).
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second, // archive uploads of tens of MB on slow phones
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    readHeaderBytes,
	}
}

func (s *Server) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.writeError(c, apperr.StorageUnavailable(fmt.Errorf("readiness: %w", err)))
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// limit applies the named per-IP limit. A limiter failure lets the request through: a Redis
// outage must not turn rate limiting into an outage of its own.
func (s *Server) limit(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.limiter == nil {
			c.Next()
			return
		}
		ok, retry, err := s.limiter.Allow(c.Request.Context(), name, limitKey(clientIP(c)))
		if err != nil {
			logFrom(c, s.log).Warn("rate limiter unavailable; allowing", "limit", name, "err", err)
			c.Next()
			return
		}
		if !ok {
			if name == signinLimit {
				// Sign-in steps are browser navigations: land on the app with a message.
				c.Header("Retry-After", strconv.Itoa(retrySeconds(retry)))
				c.Redirect(http.StatusFound, "/?error=rate_limited")
				c.Abort()
				return
			}
			now := time.Now()
			s.writeError(c, apperr.RateLimited(apperr.ReasonClient, now, now.Add(retry), nil))
			return
		}
		c.Next()
	}
}
