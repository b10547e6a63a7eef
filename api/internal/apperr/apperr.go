// Package apperr defines the service's application errors. Code that detects a problem returns
// an *Error with a Kind and a snake_case code; the HTTP layer maps Kinds to statuses in one table
// (server.statusOf) and writes the contract's JSON error body.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error for the HTTP layer.
type Kind int

const (
	Internal        Kind = iota // 500: a bug or an unexpected failure
	Invalid                     // 400: the request is malformed
	Unauthenticated             // 401: no session, or the Twitter token was revoked
	Forbidden                   // 403: signed in, but not allowed
	NotFound                    // 404
	TooLarge                    // 413
	RateLimited                 // 429: with RetryAfter
	Queued                      // 202: in the waiting room, with Position and RetryAfter
	Unavailable                 // 503: a dependency (Redis, Twitter) is down
)

// Error is an application error with a stable code for clients.
type Error struct {
	Kind       Kind
	Code       string // snake_case, e.g. "invalid_timezone"
	Message    string // human text, safe to show
	RetryAfter time.Duration
	Position   int // waiting-room position, for Queued
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an *Error of the given kind.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Wrap returns an *Error of the given kind that keeps err as its cause (for logs, not clients).
func Wrap(kind Kind, code, message string, err error) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: err}
}

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
