package share

import (
	"fmt"
	"time"

	"github.com/nezame/nezame/api/internal/apperr"
)

// Error codes of the share endpoints (beside the generic ones the server sends).
const (
	CodeNotFound       = "share_not_found"
	CodeExpired        = "share_expired"
	CodeNotOwner       = "not_owner"
	CodeInvalidSummary = "invalid_summary"
	CodeInvalidShare   = "invalid_share"
	CodeBusy           = "share_busy"
)

func errNotFound() error {
	return apperr.New(apperr.NotFound, CodeNotFound, "This share does not exist or was deleted.")
}

func errExpired() error {
	return apperr.New(apperr.NotFound, CodeExpired, "This share has expired.")
}

func errNotOwner() error {
	return apperr.New(apperr.Forbidden, CodeNotOwner, "Only the person who shared this can delete it.")
}

// ErrInvalidSummary is a refused archive summary; the message names the field and the problem.
func ErrInvalidSummary(err error) error {
	return apperr.Wrap(apperr.Invalid, CodeInvalidSummary, "Invalid archive summary: "+err.Error()+".", err)
}

// ErrInvalidShare is a share request with an option out of range (lang, expiresInDays).
func ErrInvalidShare(msg string) error {
	return apperr.New(apperr.Invalid, CodeInvalidShare, msg)
}

func errLimited(wait time.Duration) error {
	e := apperr.New(apperr.RateLimited, "rate_limited", "You have made many shares recently; try again later.")
	e.RetryAfter = wait
	return e
}

func errBusy() error {
	e := apperr.New(apperr.Unavailable, CodeBusy, "Many share images are being drawn right now; try again in a moment.")
	e.RetryAfter = 2 * time.Second
	return e
}

func errStorage(op string, err error) error {
	return apperr.Wrap(apperr.Unavailable, "storage_unavailable",
		"Our storage is briefly unavailable. Please try again in a few seconds.", fmt.Errorf("%s: %w", op, err))
}

func errInternal(op string, err error) error {
	return apperr.Wrap(apperr.Internal, "internal", "Something went wrong on our side.", fmt.Errorf("%s: %w", op, err))
}
