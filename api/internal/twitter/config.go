// Package twitter is nezame's Twitter client: OAuth 1.0a sign-in (dghubble/oauth1), the signed-in
// user's identity, and the budgeted read of a user's recent post times — through
// dghubble/go-twitter for API v1.1 or a thin typed client for API v2. It reaches whatever
// Config.APIBase names (Twitter, or the project's emulator), spends as few requests as it can, and
// reserves every timeline request in the shared budget it is handed before sending it. It stores
// nothing itself: what was read goes back to the caller.
package twitter

import (
	"net/url"
	"time"
)

// API versions accepted in Config.Version.
const (
	Version11 = "1.1"
	Version2  = "2"
)

// Page sizes and the API's history cap.
const (
	v1PageSize = 200  // user_timeline's maximum count
	v2PageSize = 100  // users/:id/tweets' maximum max_results
	historyCap = 3200 // the most recent posts either API returns, at most
)

// Config configures the OAuth flow and the API client. It is validated by package config, once;
// this package trusts it.
type Config struct {
	// APIBase is the scheme, host and optional path prefix of the API and OAuth endpoints:
	// https://api.twitter.com, http://127.0.0.1:8081, http://localhost:8080/_twitter.
	APIBase                     *url.URL
	ConsumerKey, ConsumerSecret string
	// Version is "2" for the thin v2 client; anything else means "1.1" (go-twitter).
	Version string
	// RequestTimeout bounds each outbound request (each attempt, not the whole retry loop).
	RequestTimeout time.Duration
	// MaxAttempts is how often a request failing with a 5xx or a timeout is tried; 0 means 3.
	MaxAttempts int
	// RetryBackoff is the mean delay before the first retry, doubled for each further retry and
	// jittered; 0 means 200ms.
	RetryBackoff time.Duration
}

func (c Config) withDefaults() Config {
	if c.Version != Version2 {
		c.Version = Version11
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 10 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = 200 * time.Millisecond
	}
	return c
}

// baseString is APIBase without a trailing slash, for building endpoint URLs.
func (c Config) baseString() string {
	u := *c.APIBase
	u.Path = trimSlash(u.Path)
	u.RawPath = ""
	return u.String()
}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// Token is a user's access token.
type Token struct{ Token, Secret string }

// User is the signed-in user as the service shows them.
type User struct{ ID, Name, ScreenName, ImageURL string }

// FetchStats reports what one Fetch spent.
type FetchStats struct {
	// Calls is the number of timeline requests sent (retries included).
	Calls int
	// PostsRead is the number of posts the API returned: the unit Twitter bills under v2.
	PostsRead int
	// Kept is the number of newly read posts kept for analysis (in the window, not automated).
	Kept int
	// Incremental is true when only posts newer than a stored one were asked for.
	Incremental bool
}
