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
	base      *url.URL
	baseErr   error
	endpoint  oauth1.Endpoint
	transport http.RoundTripper
}

// NewOAuth returns the OAuth flow for cfg.
func NewOAuth(cfg Config) *OAuth {
	cfg = cfg.withDefaults()
	base, err := cfg.parseBase()
	return &OAuth{
		cfg:     cfg,
		base:    base,
		baseErr: err,
		endpoint: oauth1.Endpoint{
			RequestTokenURL: cfg.APIBase + "/oauth/request_token",
			AuthorizeURL:    cfg.APIBase + "/oauth/authenticate",
			AccessTokenURL:  cfg.APIBase + "/oauth/access_token",
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
	if o.baseErr != nil {
		return "", "", apperr.Wrap(apperr.Internal, "twitter_misconfigured", "The Twitter API base URL is invalid.", o.baseErr)
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.RequestTimeout)
	defer cancel()
	conf, ct := o.config(ctx, callbackURL)
	token, secret, err = conf.RequestToken()
	if err != nil {
		return "", "", oauthError("request token", ct.status, ct.header, err,
			apperr.Internal, "twitter_consumer_rejected", "Twitter rejected this app's credentials.")
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
	if o.baseErr != nil {
		return Token{}, apperr.Wrap(apperr.Internal, "twitter_misconfigured", "The Twitter API base URL is invalid.", o.baseErr)
	}
	ctx, cancel := context.WithTimeout(ctx, o.cfg.RequestTimeout)
	defer cancel()
	conf, ct := o.config(ctx, "")
	tok, sec, err := conf.AccessToken(requestToken, requestSecret, verifier)
	if err != nil {
		// A 401 here means the request token expired, was used already, or the verifier is wrong:
		// the user can simply sign in again.
		return Token{}, oauthError("access token", ct.status, ct.header, err,
			apperr.Unauthenticated, "twitter_auth_failed", "Twitter did not confirm the sign-in; please try again.")
	}
	return Token{Token: tok, Secret: sec}, nil
}

// oauthError classifies a failed OAuth leg by the status of its last response. oauth1 returns
// the error body as text, which may echo request details, so only the status is kept.
func oauthError(leg string, status int, header http.Header, err error, kind401 apperr.Kind, code401, msg401 string) error {
	cause := fmt.Errorf("oauth %s: status %d", leg, status)
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return apperr.Wrap(kind401, code401, msg401, cause)
	case status == http.StatusTooManyRequests:
		e := apperr.Wrap(apperr.RateLimited, CodeRateLimited, "Twitter is rate limiting sign-ins; please try again shortly.", cause)
		e.RetryAfter = time.Minute
		if rh := parseRateHeaders(header); rh.ok && time.Until(rh.reset) > time.Second {
			e.RetryAfter = time.Until(rh.reset).Round(time.Second)
		}
		return e
	case status == 0:
		// No response at all: a timeout or a connection failure.
		return apperr.Wrap(apperr.Unavailable, "twitter_unavailable", "Twitter could not be reached; please try again.", fmt.Errorf("oauth %s: %w", leg, err))
	default:
		return apperr.Wrap(apperr.Unavailable, "twitter_unavailable", "Twitter could not be reached; please try again.", cause)
	}
}
