package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-contrib/sessions"
	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/auth"
	"github.com/nezame/nezame/api/internal/session"
	"github.com/nezame/nezame/api/internal/twitter"
)

const (
	sessionCookie = "nezame_session"
	bindingCookie = "nezame_oauth"
	// touchEvery is how often a session's sliding lifetime is pushed forward: once a day
	// is enough for a 7-day lifetime and keeps the hot path free of Redis writes.
	touchEvery = 24 * time.Hour
)

// Session value keys.
const (
	keyUserID     = "uid"
	keyName       = "name"
	keyScreenName = "screenName"
	keyImageURL   = "imageUrl"
	keyToken      = "tok"
	keyTouched    = "touched"
)

// currentUser is what requireUser puts in the gin context.
type currentUser struct {
	twitter.User
	Token twitter.Token
}

const userKey = "nezame.user"

// signinLimit is the per-address limit on sign-ins started and not finished (ratelimit).
const signinLimit = "signin"

// login starts a sign-in. Each sign-in gets its own binding cookie, named after its request
// token, so a second start (another tab, a double click) does not overwrite the first one's.
// Starting one supersedes the sign-ins this browser started before: their cookies are expired
// here, and their callbacks fail cleanly (login_superseded) without touching the newest.
func (s *Server) login(c *gin.Context) {
	client := limitKey(clientIP(c))
	started, err := s.auth.Flow.Begin(c.Request.Context(), client)
	if err != nil {
		s.redirectWithError(c, err)
		return
	}
	for _, old := range c.Request.Cookies() {
		if strings.HasPrefix(old.Name, bindingCookie) {
			http.SetCookie(c.Writer, s.bindingCookie(old.Name, "", -1))
		}
	}
	http.SetCookie(c.Writer, s.bindingCookie(bindingCookie+"_"+started.Flow, started.Binding, int(auth.RequestTokenTTL/time.Second)))
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusFound, started.URL)
}

// callback finishes a sign-in. It is never rate limited: only a browser holding the sign-in's
// binding gets past Complete's first check, and nothing before that check costs a Twitter call.
// A completed sign-in is refunded to the address that started it (see ratelimit.DefaultLimits).
func (s *Server) callback(c *gin.Context) {
	ctx := c.Request.Context()
	c.Header("Cache-Control", "no-store")
	token := c.Query("oauth_token")
	denied := c.Query("denied")
	if denied != "" {
		token = denied
	}
	name := bindingCookie + "_" + auth.FlowID(token)
	binding, _ := c.Cookie(name)
	http.SetCookie(c.Writer, s.bindingCookie(name, "", -1)) // one attempt per started sign-in
	if denied != "" {
		s.auth.Flow.Deny(ctx, binding, denied)
		c.Redirect(http.StatusFound, "/?error=denied")
		return
	}
	done, err := s.auth.Flow.Complete(ctx, binding, token, c.Query("oauth_verifier"))
	if errors.Is(err, auth.ErrMismatch) && binding == "" && s.hasOtherSignIn(c) {
		// This browser started a newer sign-in after this one; that one stays usable.
		err = apperr.LoginSuperseded(err)
	}
	if err != nil {
		s.redirectWithError(c, err)
		return
	}
	if err := s.startSession(c, done.User, done.Token); err != nil {
		s.redirectWithError(c, err)
		return
	}
	if s.limiter != nil {
		if err := s.limiter.Refund(ctx, signinLimit, done.Client); err != nil {
			logFrom(c, s.log).Warn("refund sign-in limit", "err", err)
		}
	}
	logFrom(c, s.log).Info("signed in", "userId", done.User.ID)
	c.Redirect(http.StatusFound, "/")
}

// hasOtherSignIn reports whether the browser started another sign-in after this one: it holds
// that one's binding cookie, or that one already finished and the browser is signed in.
func (s *Server) hasOtherSignIn(c *gin.Context) bool {
	if sessions.Default(c).Get(keyUserID) != nil {
		return true
	}
	for _, ck := range c.Request.Cookies() {
		if strings.HasPrefix(ck.Name, bindingCookie+"_") {
			return true
		}
	}
	return false
}

// startSession replaces whatever session the browser had with a new one (new id) for user.
func (s *Server) startSession(c *gin.Context, user twitter.User, tok twitter.Token) error {
	if err := s.auth.Store.Renew(c.Request, sessionCookie); err != nil {
		return err
	}
	sess := sessions.Default(c)
	sess.Clear()
	sess.Set(keyUserID, user.ID)
	sess.Set(keyName, user.Name)
	sess.Set(keyScreenName, user.ScreenName)
	sess.Set(keyImageURL, user.ImageURL)
	sess.Set(keyToken, s.auth.Sealer.Seal([]byte(tok.Token+"\n"+tok.Secret), user.ID))
	sess.Set(keyTouched, strconv.FormatInt(time.Now().Unix(), 10))
	return sess.Save()
}

