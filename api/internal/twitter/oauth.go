package twitter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/nezame/nezame/api/internal/apperr"
)

// OAuth runs the three legs of "Sign in with Twitter" (OAuth 1.0a) against Config.APIBase.
type OAuth struct {
	cfg       Config
	endpoint  oauth1.Endpoint
	transport http.RoundTripper
}

// NewOAuth returns the OAuth flow for cfg.
func NewOAuth(cfg Config) *OAuth {
	cfg = cfg.withDefaults()
	base := cfg.baseString()
	return &OAuth{
		cfg: cfg,
		endpoint: oauth1.Endpoint{
			RequestTokenURL: base + "/oauth/request_token",
			AuthorizeURL:    base + "/oauth/authenticate",
			AccessTokenURL:  base + "/oauth/access_token",
		},
		transport: newBaseTransport(),
	}
}

// config returns an oauth1 config whose requests are bound to ctx and time out, and the
// transport that records their status.
func (o *OAuth) config(ctx context.Context, callbackURL string) (*oauth1.Config, *ctxTransport) {
	ct := &ctxTransport{ctx: ctx, next: o.transport}
	return &oauth1.Config{
		ConsumerKey:    o.cfg.ConsumerKey,
		ConsumerSecret: o.cfg.ConsumerSecret,
		CallbackURL:    callbackURL,
		Endpoint:       o.endpoint,
		HTTPClient:     &http.Client{Transport: ct, Timeout: o.cfg.RequestTimeout},
	}, ct
}

// RequestToken obtains a request token bound to callbackURL (the first leg).
func (o *OAuth) RequestToken(ctx context.Context, callbackURL string) (token, secret string, err error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.RequestTimeout)
	defer cancel()
	conf, ct := o.config(ctx, callbackURL)
	token, secret, err = conf.RequestToken()
	if err != nil {
		return "", "", oauthError("request token", ct.status, ct.header, err, apperr.TwitterConsumerRejected)
	}
	return token, secret, nil
}

// AuthenticateURL is where the browser is sent to approve the request token (the second leg).
func (o *OAuth) AuthenticateURL(token string) string {
	return o.endpoint.AuthorizeURL + "?oauth_token=" + url.QueryEscape(token)
}

// AccessToken exchanges an approved request token and its verifier for the user's access token
// (the third leg). oauth1 drops the user_id and screen_name Twitter sends with it: identify the
// user with VerifyCredentials.
func (o *OAuth) AccessToken(ctx context.Context, requestToken, requestSecret, verifier string) (Token, error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.RequestTimeout)
	defer cancel()
	conf, ct := o.config(ctx, "")
	tok, sec, err := conf.AccessToken(requestToken, requestSecret, verifier)
	if err != nil {
		// A 401 here means the request token expired, was used already, or the verifier is wrong:
		// the user can simply sign in again.
		return Token{}, oauthError("access token", ct.status, ct.header, err, apperr.TwitterAuthFailed)
	}
	return Token{Token: tok, Secret: sec}, nil
}

// oauthError classifies a failed OAuth leg by the status of its last response; refused builds
// the error for a 401/403. oauth1 returns the error body as text, which may echo request
// details, so only the status is kept.
func oauthError(leg string, status int, header http.Header, err error, refused func(error) *apperr.Error) error {
	cause := fmt.Errorf("oauth %s: status %d", leg, status)
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return refused(cause)
	case status == http.StatusTooManyRequests:
		now := time.Now()
		reset := now.Add(time.Minute)
		if rh := parseRateHeaders(header); rh.ok && rh.reset.Sub(now) > time.Second {
			reset = rh.reset
		}
		return apperr.RateLimited(apperr.ReasonTwitter, now, reset, cause)
	case status == 0:
		// No response at all: a timeout or a connection failure.
		return apperr.TwitterUnavailable(fmt.Errorf("oauth %s: %w", leg, err))
	default:
		return apperr.TwitterUnavailable(cause)
	}
}
