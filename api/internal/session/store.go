// Package session keeps users' sessions in Redis behind github.com/gin-contrib/sessions. The
// cookie carries only an opaque random id; everything else lives server-side under
// keys.Session(id) with a sliding TTL, so any instance can serve any request and logout ends
// the session everywhere.
package session

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-contrib/sessions"
	gsessions "github.com/gorilla/sessions"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/keys"
)

// Lifetime is the sliding lifetime of a session: each refresh extends it to this from now.
const Lifetime = 7 * 24 * time.Hour

// ValidID reports whether id has the shape of a session id — 256 random bits, base64url without
// padding (43 characters) — so anything else is never looked up. It is on every request's path,
// hence a loop, not a regular expression.
func ValidID(id string) bool {
	if len(id) != 43 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// HintCookie names the cookie that says, to the page's own script, that this browser holds a
// session. It is not HttpOnly and carries no secret (its value is always "1"): it lets the web
// client ask /api/me only when a session may exist, so a signed-out visit makes no request that
// is bound to fail, while a signed-in one is recognised even with its storage cleared. It is
// written beside the session cookie with the same path, lifetime, SameSite and Secure, and
// deleted with it; the session cookie stays the only proof.
const HintCookie = "nezame_signed_in"

// Store implements sessions.Store (gin-contrib) on go-redis. Values must be strings.
type Store struct {
	rdb     redis.UniversalClient
	options sessions.Options
	timeout time.Duration
}

// NewStore returns a store whose cookies are HttpOnly, SameSite=Lax, Secure when secure is true
// (PUBLIC_URL is https), and live for Lifetime.
func NewStore(rdb redis.UniversalClient, secure bool) *Store {
	return &Store{
		rdb:     rdb,
		timeout: 2 * time.Second,
		options: sessions.Options{Path: "/", MaxAge: int(Lifetime / time.Second), Secure: secure,
			HttpOnly: true, SameSite: http.SameSiteLaxMode},
	}
}

// Options sets the cookie options for new sessions.
func (s *Store) Options(o sessions.Options) { s.options = o }

// Get returns the request's session, loading it once per request.
func (s *Store) Get(r *http.Request, name string) (*gsessions.Session, error) {
	return gsessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request's cookie, or starts an empty one. A Redis failure
// is returned as an error (with an empty session) so callers can answer 503 instead of treating
// the user as signed out; see LoadError.
func (s *Store) New(r *http.Request, name string) (*gsessions.Session, error) {
	sess := gsessions.NewSession(s, name)
	opts := s.options
	sess.Options = opts.ToGorillaOptions()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || !ValidID(c.Value) {
		return sess, nil // no cookie, or a tampered one: a fresh, empty session
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	raw, err := s.rdb.Get(ctx, keys.Session(c.Value)).Bytes()
	if errors.Is(err, redis.Nil) {
		return sess, nil // expired or logged out
	}
	if err != nil {
		return sess, fmt.Errorf("load session: %w", err)
	}
	var values map[string]string
	if err := json.Unmarshal(raw, &values); err != nil {
		return sess, nil // unreadable record: treat as no session rather than fail forever
	}
	for k, v := range values {
		sess.Values[k] = v
	}
	sess.ID = c.Value
	sess.IsNew = false
	return sess, nil
}

// ErrEnded is returned by Save for a session that was loaded but whose record is gone by the
// time it is saved: it was logged out (or expired) meanwhile, and stays so.
var ErrEnded = errors.New("session ended meanwhile")

// Save writes the session and (re)sets the cookie. MaxAge < 0 deletes both. A session whose ID
// was cleared by Renew gets a new id, and its old record is deleted. A session that already has
// an id is only ever rewritten (SET XX), never created: a request still running when its session
// is logged out in another tab must not bring the session back; it gets ErrEnded.
func (s *Store) Save(r *http.Request, w http.ResponseWriter, sess *gsessions.Session) error {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.rdb.Del(ctx, keys.Session(sess.ID)).Err(); err != nil {
				return fmt.Errorf("delete session: %w", err)
			}
		}
		http.SetCookie(w, gsessions.NewCookie(sess.Name(), "", sess.Options))
		s.ClearHint(w)
		return nil
	}
	existing := sess.ID != ""
	if !existing {
		id, err := newID()
		if err != nil {
			return err
		}
		sess.ID = id
	}
	values := make(map[string]string, len(sess.Values))
	for k, v := range sess.Values {
		ks, ok1 := k.(string)
		vs, ok2 := v.(string)
		if !ok1 || !ok2 {
			return fmt.Errorf("save session: only string keys and values are stored, got %T=%T", k, v)
		}
		values[ks] = vs
	}
	raw, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	ttl := time.Duration(sess.Options.MaxAge) * time.Second
	if ttl <= 0 {
		ttl = Lifetime
	}
	if existing {
		ok, err := s.rdb.SetXX(ctx, keys.Session(sess.ID), raw, ttl).Result()
		if err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		if !ok {
			return ErrEnded
		}
	} else if err := s.rdb.Set(ctx, keys.Session(sess.ID), raw, ttl).Err(); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	http.SetCookie(w, gsessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	s.hint(w, "1", sess.Options.MaxAge)
	return nil
}

// SetHint writes the hint cookie for a session that is known to exist but whose request came
// without it (a session made before the hint existed, or the hint cookie alone was cleared).
func (s *Store) SetHint(w http.ResponseWriter) { s.hint(w, "1", s.options.MaxAge) }

// ClearHint deletes the hint cookie: the request found no session, so the page should stop
// asking for one.
func (s *Store) ClearHint(w http.ResponseWriter) { s.hint(w, "", -1) }

func (s *Store) hint(w http.ResponseWriter, value string, maxAge int) {
	opts := s.options.ToGorillaOptions()
	opts.MaxAge = maxAge
	opts.HttpOnly = false
	http.SetCookie(w, gsessions.NewCookie(HintCookie, value, opts))
}

// LoadError reports whether loading the request's session failed (Redis unavailable).
func (s *Store) LoadError(r *http.Request, name string) error {
	_, err := gsessions.GetRegistry(r).Get(s, name)
	return err
}

// Renew deletes the request's current session record and makes the next Save issue a new id.
// Called at sign-in so a session id planted before sign-in (fixation) is worthless after it.
func (s *Store) Renew(r *http.Request, name string) error {
	sess, err := gsessions.GetRegistry(r).Get(s, name)
	if err != nil {
		return err
	}
	if sess.ID != "" {
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		if err := s.rdb.Del(ctx, keys.Session(sess.ID)).Err(); err != nil {
			return fmt.Errorf("renew session: %w", err)
		}
	}
	sess.ID = ""
	sess.IsNew = true
	return nil
}

func newID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
