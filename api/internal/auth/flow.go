// Package auth runs "Sign in with Twitter" (OAuth 1.0a) for the service. The request token's
// secret never leaves the server: it is kept in Redis for 10 minutes, bound to the browser that
// started the flow by a random value in a cookie, and usable once by that browser. That refuses
// login CSRF (a callback planted from another browser) and replays of a callback URL, and a
// refused callback does not spend the real browser's sign-in.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/keys"
	"github.com/nezame/nezame/api/internal/twitter"
)

// RequestTokenTTL is how long a started sign-in may take.
const RequestTokenTTL = 10 * time.Minute

// Provider is the OAuth 1.0a consumer (twitter.OAuth).
type Provider interface {
	RequestToken(ctx context.Context, callbackURL string) (token, secret string, err error)
	AuthenticateURL(token string) string
	AccessToken(ctx context.Context, requestToken, requestSecret, verifier string) (twitter.Token, error)
}

// Identifier tells who an access token belongs to (twitter.Client.VerifyCredentials).
type Identifier interface {
	VerifyCredentials(ctx context.Context, tok twitter.Token) (twitter.User, error)
}

// Flow starts and completes sign-ins.
type Flow struct {
	provider    Provider
	identifier  Identifier
	rdb         redis.UniversalClient
	callbackURL string
	log         *slog.Logger
}

// NewFlow returns a Flow whose provider redirects back to callbackURL.
func NewFlow(p Provider, id Identifier, rdb redis.UniversalClient, callbackURL string, log *slog.Logger) *Flow {
	return &Flow{provider: p, identifier: id, rdb: rdb, callbackURL: callbackURL, log: log}
}

type pending struct {
	Secret  string `json:"s"`
	Binding string `json:"b"` // SHA-256 of the browser's binding cookie
	Client  string `json:"c"` // who started it, as the caller names them (a rate-limit key)
}

// Started is a sign-in that Begin started.
type Started struct {
	URL     string // where to send the browser
	Flow    string // FlowID of the request token: names the binding cookie of this sign-in
	Binding string // random value to set in that cookie; the callback must bring it back
}

// Completed is a finished sign-in.
type Completed struct {
	User   twitter.User
	Token  twitter.Token
	Client string // as given to Begin
}

// FlowID names one sign-in by its request token, short enough for a cookie name. Each sign-in
// has its own cookie, so starting a second one (another tab, a double click) does not overwrite
// the first one's binding.
func FlowID(token string) string { return hash("flow\n" + token)[:16] }

// Begin obtains a request token and returns where to send the browser and the binding value to
// set as a cookie on it. client is kept with the sign-in and returned by Complete.
func (f *Flow) Begin(ctx context.Context, client string) (Started, error) {
	token, secret, err := f.provider.RequestToken(ctx, f.callbackURL)
	if err != nil {
		return Started{}, fmt.Errorf("begin sign-in: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Started{}, fmt.Errorf("begin sign-in: %w", err)
	}
	binding := base64.RawURLEncoding.EncodeToString(b[:])
	raw, _ := json.Marshal(pending{Secret: secret, Binding: hash(binding), Client: client})
	if err := f.rdb.Set(ctx, keys.OAuthRequest(hash(token)), raw, RequestTokenTTL).Err(); err != nil {
		return Started{}, fmt.Errorf("begin sign-in: store request token: %w", err)
	}
	return Started{URL: f.provider.AuthenticateURL(token), Flow: FlowID(token), Binding: binding}, nil
}

// Complete exchanges the verifier for the user's access token, after checking the request token
// is known, unused and was started by this browser. The browser that started it consumes the
// request token with its first callback, so a callback URL is usable once. A callback from any
// other browser is refused and leaves the sign-in alone: the token travels in URLs, and holding
// it must not let anyone cancel someone else's sign-in.
func (f *Flow) Complete(ctx context.Context, binding, token, verifier string) (Completed, error) {
	if token == "" || verifier == "" || len(token) > 200 || len(verifier) > 200 {
		return Completed{}, apperr.LoginInvalid()
	}
	key := keys.OAuthRequest(hash(token))
	raw, err := f.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return Completed{}, apperr.LoginExpired()
	}
	if err != nil {
		return Completed{}, fmt.Errorf("complete sign-in: %w", err)
	}
	var p pending
	if err := json.Unmarshal(raw, &p); err != nil {
		return Completed{}, fmt.Errorf("complete sign-in: decode: %w", err)
	}
	if !p.boundTo(binding) {
		return Completed{}, ErrMismatch
	}
	// Consume it only if it is still the record just checked: of two callbacks racing with the
	// same binding, one wins and the other finds it used.
	deleted, err := consumeScript.Run(ctx, f.rdb, []string{key}, raw).Int()
	if err != nil {
		return Completed{}, fmt.Errorf("complete sign-in: consume request token: %w", err)
	}
	if deleted == 0 {
		return Completed{}, apperr.LoginExpired()
	}
	tok, err := f.provider.AccessToken(ctx, token, p.Secret, verifier)
	if err != nil {
		return Completed{}, fmt.Errorf("complete sign-in: access token: %w", err)
	}
	user, err := f.identifier.VerifyCredentials(ctx, tok)
	if err != nil {
		return Completed{}, fmt.Errorf("complete sign-in: verify credentials: %w", err)
	}
	return Completed{User: user, Token: tok, Client: p.Client}, nil
}

// consumeScript deletes KEYS[1] if it still holds ARGV[1]; it returns how many keys it deleted.
var consumeScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0
`)

// ErrMismatch is a callback from a browser that did not start the sign-in.
var ErrMismatch = apperr.LoginMismatch()

func (p pending) boundTo(binding string) bool {
	return binding != "" && subtle.ConstantTimeCompare([]byte(hash(binding)), []byte(p.Binding)) == 1
}

// Deny forgets a request token the user refused at the provider, if this browser (binding)
// started it: the token alone is in the URL, and must not let anyone cancel someone else's
// sign-in.
func (f *Flow) Deny(ctx context.Context, binding, token string) {
	if token == "" || len(token) > 200 || binding == "" {
		return
	}
	key := keys.OAuthRequest(hash(token))
	raw, err := f.rdb.Get(ctx, key).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			f.log.Warn("forget denied request token", "err", err)
		}
		return
	}
	var p pending
	if json.Unmarshal(raw, &p) != nil || !p.boundTo(binding) {
		return
	}
	if err := f.rdb.Del(ctx, key).Err(); err != nil {
		f.log.Warn("forget denied request token", "err", err)
	}
}

// hash keeps raw tokens and binding values out of Redis keys and values.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