// redirectWithError lands a failed sign-in on the app with a code the UI explains.
func (s *Server) redirectWithError(c *gin.Context, err error) {
	if s.clientGone(c, err) {
		return
	}
	e := classify(err)
	if e.Kind == apperr.KindInternal || e.Kind == apperr.KindUnavailable {
		logFrom(c, s.log).Error("sign-in failed", "code", e.Code, "err", err)
	} else {
		logFrom(c, s.log).Info("sign-in refused", "code", e.Code, "err", err)
	}
	code := e.Code
	if e.Kind == apperr.KindInternal {
		code = "login_failed"
	}
	c.Redirect(http.StatusFound, "/?error="+url.QueryEscape(code))
}

func (s *Server) bindingCookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/auth", MaxAge: maxAge, HttpOnly: true,
		Secure: s.cfg.PublicURL.Scheme == "https", SameSite: http.SameSiteLaxMode}
}

func (s *Server) logout(c *gin.Context) {
	sess := sessions.Default(c)
	if err := s.auth.Store.LoadError(c.Request, sessionCookie); err != nil {
		s.writeError(c, err)
		return
	}
	if sess.Get(keyUserID) != nil {
		sess.Clear()
		sess.Options(sessions.Options{Path: "/", MaxAge: -1})
		if err := sess.Save(); err != nil {
			s.writeError(c, err)
			return
		}
	} else {
		s.dropSessionHint(c) // the session had already ended: its hint goes too
	}
	c.Status(http.StatusNoContent)
}

// requireUser loads the session and the user's access token, or answers 401/503.
func (s *Server) requireUser(c *gin.Context) {
	u, err := s.sessionUser(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Set(userKey, u)
	c.Next()
}

// sessionUser returns the signed-in user of the request's session, with their access token, and
// pushes the session's sliding lifetime forward once a day.
func (s *Server) sessionUser(c *gin.Context) (currentUser, error) {
	sess := sessions.Default(c)
	uid, _ := sess.Get(keyUserID).(string)
	if err := s.auth.Store.LoadError(c.Request, sessionCookie); err != nil {
		return currentUser{}, err
	}
	if uid == "" {
		return currentUser{}, apperr.Unauthenticated()
	}
	sealed, _ := sess.Get(keyToken).(string)
	raw, err := s.auth.Sealer.Open(sealed, uid)
	tok, secret, ok := cutToken(raw)
	if err != nil || !ok {
		// Sealed under another SESSION_SECRET (rotated) or damaged: the session is useless.
		s.endSession(c)
		return currentUser{}, apperr.SessionExpired()
	}
	if touched, _ := strconv.ParseInt(str(sess.Get(keyTouched)), 10, 64); time.Since(time.Unix(touched, 0)) > touchEvery {
		sess.Set(keyTouched, strconv.FormatInt(time.Now().Unix(), 10))
		if err := sess.Save(); errors.Is(err, session.ErrEnded) {
			return currentUser{}, apperr.Unauthenticated() // logged out while this request ran
		} else if err != nil {
			logFrom(c, s.log).Warn("extend session", "err", err)
		}
	}
	if _, err := c.Cookie(session.HintCookie); err != nil {
		s.auth.Store.SetHint(c.Writer) // a session older than its hint, or the hint alone was cleared
	}
	return currentUser{
		User:  twitter.User{ID: uid, Name: str(sess.Get(keyName)), ScreenName: str(sess.Get(keyScreenName)), ImageURL: str(sess.Get(keyImageURL))},
		Token: twitter.Token{Token: tok, Secret: secret},
	}, nil
}

// dropSessionHint deletes the page's "signed in" hint from a browser that sent it to a request
// that found no session (answered 401), so its next visit asks nothing.
func (s *Server) dropSessionHint(c *gin.Context) {
	if s.auth == nil || s.auth.Store == nil {
		return
	}
	if _, err := c.Cookie(session.HintCookie); err == nil {
		s.auth.Store.ClearHint(c.Writer)
	}
}

func (s *Server) endSession(c *gin.Context) {
	sess := sessions.Default(c)
	sess.Clear()
	sess.Options(sessions.Options{Path: "/", MaxAge: -1})
	if err := sess.Save(); err != nil {
		logFrom(c, s.log).Warn("end session", "err", err)
	}
}

func cutToken(raw []byte) (tok, secret string, ok bool) {
	for i, b := range raw {
		if b == '\n' {
			return string(raw[:i]), string(raw[i+1:]), i > 0
		}
	}
	return "", "", false
}

func str(v any) string { s, _ := v.(string); return s }

func userFrom(c *gin.Context) currentUser { return c.MustGet(userKey).(currentUser) }

// Auth bundles what the signed-in routes need.
type Auth struct {
	Flow    *auth.Flow
	Store   *session.Store
	Sealer  sealer
	Periods Periods
	// Redis holds the sessions and the stored /api/periods answers.
	Redis redis.UniversalClient
	// Revisits reads a session and its stored answer together on the hot path. It may batch the
	// reads of concurrent requests into one round trip (go-redis's autopipeliner); nil means
	// Redis.
	Revisits redis.Cmdable
}

type sealer interface {
	Seal(plaintext []byte, owner string) string
	Open(text, owner string) ([]byte, error)
}
