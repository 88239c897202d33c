// Package apperr defines the error kinds every feature returns and the HTTP layer maps
// to problem+json. A feature error carries a stable machine code the SPA and tests
// branch on; the message is for humans (the SPA translates from the code).
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error; each kind has one HTTP status.
type Kind int

// The kinds, in the order of their statuses.
const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthenticated
	KindDenied
	KindNotFound
	KindConflict
	KindUnprocessable
	KindTooLarge
	KindTooMany
	KindUnavailable
)

// Status returns the HTTP status of a kind.
func (k Kind) Status() int {
	switch k {
	case KindInvalid:
		return 400
	case KindUnauthenticated:
		return 401
	case KindDenied:
		return 403
	case KindNotFound:
		return 404
	case KindConflict:
		return 409
	case KindTooLarge:
		return 413
	case KindUnprocessable:
		return 422
	case KindTooMany:
		return 429
	case KindUnavailable:
		return 503
	default:
		return 500
	}
}

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is a coded application error.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
	// Current is the fresh state of a resource for version conflicts.
	Current any
	// RetryAfter, in seconds, for throttling errors.
	RetryAfter int
	Methods    []string // the second factors a step-up accepts (auth.stepUpRequired)
	cause      error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.cause }

// New makes a coded error.
func New(kind Kind, code, msg string) *Error { return &Error{Kind: kind, Code: code, Message: msg} }

// Wrap makes a coded error with a cause kept for the log.
func Wrap(kind Kind, code, msg string, cause error) *Error {
	return &Error{Kind: kind, Code: code, Message: msg, cause: cause}
}

// Invalid is a validation error naming fields.
func Invalid(fields ...FieldError) *Error {
	msg := "The request has invalid fields."
	if len(fields) == 1 {
		msg = fields[0].Field + ": " + fields[0].Message
	}
	return &Error{Kind: KindInvalid, Code: "validation.failed", Message: msg, Fields: fields}
}

// Field is a shorthand for one FieldError.
func Field(field, code, msg string) FieldError {
	return FieldError{Field: field, Code: code, Message: msg}
}

// NotFound reports a missing resource.
func NotFound(resource string) *Error {
	return New(KindNotFound, "resource.notFound", resource+" not found")
}

// Conflict reports a stale version with the current state.
func Conflict(current any) *Error {
	return &Error{Kind: KindConflict, Code: "resource.versionConflict",
		Message: "The resource was changed by someone else; reload it and try again.", Current: current}
}

// Denied reports a missing permission.
func Denied(perm string) *Error {
	return New(KindDenied, "authz.denied", "This action needs the permission "+perm+".")
}

// Unauthenticated reports a missing or expired session.
func Unauthenticated() *Error {
	return New(KindUnauthenticated, "auth.unauthenticated", "Sign in first.")
}

// DBUnavailableRetryAfter is the Retry-After, in seconds, of db.unavailable: about the
// time a standby takes to be promoted or a restarted PostgreSQL to accept connections.
const DBUnavailableRetryAfter = 2

// DBUnavailable reports that the database cannot be reached (no primary during a
// failover, a restarting server, a refused or timed-out connection): 503 with
// Retry-After, never a 500 with the driver's text. The cause is kept for the log.
func DBUnavailable(cause error) *Error {
	return &Error{Kind: KindUnavailable, Code: "db.unavailable",
		Message: "The database is unavailable for a moment; try again shortly.", RetryAfter: DBUnavailableRetryAfter, cause: cause}
}

// As extracts an *Error.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool {
	e, ok := As(err)
	return ok && e.Code == code
}
