// Package apperr defines the service's application errors: one constructor per error code, so a
// code is spelled once and means one failure. Code that detects a problem returns one of these;
// the HTTP layer maps Kinds to statuses in one table (server.statusOf) and writes the contract's
// JSON error body, with the extra fields (retryAfter, resetAt, reason, position, fetched) that the
// Error carries.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the HTTP layer.
type Kind int

// The kinds; server.statusOf gives each its HTTP status.
const (
	KindInternal         Kind = iota // 500: a bug or an unexpected failure
	KindInvalid                      // 400: the request is malformed
	KindUnauthenticated              // 401: no session, or the Twitter token was revoked
	KindForbidden                    // 403: signed in, but not allowed
	KindNotFound                     // 404
	KindMethodNotAllowed             // 405
	KindTooLarge                     // 413
	KindHeadersTooLarge              // 431
	KindRateLimited                  // 429: with RetryAfter, ResetAt and Reason
	KindQueued                       // 202: in the waiting room, with Position and RetryAfter
	KindFetching                     // 202: posts are being read in the background, with Fetched and RetryAfter
	KindUnavailable                  // 503: a dependency (storage, Twitter) is down; RetryAfter when worth retrying
	KindTimedOut                     // 408: the client took too long to send the request
)

// Reasons of a 429, in Error.Reason.
const (
	ReasonAppQuota = "app_quota" // the service's own daily Twitter budget is spent
	ReasonTwitter  = "twitter"   // Twitter refused us (its app-wide cap, or this user's window)
	ReasonClient   = "client"    // this client sent too many requests
)

// Error is an application error with a stable code for clients.
type Error struct {
	Kind    Kind
	Code    string // snake_case, e.g. "invalid_timezone"
	Message string // human text, safe to show
	// RetryAfter is how long the client should wait before asking again (0: not said).
	RetryAfter time.Duration
	// ResetAt is when a rate limit clears (429 only).
	ResetAt time.Time
	// Reason is one of the Reason* constants (429 only).
	Reason string
	// Position is the place in the waiting room (queued only).
	Position int
	// Fetched is how many posts a background fetch has read so far (fetching only).
	Fetched int
	// Err is the cause, for logs; never shown to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries an *Error of kind k.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

func newError(kind Kind, code, message string, err error) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: err}
}

// storageRetry is what a client is told to wait after a storage failure: Redis restarts and
// failovers take seconds.
const storageRetry = 2 * time.Second

// Code names, for callers that compare codes (tests, the UI contract).
const (
	CodeInternal             = "internal"
	CodeInvalidBody          = "invalid_body"
	CodeInvalidTimezone      = "invalid_timezone"
	CodeInvalidTimestamp     = "invalid_timestamp"
	CodeUnsupportedEncoding  = "unsupported_encoding"
	CodeUnsupportedMedia     = "unsupported_media_type"
	CodeBodyTooLarge         = "body_too_large"
	CodeTooManyTimestamps    = "too_many_timestamps"
	CodeSpanTooLong          = "span_too_long"
	CodeBodyTimeout          = "body_timeout"
	CodeHeadersTooLarge      = "headers_too_large"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeCrossSite            = "cross_site"
	CodeUnauthenticated      = "unauthenticated"
	CodeLoginInvalid         = "login_invalid"
	CodeLoginExpired         = "login_expired"
	CodeLoginMismatch        = "login_mismatch"
	CodeLoginSuperseded      = "login_superseded"
	CodeRateLimited          = "rate_limited"
	CodeQueued               = "queued"
	CodeFetching             = "fetching"
	CodeAnalysisBusy         = "analysis_busy"
	CodeStorageUnavailable   = "storage_unavailable"
	CodeTwitterUnavailable   = "twitter_unavailable"
	CodeTwitterRejected      = "twitter_rejected"
	CodeTwitterTokenRevoked  = "twitter_token_revoked"
	CodeTwitterAuthFailed    = "twitter_auth_failed"
	CodeTwitterConsumerError = "twitter_consumer_rejected"
	CodeShareNotFound        = "share_not_found"
	CodeShareExpired         = "share_expired"
	CodeNotOwner             = "not_owner"
	CodeInvalidSummary       = "invalid_summary"
	CodeInvalidShare         = "invalid_share"
	CodeShareBusy            = "share_busy"
)

// Internal is an unexpected failure (a bug, or a dependency answering nonsense). err is logged.
func Internal(err error) *Error {
	return newError(KindInternal, CodeInternal, "Something went wrong on our side.", err)
}

// InvalidBody is a request body that cannot be read as the endpoint expects; msg says what is
// wrong, in words a developer can act on.
func InvalidBody(msg string, err error) *Error {
	return newError(KindInvalid, CodeInvalidBody, "Invalid request: "+msg+".", err)
}

