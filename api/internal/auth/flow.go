// Package auth runs "Sign in with Twitter" (OAuth 1.0a) for the service. The request token's
// secret never leaves the server: it is kept in Redis for 10 minutes, bound to the browser that
// started the flow by a random value in a cookie, and usable once. That refuses login CSRF (a
// callback planted from another browser) and replays of a callback URL.
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
	"github.com/nezame/nezame/api/internal/twitter"
)

// RequestTokenTTL is how long a started sign-in may take.
const RequestTokenTTL = 10 * time.Minute

const keyPrefix = "nezame:oauth:"

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
}

// Begin obtains a request token and returns where to send the browser and the binding value to
// set as a cookie on it.
func (f *Flow) Begin(ctx context.Context) (authURL, binding string, err error) {
	token, secret, err := f.provider.RequestToken(ctx, f.callbackURL)
	if err != nil {
		return "", "", fmt.Errorf("begin sign-in: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("begin sign-in: %w", err)
	}
	binding = base64.RawURLEncoding.EncodeToString(b[:])
	raw, _ := json.Marshal(pending{Secret: secret, Binding: hash(binding)})
	if err := f.rdb.Set(ctx, keyPrefix+hash(token), raw, RequestTokenTTL).Err(); err != nil {
		return "", "", fmt.Errorf("begin sign-in: store request token: %w", err)
	}
	return f.provider.AuthenticateURL(token), binding, nil
}

// Complete exchanges the verifier for the user's access token, after checking the request token
// is known, unused and was started by this browser. It consumes the request token either way.
func (f *Flow) Complete(ctx context.Context, binding, token, verifier string) (twitter.User, twitter.Token, error) {
	if token == "" || verifier == "" || len(token) > 200 || len(verifier) > 200 {
		return twitter.User{}, twitter.Token{}, apperr.New(apperr.Invalid, "login_invalid", "The sign-in link is incomplete. Please sign in again.")
	}
	raw, err := f.rdb.GetDel(ctx, keyPrefix+hash(token)).Bytes()
	if errors.Is(err, redis.Nil) {
		return twitter.User{}, twitter.Token{}, apperr.New(apperr.Invalid, "login_expired",
			"This sign-in has expired or was already used. Please sign in again.")
	}
	if err != nil {
		return twitter.User{}, twitter.Token{}, fmt.Errorf("complete sign-in: %w", err)
	}
	var p pending
	if err := json.Unmarshal(raw, &p); err != nil {
		return twitter.User{}, twitter.Token{}, fmt.Errorf("complete sign-in: decode: %w", err)
	}
	if binding == "" || subtle.ConstantTimeCompare([]byte(hash(binding)), []byte(p.Binding)) != 1 {
		return twitter.User{}, twitter.Token{}, apperr.New(apperr.Forbidden, "login_mismatch",
			"This sign-in was started in another browser. Please sign in again here.")
	}
	tok, err := f.provider.AccessToken(ctx, token, p.Secret, verifier)
	if err != nil {
		return twitter.User{}, twitter.Token{}, fmt.Errorf("complete sign-in: access token: %w", err)
	}
	user, err := f.identifier.VerifyCredentials(ctx, tok)
	if err != nil {
		return twitter.User{}, twitter.Token{}, fmt.Errorf("complete sign-in: verify credentials: %w", err)
	}
	return user, tok, nil
}

// Deny forgets a request token the user refused at the provider.
func (f *Flow) Deny(ctx context.Context, token string) {
	if token == "" || len(token) > 200 {
		return
	}
	if err := f.rdb.Del(ctx, keyPrefix+hash(token)).Err(); err != nil {
		f.log.Warn("forget denied request token", "err", err)
	}
}

// hash keeps raw tokens and binding values out of Redis keys and values.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
