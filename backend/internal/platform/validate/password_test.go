package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPassword(t *testing.T) {
	for _, tc := range []struct {
		name, login, pw, code string
	}{
		{"short", "ivan", "Ab1!xyz", "tooShort"},
		{"short in characters, long in bytes", "ivan", "пароль1", "tooShort"},
		{"long", "ivan", strings.Repeat("ж", 513), "tooLong"},
		{"contains the login", "ivan", "my-ivan-2024!", "containsLogin"},
		{"contains the login, other case", "Ivan", "IVAN.petrov.88", "containsLogin"},
		{"is the login", "olga.smirnova", "olga.smirnova", "containsLogin"},
		{"common", "ivan", "password", "tooCommon"},
		{"common, other case", "ivan", "QWERTYUIOP", "tooCommon"},
		{"common with digits", "ivan", "password123", "tooCommon"},
		{"common keyboard walk", "ivan", "1qaz2wsx", "tooCommon"},
		{"fine", "ivan", "correct horse battery", ""},
		{"a two-letter login may appear", "al", "calm-waters-7", ""},
		{"8 Cyrillic characters", "ivan", "тихийдом", ""},
		{"test helper: tech_admin", "tech_admin", "tech-admin-test-pw", ""},
		{"test helper: any user", "u1", "password-123", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Checks
			c.Password("password", tc.login, tc.pw)
			if tc.code == "" {
				assert.NoError(t, c.Err())
				return
			}
			if assert.Len(t, c.errs, 1) {
				assert.Equal(t, "password", c.errs[0].Field)
				assert.Equal(t, tc.code, c.errs[0].Code)
			}
		})
	}
}