// InvalidTimezone is a tz that is not a canonical IANA zone name; an empty tz is one that was
// required and not given.
func InvalidTimezone(tz string) *Error {
	if tz == "" {
		return newError(KindInvalid, CodeInvalidTimezone,
			`tz is required: the IANA zone the calendar is shown in, such as "Asia/Tokyo".`, nil)
	}
	if len(tz) > 64 {
		tz = tz[:64] + "…"
	}
	return newError(KindInvalid, CodeInvalidTimezone,
		fmt.Sprintf("%q is not an IANA time zone name such as Asia/Tokyo or Europe/London.", tz), nil)
}

// InvalidTimestamp names the first timestamp of a request that is not a post time.
func InvalidTimestamp(msg string) *Error {
	return newError(KindInvalid, CodeInvalidTimestamp, msg, nil)
}

// UnsupportedEncoding is a Content-Encoding other than gzip.
func UnsupportedEncoding() *Error {
	return newError(KindInvalid, CodeUnsupportedEncoding, "Content-Encoding must be gzip or absent.", nil)
}

// UnsupportedMediaType is a body that is not JSON.
func UnsupportedMediaType() *Error {
	return newError(KindInvalid, CodeUnsupportedMedia, "Send the body as application/json.", nil)
}

// BodyTooLarge is a body over the endpoint's limit of limit bytes (after decompression).
func BodyTooLarge(limit int64) *Error {
	size := fmt.Sprintf("%d KiB", limit>>10)
	if limit >= 1<<20 {
		size = fmt.Sprintf("%d MiB", limit>>20)
	}
	return newError(KindTooLarge, CodeBodyTooLarge, "The request body is larger than "+size+".", nil)
}

// TooManyTimestamps is an analysis request over its item limit.
func TooManyTimestamps(limit int) *Error {
	return newError(KindTooLarge, CodeTooManyTimestamps, fmt.Sprintf("At most %d timestamps can be analysed at once.", limit), nil)
}

// SpanTooLong is an analysis request whose timestamps run from first to last (dates) over more
// than maxYears.
func SpanTooLong(first, last string, maxYears int) *Error {
	return newError(KindTooLarge, CodeSpanTooLong, fmt.Sprintf(
		"The timestamps run from %s to %s; at most %d years can be analysed at once. Send the most recent %d years.",
		first, last, maxYears, maxYears), nil)
}

// BodyTimeout is a request body that did not arrive within the endpoint's read deadline.
func BodyTimeout(err error) *Error {
	return newError(KindTimedOut, CodeBodyTimeout, "The request body did not arrive in time; send it again on a faster connection.", err)
}

// HeadersTooLarge is a request whose request line and headers (cookies included) exceed maxKiB.
func HeadersTooLarge(maxKiB int) *Error {
	return newError(KindHeadersTooLarge, CodeHeadersTooLarge,
		fmt.Sprintf("The request's headers (cookies included) are larger than %d KiB.", maxKiB), nil)
}

// NotFound is an unknown endpoint or file; what names it ("endpoint", "file").
func NotFound(what string) *Error {
	return newError(KindNotFound, CodeNotFound, "No such "+what+".", nil)
}

// MethodNotAllowed is a known path asked with a method it does not serve.
func MethodNotAllowed(method string) *Error {
	if len(method) > 16 {
		method = method[:16] + "…"
	}
	return newError(KindMethodNotAllowed, CodeMethodNotAllowed, "This endpoint does not accept "+method+".", nil)
}

// CrossSite is a state-changing request that did not come from the nezame page.
func CrossSite() *Error {
	return newError(KindForbidden, CodeCrossSite, "This request must come from the nezame page itself.", nil)
}

// Unauthenticated is a request without a usable session.
func Unauthenticated() *Error {
	return newError(KindUnauthenticated, CodeUnauthenticated, "Please sign in.", nil)
}

// SessionExpired is a session that can no longer be used (its sealed token is unreadable).
func SessionExpired() *Error {
	return newError(KindUnauthenticated, CodeUnauthenticated, "Your session has expired. Please sign in again.", nil)
}

// LoginInvalid is a sign-in callback without its token or verifier.
func LoginInvalid() *Error {
	return newError(KindInvalid, CodeLoginInvalid, "The sign-in link is incomplete. Please sign in again.", nil)
}

// LoginExpired is a sign-in callback for a request token that is unknown, expired or used.
func LoginExpired() *Error {
	return newError(KindInvalid, CodeLoginExpired, "This sign-in has expired or was already used. Please sign in again.", nil)
}

// LoginMismatch is a sign-in callback from another browser than the one that started it.
func LoginMismatch() *Error {
	return newError(KindForbidden, CodeLoginMismatch, "This sign-in was started in another browser. Please sign in again here.", nil)
}

// LoginSuperseded is the callback of a sign-in that this browser started again since: the newest
// one is the one to finish. err is the mismatch it replaces, for logs.
func LoginSuperseded(err error) *Error {
	return newError(KindForbidden, CodeLoginSuperseded, "You started signing in again; please finish the newest sign-in.", err)
}

