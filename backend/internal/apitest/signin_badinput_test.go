package apitest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestSignInEndpointsRefuseMalformedInput: every public sign-in endpoint answers
// malformed input with a 4xx problem naming the field (or, for the browser round
// trips, the login page with an error code), never a 500, and signs nobody in.
func TestSignInEndpointsRefuseMalformedInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		rest := testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "REST peer", "type": "rest", "active": true,
			"allow_user_creation": true, "params": map[string]any{"external_url": "http://127.0.0.1:1/auth"}}).Str("id")
		s.provider(t, "oidc_token", map[string]any{"allow_user_creation": true})
		users, sessions := testutil.Count(t, s.a, "users", ""), testutil.Count(t, s.a, "sessions", "")
		restPath := "/api/v1/auth/rest/" + rest + "/session"

		for _, c := range []struct {
			name, path string
			body       any
			status     int
			code       string
			field      string
		}{
			{"login form: truncated JSON", "/api/v1/auth/login", `{"login":"tech_admin",`, 400, "request.malformedJson", ""},
			{"login form: login a number", "/api/v1/auth/login", `{"login":42,"password":"x"}`, 400, "validation.failed", "login"},
			{"login form: unknown field", "/api/v1/auth/login", `{"login":"a","password":"b","remember":true}`, 400, "request.unknownField", "remember"},
			{"login form: invalid UTF-8", "/api/v1/auth/login", []byte("{\"login\":\"\xff\",\"password\":\"x\"}"), 400, "request.invalidUtf8", ""},
			{"login form: NUL in the login", "/api/v1/auth/login", `{"login":"a\u0000b","password":"x"}`, 400, "validation.failed", "login"},
			{"REST: NUL in the login", restPath, `{"login":"a\u0000b","password":"x"}`, 400, "validation.failed", "login"},
			{"REST: login an array", restPath, `{"login":["a"],"password":"x"}`, 400, "validation.failed", "login"},
			{"REST: no password", restPath, `{"login":"dora"}`, 400, "validation.failed", "password"},
			{"REST: empty body", restPath, ``, 400, "request.emptyBody", ""},
			{"REST: provider id not a uuid", "/api/v1/auth/rest/1%20OR%201=1/session", `{"login":"a","password":"b"}`, 404, "signin.providerNotFound", ""},
			{"token session: token a number", "/api/v1/auth/oidc-token/session", `{"token":42}`, 400, "validation.failed", "token"},
			{"token session: not a JWT", "/api/v1/auth/oidc-token/session", `{"token":"a.b.c"}`, 401, "signin.invalidToken", ""},
			{"token session: 1 MiB of token", "/api/v1/auth/oidc-token/session", `{"token":"` + strings.Repeat("e", 1<<20) + `"}`, 413, "request.tooLarge", ""},
			{"token session: an oversized JWT", "/api/v1/auth/oidc-token/session", `{"token":"eyJhbGciOiJSUzI1NiJ9.` + strings.Repeat("e", 40_000) + `.x"}`, 401, "signin.invalidToken", ""},
		} {
			r := s.a.Anonymous().Do("POST", c.path, c.body)
			if !assert.Equal(t, c.status, r.Status, "%s: %s", c.name, r.String()) {
				continue
			}
			assert.Equal(t, c.code, r.Str("code"), c.name)
			assert.Equal(t, "application/problem+json", r.Header.Get("Content-Type"), c.name)
			if c.field != "" {
				assert.Contains(t, testutil.FieldsOf(r), c.field, c.name)
			}
		}

		// The browser round trips land on the login page with a code, whatever they carry.
		for _, c := range []struct{ name, path, code string }{
			{"callback without state", "/api/v1/auth/oidc/callback?code=x", "signin.invalidState"},
			{"callback with a huge state", "/api/v1/auth/oidc/callback?code=x&state=" + strings.Repeat("s", 6000), "signin.invalidState"},
			{"callback with an injected state", "/api/v1/auth/oidc/callback?code=x&state=" + url.QueryEscape("' OR 1=1 --"), "signin.invalidState"},
			{"callback with NUL bytes", "/api/v1/auth/oidc/callback?code=%00&state=%00%ff", "signin.invalidState"},
			{"start of an injected id", "/api/v1/auth/oidc/" + url.PathEscape("x' OR '1'='1") + "/start", "signin.providerNotFound"},
			{"kerberos from an untrusted peer", "/api/v1/auth/kerberos?next=%2Fusers", ""},
		} {
			v := s.a.Anonymous().Navigate(c.path, "X-Remote-User", "alice@CORP")
			final := v.Final()
			require.Equal(t, "/login", final.Path, "%s: %v", c.name, v.Chain)
			if c.code != "" {
				assert.Equal(t, c.code, final.Query().Get("error"), c.name)
			} else {
				assert.NotEmpty(t, final.Query().Get("error"), c.name)
			}
		}

		assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "nobody was created")
		assert.Equal(t, sessions, testutil.Count(t, s.a, "sessions", ""), "nobody was signed in")
	})
}
