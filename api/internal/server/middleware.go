package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/logging"
)

const requestIDHeader = "X-Request-Id"

// quietKey marks a request whose success is not worth a log line (a revisit answered from the
// stored answer), like the probes of quietPaths.
const quietKey = "nezame.quiet"

// Caps on what a request can put into one log line (see clip).
const (
	logMethodMax = 24
	logPathMax   = 512
	logHeaderMax = 256
)

// requestContext gives every request an id (kept from a sane incoming header, e.g. a load
// balancer's, or made up), works out the client's address once (clientAddr), and a logger
// carrying the id and the Cloud trace, then logs the request once when it ends. Query strings are
// never logged: the OAuth callback carries verifiers there. Every string taken from the request
// is clipped, and metrics are labelled by known method and matched route only, so invented
// methods and paths cannot grow the log, the metrics or memory.
func (s *Server) requestContext() gin.HandlerFunc {
	project := s.cfg.GoogleProject
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader(requestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Header(requestIDHeader, id)
		ip := clientAddr(c.Request, s.cfg.OnCloudRun)
		c.Set(clientIPKey, ip)
		attrs := []any{slog.String("requestId", id)}
		if a, ok := logging.TraceAttr(project, c.GetHeader("X-Cloud-Trace-Context"), c.GetHeader("traceparent")); ok {
			attrs = append(attrs, a)
		}
		log := s.log.With(attrs...)
		c.Request = c.Request.WithContext(logging.WithLogger(c.Request.Context(), log))

		c.Next()

		status := c.Writer.Status()
		latency := time.Since(start)
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		s.metrics.ObserveRequest(c.Request.Method, route, status, latency)
		if status < 400 && (s.quietPaths[route] || c.GetBool(quietKey) || (s.cfg.OnCloudRun && latency < time.Second)) {
			// Probes, scrapes and revisits answered as stored would drown the log; on Cloud Run
			// the platform's request log already records every request, so ours adds only
			// failures and slow requests.
			return
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(c.Request.Context(), level, "request",
			slog.Group("httpRequest",
				slog.String("requestMethod", apperr.Clip(c.Request.Method, logMethodMax)),
				slog.String("requestUrl", apperr.Clip(c.Request.URL.Path, logPathMax)),
				slog.Int("status", status),
				slog.String("latency", fmt.Sprintf("%.6fs", latency.Seconds())),
				slog.String("userAgent", apperr.Clip(c.Request.UserAgent(), logHeaderMax)),
				slog.String("referer", refererForLog(c.Request.Referer())),
				slog.String("remoteIp", ip),
				slog.Int("responseSize", c.Writer.Size()),
			))
	}
}

// refererForLog keeps a Referer's origin and path only: its query may carry another site's
// tokens (Twitter's consent page has the request token in it).
func refererForLog(ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return "(unparsable)"
	}
	return apperr.Clip(u.Scheme+"://"+u.Host+u.Path, logHeaderMax)
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recovery turns a panic into a logged stack (severity CRITICAL, which an alert matches) and a
// JSON 500, so one bad request never takes the instance down.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec)
			}
			logging.From(c.Request.Context(), s.log).Log(c.Request.Context(), logging.LevelCritical,
				fmt.Sprintf("panic: %v", rec), "stack", string(debug.Stack()), "path", apperr.Clip(c.Request.URL.Path, logPathMax))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			s.writeError(c, apperr.Internal(fmt.Errorf("panic: %v", rec)))
		}()
		c.Next()
	}
}

// securityHeaders sets the headers every response carries. The CSP allows only this origin for
// scripts; images may come from https (profile pictures) and data: URLs.
func (s *Server) securityHeaders() gin.HandlerFunc {
	https := s.cfg.PublicURL.Scheme == "https"
	const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
		"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		c.Next()
	}
}

// sameSite refuses cross-site state-changing requests (login CSRF, forced logout, share deletion
// from another site). A request is same-site when its Origin is PUBLIC_URL's origin or, without an
// Origin, when the browser says Sec-Fetch-Site: same-origin. Everything else is 403 cross_site.
func (s *Server) sameSite() gin.HandlerFunc {
	origin := s.cfg.PublicURL.Scheme + "://" + s.cfg.PublicURL.Host
	return func(c *gin.Context) {
		if o := c.GetHeader("Origin"); o != "" {
			if sameOrigin(o, origin) {
				c.Next()
				return
			}
		} else if c.GetHeader("Sec-Fetch-Site") == "same-origin" {
			c.Next()
			return
		}
		s.writeError(c, apperr.CrossSite())
	}
}

// sameSiteOrBearer is sameSite for a route a bearer token alone can authorise (deleting an
// archive share with its delete token): a request with "Authorization: Bearer" and no mark of a
// browser on another site — no Origin (browsers send one with every DELETE and POST) and no
// Sec-Fetch-Site saying cross-site or same-site — comes from a script, curl or the like, which
// CSRF is no threat to; it passes, marked so the handler authorises it by the token only and
// never by the ambient session cookie. Every other request goes through sameSite.
func (s *Server) sameSiteOrBearer() gin.HandlerFunc {
	same := s.sameSite()
	return func(c *gin.Context) {
		sfs := c.GetHeader("Sec-Fetch-Site")
		if bearerToken(c.GetHeader("Authorization")) != "" && c.GetHeader("Origin") == "" &&
			(sfs == "" || sfs == "none") {
			c.Set(bearerOnlyKey, true)
			c.Next()
			return
		}
		same(c)
	}
}

// bearerOnlyKey marks, in the gin context, a request that only its bearer token may authorise.
const bearerOnlyKey = "nezame.bearerOnly"

func sameOrigin(got, want string) bool {
	u, err := url.Parse(got)
	if err != nil {
		return false
	}
	return u.Scheme+"://"+u.Host == want
}

// Header limits. A request may carry maxHeaderBytes of request line and headers (cookies
// included), as before. net/http answers anything over its MaxHeaderBytes itself, with a
// text/plain 431, before any handler runs; so the server lets it read up to readHeaderBytes and
// headerLimit answers the contract's JSON 431 for everything in between. Cloud Run's front end
// refuses larger headers before they reach the instance.
const (
	maxHeaderBytes  = 64 << 10
	readHeaderBytes = 256 << 10
)

// headerLimit refuses a request whose request line and headers exceed maxHeaderBytes.
func (s *Server) headerLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		if headerSize(c.Request) <= maxHeaderBytes {
			c.Next()
			return
		}
		c.Header("Connection", "close")
		s.writeError(c, apperr.HeadersTooLarge(maxHeaderBytes>>10))
	}
}

// headerSize is about what the request line and header lines took on the wire.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host) + 2
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
