// Package config reads nezame's configuration from the environment once, at start, and
// validates it with messages that name the variable and what is wrong with it.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one service instance; README.md "Configuration" documents
// each variable.
type Config struct {
	Port           int
	PublicURL      *url.URL
	RedisURL       string
	SessionSecret  string // empty only without Redis; then a random per-process secret is used
	ConsumerKey    string
	ConsumerSecret string
	APIBase        *url.URL // TWITTER_API_BASE, parsed and checked once here
	APIVersion     string   // "1.1" or "2"
	AppDailyQuota  int
	CacheTTL       time.Duration
	WindowDays     int
	ShareStore     string
	LogFormat      string // "text" or "json"
	// QueueCapacity is how many Twitter fetches may run at once across all instances before
	// new analyses wait in the waiting room.
	QueueCapacity int
	// GoogleProject qualifies trace ids in logs so Cloud Logging links them to Cloud Trace.
	GoogleProject string
	// OnCloudRun is true when K_SERVICE is set.
	OnCloudRun bool
	// DemoMode is true when no Twitter credentials were given: the emulator is mounted under
	// /_twitter and used as the Twitter API with the demo credentials.
	DemoMode bool
}

// DemoConsumerKey and DemoConsumerSecret are the credentials demo mode uses against the mounted
// emulator. They are not secrets: the emulator accepts nothing else.
const (
	DemoConsumerKey    = "demo-key"
	DemoConsumerSecret = "demo-secret"
)

// Var describes one environment variable the service reads.
type Var struct {
	Name    string
	Default string // as documented; "" means empty
	Help    string
}

// Vars lists every environment variable the service reads. The deploy tests check that each is
// set or deliberately defaulted in every deployment artifact.
func Vars() []Var {
	return []Var{
		{"PORT", "8080", "listen port (Cloud Run sets it)"},
		{"PUBLIC_URL", "http://localhost:$PORT", "external base URL: OAuth callback, share links, cookie Secure flag"},
		{"REDIS_URL", "", "redis://host:port/db; empty = in-memory stores, single instance only"},
		{"SESSION_SECRET", "", ">= 32 bytes; required with REDIS_URL; same on every instance"},
		{"TWITTER_CONSUMER_KEY", "", "both key and secret empty = demo mode with the built-in emulator"},
		{"TWITTER_CONSUMER_SECRET", "", "see TWITTER_CONSUMER_KEY"},
		{"TWITTER_API_BASE", "https://api.twitter.com", "base URL of the Twitter API and OAuth endpoints"},
		{"TWITTER_API_VERSION", "1.1", "1.1 (go-twitter) or 2 (X API v2)"},
		{"TWITTER_APP_DAILY_QUOTA", "100000", "app-wide timeline requests per 24 h the service may spend"},
		{"CACHE_TTL", "5m", "lifetime of a cached analysis"},
		{"WINDOW_DAYS", "28", "how far back an analysis looks"},
		{"SHARE_STORE", "file://./data/shares", "where share records live (file:// or gs://)"},
		{"LOG_FORMAT", "text (json when K_SERVICE is set)", "log output: text or json"},
		{"QUEUE_CAPACITY", "32", "Twitter fetches in flight across all instances before users queue"},
		{"GOOGLE_CLOUD_PROJECT", "", "project id; links request logs to Cloud Trace"},
		{"K_SERVICE", "", "set by Cloud Run; switches logs to the Cloud Logging JSON shape"},
	}
}

// Load reads the configuration through getenv (os.Getenv in production, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	integer := func(name string, def, min, max int) int {
		s := str(name, "")
		if s == "" {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			bad(name, "must be a whole number from %d to %d, got %q", min, max, s)
			return def
		}
		return n
	}

	c := Config{
		Port:           integer("PORT", 8080, 1, 65535),
		RedisURL:       str("REDIS_URL", ""),
		SessionSecret:  getenv("SESSION_SECRET"),
		ConsumerKey:    str("TWITTER_CONSUMER_KEY", ""),
		ConsumerSecret: str("TWITTER_CONSUMER_SECRET", ""),
		APIVersion:     str("TWITTER_API_VERSION", "1.1"),
		AppDailyQuota:  integer("TWITTER_APP_DAILY_QUOTA", 100000, 1, 1_000_000_000),
		WindowDays:     integer("WINDOW_DAYS", 28, 1, 366),
		ShareStore:     str("SHARE_STORE", "file://./data/shares"),
		QueueCapacity:  integer("QUEUE_CAPACITY", 32, 1, 100000),
		GoogleProject:  str("GOOGLE_CLOUD_PROJECT", ""),
		OnCloudRun:     getenv("K_SERVICE") != "",
	}

	public := str("PUBLIC_URL", fmt.Sprintf("http://localhost:%d", c.Port))
	u, err := url.Parse(public)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PUBLIC_URL", "must be an absolute http(s) URL such as https://nezame.example, got %q", public)
		u, _ = url.Parse(fmt.Sprintf("http://localhost:%d", c.Port))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	c.PublicURL = u

	if (c.ConsumerKey == "") != (c.ConsumerSecret == "") {
		bad("TWITTER_CONSUMER_KEY", "and TWITTER_CONSUMER_SECRET must be set together (both empty = demo mode)")
	}
	c.DemoMode = c.ConsumerKey == "" && c.ConsumerSecret == ""
	base := str("TWITTER_API_BASE", "https://api.twitter.com")
	if c.DemoMode {
		c.ConsumerKey, c.ConsumerSecret = DemoConsumerKey, DemoConsumerSecret
		base = c.PublicURL.String() + "/_twitter"
	}
	b, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" || b.RawQuery != "" || b.Fragment != "" {
		bad("TWITTER_API_BASE", "must be an absolute http(s) URL without a query, got %q", base)
		b, _ = url.Parse("https://api.twitter.com")
	}
	c.APIBase = b
	if c.APIVersion != "1.1" && c.APIVersion != "2" {
		bad("TWITTER_API_VERSION", "must be 1.1 or 2, got %q", c.APIVersion)
	}

	if c.RedisURL != "" {
		if ru, err := url.Parse(c.RedisURL); err != nil || (ru.Scheme != "redis" && ru.Scheme != "rediss") {
			bad("REDIS_URL", "must look like redis://host:6379/0, got an unparsable value")
		}
		if len(c.SessionSecret) < 32 {
			bad("SESSION_SECRET", "must be at least 32 bytes when REDIS_URL is set (every instance must share it); got %d bytes", len(c.SessionSecret))
		}
	} else if c.SessionSecret != "" && len(c.SessionSecret) < 32 {
		bad("SESSION_SECRET", "must be at least 32 bytes; got %d bytes", len(c.SessionSecret))
	}

	ttl := str("CACHE_TTL", "5m")
	if d, err := time.ParseDuration(ttl); err != nil || d < time.Second || d > 24*time.Hour {
		bad("CACHE_TTL", "must be a duration from 1s to 24h such as 5m, got %q", ttl)
		c.CacheTTL = 5 * time.Minute
	} else {
		c.CacheTTL = d
	}

	if !strings.HasPrefix(c.ShareStore, "file://") && !strings.HasPrefix(c.ShareStore, "gs://") {
		bad("SHARE_STORE", "must start with file:// or gs://, got %q", c.ShareStore)
	}

	c.LogFormat = str("LOG_FORMAT", "")
	switch c.LogFormat {
	case "":
		c.LogFormat = "text"
		if c.OnCloudRun {
			c.LogFormat = "json"
		}
	case "text", "json":
	default:
		bad("LOG_FORMAT", "must be text or json, got %q", c.LogFormat)
	}

	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}
