// Package twitter is nezame's Twitter client: OAuth 1.0a sign-in (dghubble/oauth1), the signed-in
// user's identity, and the budgeted, incremental fetch of their recent posts' times — through
// dghubble/go-twitter for API v1.1 or a thin typed client for API v2. It reaches whatever
// Config.APIBase names (Twitter, or the project's emulator) and spends as few requests as it can:
// every timeline request is reserved in a Redis budget shared by all instances before it is sent.
package twitter

import (
	"fmt"
	"net/url"
	"strings"
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

// Config configures the OAuth flow and the API client.
type Config struct {
	// APIBase is the scheme, host and optional path prefix of the API and OAuth endpoints, without
	// a trailing slash: "https://api.twitter.com", "http://127.0.0.1:8081",
	// "http://localhost:8080/_twitter".
	APIBase                     string
	ConsumerKey, ConsumerSecret string
	// Version is "1.1" (go-twitter) or "2" (the thin v2 client). Empty means "1.1".
	Version string
	// WindowDays is how far back FetchPosts looks.
	WindowDays int
	// RequestTimeout bounds each outbound request (each attempt, not the whole retry loop).
	RequestTimeout time.Duration
	// MaxAttempts is how often a request failing with a 5xx or a timeout is tried; 0 means 3.
	MaxAttempts int
	// RetryBackoff is the mean delay before the first retry, doubled for each further retry and
	// jittered; 0 means 200ms.
	RetryBackoff time.Duration
}

func (c Config) withDefaults() Config {
	c.APIBase = strings.TrimRight(c.APIBase, "/")
	if c.Version == "" {
		c.Version = Version11
	}
	if c.WindowDays <= 0 {
		c.WindowDays = 28
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

// parseBase validates APIBase. The agreed constructors return no error, so a bad base is kept
// and returned by every call instead (the configuration layer validates it first anyway).
func (c Config) parseBase() (*url.URL, error) {
	u, err := url.Parse(c.APIBase)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("twitter: invalid APIBase %q: want http(s)://host[/prefix]", c.APIBase)
	}
	return u, nil
}

// Token is a user's access token.
type Token struct{ Token, Secret string }

// User is the signed-in user as the service shows them.
type User struct{ ID, Name, ScreenName, ImageURL string }

// FetchStats reports what one FetchPosts spent.
type FetchStats struct {
	// Calls is the number of timeline requests sent (retries included).
	Calls int
	// PostsRead is the number of posts the API returned: the unit Twitter bills under v2.
	PostsRead int
	// Kept is the number of newly read posts kept for analysis (in the window, not automated).
	Kept int
	// Incremental is true when only posts newer than the stored timeline were asked for.
	Incremental bool
}
