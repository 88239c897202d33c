package validate

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
)

// Password limits.
const (
	PasswordMinLen   = 8    // characters
	PasswordMaxBytes = 1024 // argon2id input stays bounded
	// loginMinLen is the shortest login a password may not contain: a one- or two-letter
	// login would forbid half the alphabet.
	loginMinLen = 3
)

// commonPasswords is zxcvbn's list of the 30,000 most frequent passwords (from leaked
// password corpora), lower-cased.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	m := make(map[string]struct{}, len(list))
	for _, p := range list {
		m[strings.ToLower(p)] = struct{}{}
	}
	return m
})

// Password checks a new password of the account login: at least 8 characters
// (tooShort), at most 1024 bytes (tooLong), not containing the login, case ignored
// (containsLogin, for logins of 3 characters or more), and not one of the 30,000 most
// common passwords, case ignored (tooCommon). It records at most one error on field.
func (c *Checks) Password(field, login, pw string) {
	lower := strings.ToLower(pw)
	login = strings.ToLower(strings.TrimSpace(login))
	switch {
	case utf8.RuneCountInString(pw) < PasswordMinLen:
		c.Add(field, "tooShort", "must be at least "+itoa(PasswordMinLen)+" characters")
	case len(pw) > PasswordMaxBytes:
		c.Add(field, "tooLong", "must be at most "+itoa(PasswordMaxBytes)+" bytes")
	case utf8.RuneCountInString(login) >= loginMinLen && strings.Contains(lower, login):
		c.Add(field, "containsLogin", "must not contain the login")
	case isCommon(lower):
		c.Add(field, "tooCommon", "is one of the most common passwords; choose another")
	}
}

func isCommon(lower string) bool {
	_, ok := commonPasswords()[lower]
	return ok
}
