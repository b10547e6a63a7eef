package twitter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/redis/go-redis/v9"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/twitter/budget"
	"github.com/nezame/nezame/api/internal/twitter/timeline"
)

// Client calls the Twitter API on behalf of signed-in users. It is safe for concurrent use; one
// Client serves every user of an instance, and all instances sharing a Redis share one budget.
type Client struct {
	cfg       Config
	base      *url.URL
	baseErr   error
	consumer  *oauth1.Config
	transport http.RoundTripper
	budget    *budget.Budget
	store     *timeline.Store
	now       func() time.Time
	log       *slog.Logger
}

// NewClient returns a Client spending at most dailyQuota timeline requests per UTC day across all
// instances sharing rdb, which also holds the users' stored timelines. now is the clock (nil
// means time.Now); logger receives one line per request with the remaining budget (nil discards).
func NewClient(cfg Config, rdb redis.UniversalClient, dailyQuota int, now func() time.Time, logger *slog.Logger) *Client {
	cfg = cfg.withDefaults()
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base, err := cfg.parseBase()
	if err == nil && cfg.Version != Version11 && cfg.Version != Version2 {
		err = fmt.Errorf("twitter: unknown API version %q: want %q or %q", cfg.Version, Version11, Version2)
	}
	return &Client{
		cfg:       cfg,
		base:      base,
		baseErr:   err,
		consumer:  oauth1.NewConfig(cfg.ConsumerKey, cfg.ConsumerSecret),
		transport: newBaseTransport(),
		budget:    budget.New(rdb, dailyQuota, now),
		// A stored timeline older than the window would be pruned to nothing, so it may expire
		// a day after the window.
		store: timeline.NewStore(rdb, time.Duration(cfg.WindowDays+1)*24*time.Hour),
		now:   now,
		log:   logger.With("component", "twitter", "api_version", cfg.Version),
	}
}

// BudgetRemaining reports the app-wide timeline requests left today and when the count resets;
// the waiting room turns it into an ETA.
func (c *Client) BudgetRemaining(ctx context.Context) (remaining int, reset time.Time, err error) {
	remaining, reset, err = c.budget.Remaining(ctx)
	if err != nil {
		return 0, time.Time{}, apperr.Wrap(apperr.Unavailable, "budget_unavailable", "The request budget cannot be read right now.", err)
	}
	return remaining, reset, nil
}

// VerifyCredentials returns the user the token belongs to. It is not a timeline request, so it
// does not spend the app's timeline budget.
func (c *Client) VerifyCredentials(ctx context.Context, tok Token) (User, error) {
	if c.baseErr != nil {
		return User{}, apperr.Wrap(apperr.Internal, "twitter_misconfigured", "The Twitter client is misconfigured.", c.baseErr)
	}
	if c.cfg.Version == Version2 {
		return c.usersMe(ctx, tok)
	}
	return c.verifyCredentialsV1(ctx, tok)
}

// httpClient returns an HTTP client that signs with tok, reaches the configured base, is bound to
// ctx and times out. The rewrite runs before the signing transport: what is signed is what is sent.
func (c *Client) httpClient(ctx context.Context, tok Token) *http.Client {
	pool := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: c.transport})
	signer := c.consumer.Client(pool, oauth1.NewToken(tok.Token, tok.Secret)).Transport
	return &http.Client{
		Transport: &rewriteTransport{base: c.base, ctx: ctx, next: signer},
		Timeout:   c.cfg.RequestTimeout,
	}
}

// request describes one logical API request for do.
type request struct {
	endpoint string // for logs and errors, e.g. "user_timeline"
	userID   string // whose token is used; "" when not known yet
	budgeted bool   // a timeline request: reserved in the app budget first
}

// response is what a send function saw: the status (0 when no response arrived), the headers,
// and a transport or decoding error.
type response struct {
	status int
	header http.Header
	err    error
}