// RateLimited is a refusal until resetAt, for reason (one of the Reason* constants). now is the
// caller's clock, so RetryAfter agrees with the clock that set resetAt.
func RateLimited(reason string, now, resetAt time.Time, err error) *Error {
	msg := "Too many requests from your network. Please wait a moment."
	switch reason {
	case ReasonAppQuota:
		msg = "nezame has read as much from Twitter as it may today. Reading resumes at the stated time."
	case ReasonTwitter:
		msg = "Twitter has paused nezame's reading until the stated time."
	}
	e := newError(KindRateLimited, CodeRateLimited, msg, err)
	e.Reason = reason
	e.ResetAt = resetAt.UTC()
	e.RetryAfter = max(resetAt.Sub(now).Round(time.Second), time.Second)
	return e
}

// Queued is a place in the waiting room: the fetch will run when the place comes up.
func Queued(position int, retryAfter time.Duration) *Error {
	e := newError(KindQueued, CodeQueued, "Lots of people are asking right now. You are in line; this page updates by itself.", nil)
	e.Position, e.RetryAfter = position, retryAfter
	return e
}

// Fetching is a first analysis whose posts are still being read in the background.
func Fetching(fetched int, retryAfter time.Duration) *Error {
	e := newError(KindFetching, CodeFetching, "Reading your posts from Twitter. This page updates by itself.", nil)
	e.Fetched, e.RetryAfter = fetched, retryAfter
	return e
}

// AnalysisBusy is an instance (or a user's fetch) too busy to answer now; worth retrying soon.
func AnalysisBusy(retryAfter time.Duration) *Error {
	e := newError(KindUnavailable, CodeAnalysisBusy, "Your analysis is still being prepared. Please try again in a moment.", nil)
	e.RetryAfter = retryAfter
	return e
}

// StorageUnavailable is a failure to reach storage (Redis, or the share store): the one code for
// it, so nezame_redis_errors_total counts every such answer.
func StorageUnavailable(err error) *Error {
	e := newError(KindUnavailable, CodeStorageUnavailable, "Our storage is briefly unavailable. Please try again in a few seconds.", err)
	e.RetryAfter = storageRetry
	return e
}

// TwitterUnavailable is Twitter not answering (timeouts, 5xx after retries, no response).
func TwitterUnavailable(err error) *Error {
	e := newError(KindUnavailable, CodeTwitterUnavailable, "Twitter is not answering right now; please try again in a minute.", err)
	e.RetryAfter = time.Minute
	return e
}

// TwitterRejected is a request Twitter refuses however often it is repeated (for example v1.1
// access refused: the service needs API v2).
func TwitterRejected(err error) *Error {
	return newError(KindUnavailable, CodeTwitterRejected, "Twitter refused the request; the service may need a different API access level.", err)
}

// TwitterTokenRevoked is a user token Twitter no longer accepts: the session must end.
func TwitterTokenRevoked(err error) *Error {
	return newError(KindUnauthenticated, CodeTwitterTokenRevoked, "Twitter no longer accepts this sign-in; please sign in again.", err)
}

// TwitterAuthFailed is a sign-in Twitter did not confirm (expired request token, bad verifier).
func TwitterAuthFailed(err error) *Error {
	return newError(KindUnauthenticated, CodeTwitterAuthFailed, "Twitter did not confirm the sign-in; please try again.", err)
}

// TwitterConsumerRejected is Twitter refusing this app's own credentials: a deployment error.
func TwitterConsumerRejected(err error) *Error {
	return newError(KindInternal, CodeTwitterConsumerError, "Twitter rejected this app's credentials.", err)
}

// ShareNotFound is a share id that does not exist (or was deleted).
func ShareNotFound() *Error {
	return newError(KindNotFound, CodeShareNotFound, "This share does not exist or was deleted.", nil)
}

// ShareExpired is a share past the expiry its owner chose.
func ShareExpired() *Error {
	return newError(KindNotFound, CodeShareExpired, "This share has expired.", nil)
}

// NotOwner is a share deletion by someone other than its owner (or the bearer of its delete
// token).
func NotOwner() *Error {
	return newError(KindForbidden, CodeNotOwner, "Only the person who shared this can delete it.", nil)
}

// DeleteNeedsOwner is a share deletion with neither a session nor a delete token.
func DeleteNeedsOwner() *Error {
	return newError(KindUnauthenticated, CodeUnauthenticated, "Please sign in, or send the share's delete token.", nil)
}

// InvalidSummary is a refused archive summary; err names the field and the problem.
func InvalidSummary(err error) *Error {
	return newError(KindInvalid, CodeInvalidSummary, "Invalid archive summary: "+err.Error()+".", err)
}

// InvalidShare is a share request with an option out of range (lang, expiresInDays); msg says
// which and what is allowed.
func InvalidShare(msg string) *Error {
	return newError(KindInvalid, CodeInvalidShare, msg, nil)
}

// ShareBusy is an instance drawing as many share images as it may at once.
func ShareBusy(retryAfter time.Duration) *Error {
	e := newError(KindUnavailable, CodeShareBusy, "Many share images are being drawn right now; try again in a moment.", nil)
	e.RetryAfter = retryAfter
	return e
}
