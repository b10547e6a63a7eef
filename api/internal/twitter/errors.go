package twitter

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
)

// defaultRateWindow is how long a 429 that carries no usable reset header is taken to last:
// Twitter's rate-limit windows are 15 minutes long.
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

func tokenRevoked(endpoint string, status int) *apperr.Error {
	return apperr.TwitterTokenRevoked(fmt.Errorf("%s: status %d", endpoint, status))
}

func unavailable(endpoint string, err error) *apperr.Error {
	return apperr.TwitterUnavailable(fmt.Errorf("%s: %w", endpoint, err))
}

// rejected is for 4xx answers other than 401 and 429: a request Twitter will not serve however
// often it is repeated (for example v1.1 access refused with 403/453: switch to API v2).
func rejected(endpoint string, status int) *apperr.Error {
	return apperr.TwitterRejected(fmt.Errorf("%s: status %d", endpoint, status))
}

// withBase makes a transport error name the URL that was really asked. go-twitter addresses
// https://api.twitter.com and the rewrite to the configured base happens below the http.Client,
// whose *url.Error still names the original URL; logs must say where requests actually went. The
// query is dropped: it carries user ids and cursors, nothing an operator needs in an error.
func (c *Client) withBase(err error) error {
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return err
	}
	if u.Host == twitterHost {
		u.Scheme, u.Host = c.cfg.APIBase.Scheme, c.cfg.APIBase.Host
		u.Path = trimSlash(c.cfg.APIBase.Path) + u.Path
	}
	u.RawQuery, u.RawPath = "", ""
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