// do sends a request through send with the budget, retry and error-mapping rules: reserve
// before sending, retry 5xx and timeouts with jittered exponential backoff, remember rate-limit
// exhaustion in Redis, and map failures to *apperr.Error. sent is incremented per request sent.
func (c *Client) do(ctx context.Context, tok Token, req request, sent *int, send func(*http.Client) response) error {
	var lastErr error
	for attempt := 1; ; attempt++ {
		appRemaining := -1
		if req.budgeted {
			res, err := c.budget.Reserve(ctx, req.userID)
			if err != nil {
				return apperr.Wrap(apperr.Unavailable, "budget_unavailable", "The request budget cannot be checked right now.", err)
			}
			if !res.Allowed() {
				c.log.Warn("twitter request refused by budget", "endpoint", req.endpoint, "user_id", req.userID,
					"reason", res.Reason.String(), "reset", res.Reset)
				return rateLimited(c.now(), res.Reset, res.Reason.String())
			}
			appRemaining = res.Remaining
		}

		actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
		r := send(c.httpClient(actx, tok))
		cancel()
		*sent++

		rh := parseRateHeaders(r.header)
		level := slog.LevelDebug
		if r.status/100 != 2 {
			level = slog.LevelWarn
		}
		c.log.Log(ctx, level, "twitter request", "endpoint", req.endpoint, "user_id", req.userID, "attempt", attempt,
			"status", r.status, "rate_remaining", rateField(rh.remaining, rh.ok), "rate_reset", rh.reset,
			"app_budget_remaining", appRemaining, "app_limit_remaining", rateField(rh.appRemaining, rh.appOK))
		if req.budgeted {
			c.remember(ctx, req.userID, r.status, rh)
		}

		switch {
		case r.status == 0 || (r.err != nil && r.status/100 == 2):
			if ctx.Err() != nil {
				// The caller's deadline, not Twitter's failure: no retry; errors.Is still finds it.
				return unavailable(req.endpoint, ctx.Err())
			}
			lastErr = r.err
		case r.status/100 == 2:
			return nil
		case r.status == http.StatusTooManyRequests:
			return rateLimited(c.now(), c.retryAt(rh), "twitter_429")
		case r.status == http.StatusUnauthorized:
			return tokenRevoked(req.endpoint, r.status)
		case r.status >= 500:
			lastErr = fmt.Errorf("status %d", r.status)
		default:
			return rejected(req.endpoint, r.status)
		}

		if attempt >= c.cfg.MaxAttempts {
			c.log.Warn("twitter request failed", "endpoint", req.endpoint, "user_id", req.userID,
				"attempts", attempt, "err", lastErr)
			return unavailable(req.endpoint, fmt.Errorf("after %d attempts: %w", attempt, lastErr))
		}
		if err := sleep(ctx, backoff(c.cfg.RetryBackoff, attempt)); err != nil {
			return unavailable(req.endpoint, err)
		}
	}
}

// remember turns a timeline response's rate-limit headers into blocks shared through Redis, so
// that no instance sends a request Twitter has already said it will refuse: the app's 24-hour cap
// at zero blocks everyone until its reset; the token's window at zero blocks that user. A 429
// that names neither is taken as the app's cap (the token's window reported room).
func (c *Client) remember(ctx context.Context, userID string, status int, rh rateHeaders) {
	var err error
	switch {
	case rh.appOK && rh.appRemaining <= 0:
		err = c.budget.BlockApp(ctx, rh.appReset)
	case rh.ok && rh.remaining <= 0:
		err = c.budget.BlockUser(ctx, userID, rh.reset)
	case status == http.StatusTooManyRequests:
		err = c.budget.BlockApp(ctx, c.retryAt(rh))
	}
	if err != nil {
		// Failing to store a block only costs a 429 later.
		c.log.Warn("store rate-limit block", "err", err)
	}
}

// retryAt is when a 429 may be retried: the reset of whichever limit is spent.
func (c *Client) retryAt(rh rateHeaders) time.Time {
	now := c.now()
	switch {
	case rh.appOK && rh.appRemaining <= 0 && rh.appReset.After(now):
		return rh.appReset
	case rh.ok && rh.reset.After(now):
		return rh.reset
	}
	return now.Add(defaultRateWindow)
}

func rateField(v int, ok bool) int {
	if !ok {
		return -1
	}
	return v
}

// backoff is the delay before retry number attempt (1-based): base·2^(attempt−1), jittered
// uniformly within ±50% so that instances retrying together spread out.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base << (attempt - 1)
	return d/2 + time.Duration(rand.Int64N(int64(d)+1))
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// statusOf returns resp's status, or 0 when there was no response.
func statusOf(resp *http.Response) (int, http.Header) {
	if resp == nil {
		return 0, nil
	}
	return resp.StatusCode, resp.Header
}

// errMissingUser is returned when FetchPosts is called without a user id.
var errMissingUser = errors.New("twitter: FetchPosts needs the user's id")
