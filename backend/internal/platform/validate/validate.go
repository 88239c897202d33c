// Package validate collects field errors of a request so one 400 names them all.
package validate

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
)

// Checks accumulates field errors.
type Checks struct{ errs []apperr.FieldError }

// Add records an error on field.
func (c *Checks) Add(field, code, msg string) {
	c.errs = append(c.errs, apperr.Field(field, code, msg))
}

// Has reports whether field already has an error.
func (c *Checks) Has(field string) bool {
	for _, e := range c.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns the validation error, or nil when all checks passed.
func (c *Checks) Err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return apperr.Invalid(c.errs...)
}

// Text checks a free text: required, at most max characters, no control characters.
func (c *Checks) Text(field, v string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.Add(field, "required", "is required")
	case !utf8.ValidString(v):
		c.Add(field, "invalidFormat", "is not valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		c.Add(field, "tooLong", "must be at most "+itoa(max)+" characters")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		c.Add(field, "invalidFormat", "must not contain control characters")
	}
}

var codeRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]*$`)

// Code checks a machine code: lower-case latin letters, digits, '_', '.', '-'.
func (c *Checks) Code(field, v string, max int) {
	c.Text(field, v, true, max)
	if !c.Has(field) && !codeRe.MatchString(v) {
		c.Add(field, "invalidFormat", "must start with a latin letter and hold only a-z, 0-9, '_', '.', '-'")
	}
}

// Email checks an optional e-mail address.
func (c *Checks) Email(field, v string) {
	if v == "" {
		return
	}
	c.Text(field, v, false, 320)
	if c.Has(field) {
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v {
		c.Add(field, "invalidFormat", "is not an e-mail address")
	}
}

// UUID checks an optional id.
func (c *Checks) UUID(field, v string) {
	if v == "" {
		return
	}
	if _, err := uuid.Parse(v); err != nil {
		c.Add(field, "invalidFormat", "must be a UUID")
	}
}

// OneOf checks an enum value.
func (c *Checks) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.Add(field, "invalidValue", "must be one of "+strings.Join(allowed, ", "))
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// CleanText makes text that came from outside a JSON body (a request header, a
// directory entry, a peer's error message) safe to store: invalid UTF-8 becomes
// U+FFFD, control characters other than tab and newline are dropped (PostgreSQL
// refuses NUL in text), and the result is cut to at most max characters.
func CleanText(s string, max int) string {
	if utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && strings.IndexFunc(s, dropped) < 0 {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if dropped(r) {
			continue
		}
		if n == max {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// dropped are the characters CleanText removes.
func dropped(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }

// IsText reports whether a directory value is text (valid UTF-8 without NUL), not a
// binary value such as a photo or a security identifier.
func IsText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
