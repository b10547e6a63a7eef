package twitter

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/metrics"
	"github.com/nezame/nezame/api/internal/twitter/budget"
)

// Client calls the Twitter API on behalf of signed-in users. It is safe for concurrent use; one
// Client serves every user of an instance, and all instances sharing a budget share its count.
type Client struct {
	cfg       Config
	consumer  *oauth1.Config
	transport http.RoundTripper
	budget    *budget.Budget
	metrics   *metrics.Metrics
	now       func() time.Time
	log       *slog.Logger
}

// NewClient returns a Client that reserves every timeline request in b (shared by all instances)
// and counts its requests in m. b may be nil for a client that only identifies users
// (VerifyCredentials spends no timeline budget); m may be nil. now is the clock (nil means
// time.Now); logger receives one line per request with the remaining budget (nil discards).
func NewClient(cfg Config, b *budget.Budget, m *metrics.Metrics, now func() time.Time, logger *slog.Logger) *Client {
	cfg = cfg.withDefaults()
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Client{
		cfg:       cfg,
		consumer:  oauth1.NewConfig(cfg.ConsumerKey, cfg.ConsumerSecret),
		transport: newBaseTransport(),
		budget:    b,
		metrics:   m,
		now:       now,
		log:       logger.With("component", "twitter", "api_version", cfg.Version, "api_base", cfg.baseString()),
	}
}

// VerifyCredentials returns the user the token belongs to. It is not a timeline request, so it
// does not spend the app's timeline budget.
func (c *Client) VerifyCredentials(ctx context.Context, tok Token) (User, error) {
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
		Transport: &rewriteTransport{base: c.cfg.APIBase, ctx: ctx, next: signer},
		Timeout:   c.cfg.RequestTimeout,
	}
}

// request describes one logical API request for do.
type request struct {
	endpoint string // for logs, metrics and errors, e.g. "user_timeline"
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
// exhaustion in the budget, and map failures to *apperr.Error. sent is incremented per request
// sent.
func (c *Client) do(ctx context.Context, tok Token, req request, sent *int, send func(*http.Client) response) error {
	var lastErr error
	for attempt := 1; ; attempt++ {
		appRemaining, probe := -1, false
		if req.budgeted {
			res, err := c.budget.Reserve(ctx, req.userID)
			if err != nil {
				return apperr.StorageUnavailable(err)
			}
			if !res.Allowed() {
				c.log.Info("twitter request refused by budget", "endpoint", req.endpoint, "user_id", req.userID,
					"reason", res.Reason.String(), "reset", res.Reset)
				return refused(c.now(), res)
			}
			appRemaining, probe = res.Remaining, res.Probe
		}

		actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
		started := time.Now()
		r := send(c.httpClient(actx, tok))
		cancel()
		r.err = c.withBase(r.err)
		*sent++

		rh := parseRateHeaders(r.header)
		level := slog.LevelDebug
		if r.status/100 != 2 {
			level = slog.LevelWarn
		}
		c.log.Log(ctx, level, "twitter request", "endpoint", req.endpoint, "user_id", req.userID, "attempt", attempt,
			"status", r.status, "rate_remaining", rateField(rh.remaining, rh.ok), "rate_reset", rh.reset,
			"app_budget_remaining", appRemaining, "app_limit_remaining", rateField(rh.appRemaining, rh.appOK), "probe", probe)
		c.metrics.ObserveTwitterCall(req.endpoint, outcome(r), time.Since(started))
		if req.budgeted {
			c.remember(ctx, req.userID, r.status, rh, probe)
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
			return apperr.RateLimited(apperr.ReasonTwitter, c.now(), c.retryAt(rh),
				fmt.Errorf("%s: twitter answered 429", req.endpoint))
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

// refused is the error for a request the budget would not let through.
func refused(now time.Time, res budget.Reservation) error {
	reason := apperr.ReasonTwitter
	if res.Reason == budget.AppQuota {
		reason = apperr.ReasonAppQuota
	}
	return apperr.RateLimited(reason, now, res.Reset, fmt.Errorf("twitter budget: %s until %s", res.Reason, res.Reset.Format(time.RFC3339)))
}

// outcome labels a response for nezame_twitter_calls_total.
func outcome(r response) string {
	switch {
	case r.status == 0:
		return "no_response"
	case r.status/100 == 2 && r.err != nil:
		return "bad_response"
	case r.status/100 == 2:
		return "ok"
	case r.status == http.StatusTooManyRequests:
		return "rate_limited"
	case r.status == http.StatusUnauthorized:
		return "unauthorized"
	case r.status >= 500:
		return "server_error"
	}
	return "rejected"
}

// remember turns a timeline response's rate-limit headers into blocks shared through the budget,
// so that no instance sends a request Twitter has already said it will refuse: the app's 24-hour
// cap at zero blocks everyone until its reset; the token's window at zero blocks that user. A 429
// that names neither is taken as the app's cap (the token's window reported room). A probe (the
// one request let through when a block ended) that succeeds lifts the block for everyone.
func (c *Client) remember(ctx context.Context, userID string, status int, rh rateHeaders, probe bool) {
	var err error
	switch {
	case rh.appOK && rh.appRemaining <= 0:
		err = c.budget.BlockApp(ctx, rh.appReset)
	case rh.ok && rh.remaining <= 0:
		err = c.budget.BlockUser(ctx, userID, rh.reset)
	case status == http.StatusTooManyRequests:
		err = c.budget.BlockApp(ctx, c.retryAt(rh))
	case probe && status/100 == 2:
		err = c.budget.ProbeSucceeded(ctx)
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
