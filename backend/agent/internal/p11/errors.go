package p11

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/miekg/pkcs11"
)

// Kind says how a caller should treat an error.
type Kind int

// Kinds of errors.
const (
	KindDevice        Kind = iota // the module or token failed
	KindInvalid                   // bad input (a PIN of the wrong length, an unknown algorithm)
	KindPIN                       // a wrong or locked PIN
	KindNotFound                  // no such token or object
	KindConflict                  // the object exists already
	KindUnprocessable             // well-formed, but not for this token (a certificate for another key)
)

// Error is an error with a stable code the API answers.
type Error struct {
	Kind   Kind
	Code   string
	Field  string
	Detail string
	// PIN is "user" or "admin" for a PIN error; Hint is the retry state the token
	// reports after the attempt: low, final, locked or unknown.
	PIN  string
	Hint string
	err  error
}

func (e *Error) Error() string {
	if e.err != nil {
		return e.Code + ": " + e.Detail + ": " + e.err.Error()
	}
	return e.Code + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.err }

func invalid(field, code, detail string) *Error {
	return &Error{Kind: KindInvalid, Field: field, Code: code, Detail: detail}
}

// deviceErr wraps a module error; a few return values have a meaning of their own.
func deviceErr(op string, err error) error {
	var ck pkcs11.Error
	if errors.As(err, &ck) {
		switch ck {
		case pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_SLOT_ID_INVALID, pkcs11.CKR_TOKEN_NOT_RECOGNIZED:
			return &Error{Kind: KindNotFound, Code: "token.removed", Detail: "the token was removed", err: err}
		case pkcs11.CKR_TOKEN_WRITE_PROTECTED:
			return &Error{Kind: KindUnprocessable, Code: "token.writeProtected", Detail: "the token is write-protected", err: err}
		case pkcs11.CKR_DEVICE_MEMORY:
			return &Error{Kind: KindUnprocessable, Code: "token.full", Detail: "the token has no room left", err: err}
		case pkcs11.CKR_USER_PIN_NOT_INITIALIZED:
			return &Error{Kind: KindUnprocessable, Code: "pin.notInitialized", Field: "user_pin", Detail: "the token's user PIN is not set yet", err: err}
		}
	}
	return &Error{Kind: KindDevice, Code: "token.error", Detail: fmt.Sprintf("%s failed", op), err: err}
}

// isPINError tells whether a module's answer is about the PIN given.
func isPINError(err error) bool {
	var ck pkcs11.Error
	if !errors.As(err, &ck) {
		return false
	}
	switch ck {
	case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_LOCKED, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE, pkcs11.CKR_PIN_EXPIRED:
		return true
	}
	return false
}

// pinErr turns a PIN error into the API's answer with the retry hint read from the
// token's flags after the attempt (tokens decrement their counters on a wrong PIN).
func (m *Module) pinErr(slot uint, who, field string, err error) error {
	var ck pkcs11.Error
	errors.As(err, &ck)
	switch ck {
	case pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
		return &Error{Kind: KindInvalid, Code: "pin.invalid", Field: field, PIN: who, Detail: "the token does not accept this PIN (length or characters)", err: err}
	}
	hint := "unknown"
	if ti, e := m.ctx.GetTokenInfo(slot); e == nil {
		t := tokenFrom(slot, ti)
		st := t.UserPIN
		if who == "admin" {
			st = t.AdminPIN
		}
		switch {
		case st.Locked:
			hint = "locked"
		case st.FinalTry:
			hint = "final"
		case st.CountLow:
			hint = "low"
		}
	}
	if ck == pkcs11.CKR_PIN_LOCKED {
		hint = "locked"
	}
	code, detail := "pin.incorrect", "the "+who+" PIN is incorrect"
	if hint == "locked" {
		code, detail = "pin.locked", "the "+who+" PIN is locked"
	}
	return &Error{Kind: KindPIN, Code: code, Field: field, PIN: who, Hint: hint, Detail: detail, err: err}
}

func isELFPlatform() bool { return runtime.GOOS != "windows" && runtime.GOOS != "darwin" }
