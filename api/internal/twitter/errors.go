package twitter

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
)

// Error codes this package returns in *apperr.Error.
const (
	CodeRateLimited  = "rate_limited"
	CodeTokenRevoked = "twitter_token_revoked"
	CodeUnavailable  = "twitter_unavailable"
	CodeRejected     = "twitter_rejected"
)

// defaultRetryAfter is used when a 429 carries no usable reset header: Twitter's windows are
// 15 minutes long.
const defaultRateWindow = 15 * time.Minute

// rateHeaders are the rate-limit headers of one response: x-rate-limit-* (the token's window on
// the endpoint, and what Twitter reports as exhausted on a 429) and, when present,
// x-app-limit-24hour-* (the app's 24-hour cap, sent by X API v2 and the emulator).
type rateHeaders struct {
	limit, remaining int
	reset            time.Time
	ok               bool // the x-rate-limit-* triple was present and valid

	appRemaining int
	appReset     time.Time
	appOK        bool // the x-app-limit-24hour-* pair was present and valid
}

func parseRateHeaders(h http.Header) rateHeaders {
	var r rateHeaders
	limit, err1 := strconv.Atoi(h.Get("x-rate-limit-limit"))
	remaining, err2 := strconv.Atoi(h.Get("x-rate-limit-remaining"))
	reset, err3 := strconv.ParseInt(h.Get("x-rate-limit-reset"), 10, 64)
	if err1 == nil && err2 == nil && err3 == nil {
		r.limit, r.remaining, r.reset, r.ok = limit, remaining, time.Unix(reset, 0).UTC(), true
	}
	appRemaining, err1 := strconv.Atoi(h.Get("x-app-limit-24hour-remaining"))
	appReset, err2 := strconv.ParseInt(h.Get("x-app-limit-24hour-reset"), 10, 64)
	if err1 == nil && err2 == nil {
		r.appRemaining, r.appReset, r.appOK = appRemaining, time.Unix(appReset, 0).UTC(), true
	}
	return r
}

// rateLimited is the error for a spent budget or a 429, retryable at reset.
func rateLimited(now, reset time.Time, why string) *apperr.Error {
	wait := reset.Sub(now).Round(time.Second)
	if wait < time.Second {
		wait = time.Second
	}
	e := apperr.Wrap(apperr.RateLimited, CodeRateLimited,
		"Twitter's request budget is spent for now; please try again later.",
		fmt.Errorf("twitter rate limited (%s) until %s", why, reset.Format(time.RFC3339)))
	e.RetryAfter = wait
	return e
}

func tokenRevoked(endpoint string, status int) *apperr.Error {
	return apperr.Wrap(apperr.Unauthenticated, CodeTokenRevoked,
		"Twitter no longer accepts this sign-in; please sign in again.",
		fmt.Errorf("%s: status %d", endpoint, status))
}

func unavailable(endpoint string, err error) *apperr.Error {
	return apperr.Wrap(apperr.Unavailable, CodeUnavailable,
		"Twitter is not answering right now; please try again in a minute.",
		fmt.Errorf("%s: %w", endpoint, err))
}

// rejected is for 4xx answers other than 401 and 429: a request Twitter will not serve however
// often it is repeated (for example v1.1 access refused with 403/453: switch to API v2).
func rejected(endpoint string, status int) *apperr.Error {
	return apperr.Wrap(apperr.Unavailable, CodeRejected,
		"Twitter refused the request; the service may need a different API access level.",
		fmt.Errorf("%s: status %d", endpoint, status))
}
