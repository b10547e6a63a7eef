package twitter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
	"github.com/nezame/nezame/api/internal/redistest"
	"github.com/nezame/nezame/api/internal/twitter/budget"
)

// TestErrorResponsesWithoutBody covers go-twitter's quirk: an error status with an empty body
// comes back with err == nil, so only the status code tells failure from success. The fixture
// server answers every request with the same bare status; the emulator always sends a body.
func TestErrorResponsesWithoutBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		version    string
		status     int
		header     map[string]string
		wantKind   apperr.Kind
		wantCode   string
		wantSent   int64
		wantRetry  time.Duration
		verifyOnly bool
	}{
		{name: "5xx is retried, then unavailable", version: Version11, status: 503, wantKind: apperr.KindUnavailable, wantCode: apperr.CodeTwitterUnavailable, wantSent: 3},
		{name: "v2 5xx is retried, then unavailable", version: Version2, status: 500, wantKind: apperr.KindUnavailable, wantCode: apperr.CodeTwitterUnavailable, wantSent: 3},
		{name: "401 ends the session", version: Version11, status: 401, wantKind: apperr.KindUnauthenticated, wantCode: apperr.CodeTwitterTokenRevoked, wantSent: 1},
		{name: "403 is not retried", version: Version11, status: 403, wantKind: apperr.KindUnavailable, wantCode: apperr.CodeTwitterRejected, wantSent: 1},
		{name: "429 without headers waits a window", version: Version11, status: 429, wantKind: apperr.KindRateLimited, wantCode: apperr.CodeRateLimited, wantSent: 1, wantRetry: defaultRateWindow},
		{name: "429 with reset header", version: Version2, status: 429, header: map[string]string{
			"x-rate-limit-limit": "900", "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1795000120",
		}, wantKind: apperr.KindRateLimited, wantCode: apperr.CodeRateLimited, wantSent: 1, wantRetry: 120 * time.Second},
		{name: "empty 200 is not a user", version: Version11, status: 200, wantKind: apperr.KindUnavailable, wantCode: apperr.CodeTwitterUnavailable, wantSent: 1, verifyOnly: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(srv.Close)
			rdb := redistest.Start(t).Client()
			now := func() time.Time { return time.Unix(1795000000, 0) }
			base, _ := url.Parse(srv.URL)
			c := NewClient(Config{APIBase: base, ConsumerKey: "k", ConsumerSecret: "s", Version: tc.version,
				RequestTimeout: 2 * time.Second, RetryBackoff: time.Millisecond}, budget.New(rdb, 100, now), nil, now, nil)
			ctx := context.Background()
			tok := Token{Token: "t", Secret: "ts"}

			var err error
			if tc.verifyOnly {
				_, err = c.VerifyCredentials(ctx, tok)
			} else {
				var f Fetched
				f, err = c.Fetch(ctx, tok, "1001", now().Add(-28*24*time.Hour), 0, nil)
				if int64(f.Stats.Calls) != hits.Load() {
					t.Errorf("FetchStats.Calls = %d, server saw %d", f.Stats.Calls, hits.Load())
				}
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != tc.wantKind || ae.Code != tc.wantCode {
				t.Fatalf("error = %v, want kind %v code %s", err, tc.wantKind, tc.wantCode)
			}
			if got := hits.Load(); got != tc.wantSent {
				t.Errorf("server saw %d requests, want %d", got, tc.wantSent)
			}
			if tc.wantRetry != 0 && ae.RetryAfter != tc.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", ae.RetryAfter, tc.wantRetry)
			}
		})
	}
}

func TestParseRateHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		h               http.Header
		wantOK, wantApp bool
		wantRemaining   int
	}{
		{"none", http.Header{}, false, false, 0},
		{"token window", http.Header{"X-Rate-Limit-Limit": {"900"}, "X-Rate-Limit-Remaining": {"7"}, "X-Rate-Limit-Reset": {"1795000000"}}, true, false, 7},
		{"malformed", http.Header{"X-Rate-Limit-Limit": {"900"}, "X-Rate-Limit-Remaining": {"x"}, "X-Rate-Limit-Reset": {"1795000000"}}, false, false, 0},
		{"app cap", http.Header{"X-App-Limit-24hour-Remaining": {"0"}, "X-App-Limit-24hour-Reset": {"1795000000"}}, false, true, 0},
	}
	for _, tc := range tests {
		got := parseRateHeaders(tc.h)
		if got.ok != tc.wantOK || got.appOK != tc.wantApp || got.remaining != tc.wantRemaining {
			t.Errorf("%s: parseRateHeaders = %+v", tc.name, got)
		}
	}
}

func TestBackoffStaysWithinJitterBounds(t *testing.T) {
	t.Parallel()
	base := 100 * time.Millisecond
	for attempt := 1; attempt <= 4; attempt++ {
		mean := base << (attempt - 1)
		for range 200 {
			if d := backoff(base, attempt); d < mean/2 || d > mean*3/2 {
				t.Fatalf("backoff(%v, %d) = %v, want within [%v, %v]", base, attempt, d, mean/2, mean*3/2)
			}
		}
	}
}
