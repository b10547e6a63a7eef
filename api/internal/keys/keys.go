// Package keys names every Redis key nezame uses, in one place, so the layout can be read (and
// checked) at a glance: every key starts with "nezame:" and every key is written with a TTL —
// the TTL each one gets is noted beside it and set by the package that writes it.
//
// Keys that one Lua script touches together share a {hash tag}, so the script also runs on a
// Redis Cluster.
package keys

import (
	"strconv"
	"time"
)

// Prefix starts every key.
const Prefix = "nezame:"

// Session is a signed-in session's record (sliding 7-day TTL).
func Session(id string) string { return Prefix + "session:" + id }

// OAuthRequest is a started sign-in's request-token secret and browser binding, by the hash of
// the request token (10-minute TTL).
func OAuthRequest(tokenHash string) string { return Prefix + "oauth:" + tokenHash }

// PostTimes is a user's stored post times (the analysis window plus a day).
func PostTimes(userID string) string { return Prefix + "posts:" + userID }

// FetchLock is held by the instance reading a user's posts from Twitter (the fetch's bound).
func FetchLock(userID string) string { return Prefix + "fetch:lock:" + userID }

// FetchProgress is how many posts a user's running fetch has read (the fetch's bound).
func FetchProgress(userID string) string { return Prefix + "fetch:progress:" + userID }

// FetchFailure is why a user's last background fetch failed, told to the polls that follow
// (until the failure's retry time, at most a minute).
func FetchFailure(userID string) string { return Prefix + "fetch:failed:" + userID }

// ResponsePrefix starts Response keys.
const ResponsePrefix = Prefix + "response:"

// Response is the encoded, compressed GET /api/periods answer for a session, zone and window
// (until the post times under it go stale: at most CACHE_TTL). It is read together with the
// session, so it is never served once the session is gone.
func Response(sessionID, zone string, windowDays int) string {
	return ResponsePrefix + sessionID + ":" + zone + ":" + strconv.Itoa(windowDays)
}

// BudgetDay is the app's count of timeline requests on a UTC day (until a day after its end).
func BudgetDay(day time.Time) string {
	return Prefix + "budget:{app}:day:" + day.UTC().Format("20060102")
}

// BudgetAppBlock is when Twitter's app-wide block ends (until then, plus ten minutes, so the
// first request after it is recognised as the probe).
const BudgetAppBlock = Prefix + "budget:{app}:blocked_until"

// BudgetProbe marks the one request let through when an app block ended (30 s).
const BudgetProbe = Prefix + "budget:{app}:probe"

// BudgetUserBlock is when a user's token window at Twitter resets (until then, plus a minute).
func BudgetUserBlock(userID string) string { return Prefix + "budget:{app}:user:" + userID }

// The waiting room (a day past the last activity).
const (
	QueueTickets = Prefix + "queue:{room}:tickets" // zset: user -> arrival sequence (FIFO order)
	QueueSeen    = Prefix + "queue:{room}:seen"    // zset: user -> last poll, ms
	QueueSlots   = Prefix + "queue:{room}:slots"   // zset: user -> slot expiry, ms
	QueueSeq     = Prefix + "queue:{room}:seq"     // the arrival counter
)

// RateLimit is a per-client limit's GCRA state (redis_rate sets the TTL to the limit's period).
func RateLimit(limit, client string) string { return Prefix + "ratelimit:" + limit + ":" + client }
