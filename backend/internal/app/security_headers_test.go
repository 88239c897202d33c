package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// The headers do not depend on the database: SQLite is enough.
func headersApp(t *testing.T, opts ...func(*config.Config)) *testutil.TestApp {
	return testutil.NewApp(t, testutil.NewDB(t, db.SQLite), opts...)
}

// assertHardened checks the headers every answer carries.
func assertHardened(t *testing.T, r *testutil.Resp, what string) {
	t.Helper()
	csp := r.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "script-src 'self';", "object-src 'none'",
		"frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "connect-src 'self'"} {
		assert.Contains(t, csp, d, what)
	}
	// Connections: the console itself and the device agent on the loopback only.
	connect := regexp.MustCompile(`connect-src ([^;]*)`).FindStringSubmatch(csp)
	require.Len(t, connect, 2, what)
	assert.Equal(t, "'self' http://127.0.0.1:* http://localhost:*", strings.TrimSpace(connect[1]), what)
	// Scripts only from the console's own files: no inline script, no eval.
	script := regexp.MustCompile(`script-src ([^;]*)`).FindStringSubmatch(csp)
	require.Len(t, script, 2, what)
	assert.Equal(t, "'self'", strings.TrimSpace(script[1]), what)
	assert.Equal(t, "nosniff", r.Header.Get("X-Content-Type-Options"), what)
	assert.Equal(t, "DENY", r.Header.Get("X-Frame-Options"), what)
	assert.Equal(t, "same-origin", r.Header.Get("Referrer-Policy"), what)
}

var scriptTag = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)

// assertNoInlineScript fails on a <script> without src or with a body: the CSP would block it.
func assertNoInlineScript(t *testing.T, html []byte, what string) (srcs []string) {
	t.Helper()
	src := regexp.MustCompile(`\bsrc="([^"]+)"`)
	for _, m := range scriptTag.FindAllStringSubmatch(string(html), -1) {
		s := src.FindStringSubmatch(m[1])
		if assert.NotNil(t, s, "%s: inline <script%s>", what, m[1]) {
			srcs = append(srcs, s[1])
		}
		assert.Empty(t, strings.TrimSpace(m[2]), "%s: script body", what)
	}
	return srcs
}

func TestSecurityHeadersOnEveryKindOfAnswer(t *testing.T) {
	t.Parallel()
	a := headersApp(t)
	admin := a.Admin()

	r := admin.Do("GET", "/api/v1/users", nil)
	require.Equal(t, 200, r.Status, r.String())
	assertHardened(t, r, "API list")
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), "API list")
	assert.Empty(t, r.Header.Get("Strict-Transport-Security"), "no HSTS without Secure cookies")

	r = a.Anonymous().Do("GET", "/api/v1/no-such-thing", nil)
	assert.Equal(t, 404, r.Status)
	assertHardened(t, r, "API 404 problem")
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), "API 404 problem")

	r = a.Anonymous().Do("GET", "/users", nil)
	require.Equal(t, 200, r.Status)
	assert.Contains(t, r.Header.Get("Content-Type"), "text/html")
	assertHardened(t, r, "SPA page")
	assert.NotEqual(t, "no-store", r.Header.Get("Cache-Control"), "SPA page: no-store is for /api only")
	srcs := assertNoInlineScript(t, r.Body, "SPA index.html")

	// A built SPA has its scripts under /assets/; an API-only build still serves its files.
	asset := "/.gitkeep"
	for _, s := range srcs {
		if strings.HasPrefix(s, "/assets/") {
			asset = s
		}
	}
	t.Logf("static asset checked: %s", asset)
	r = a.Anonymous().Do("GET", asset, nil)
	require.Equal(t, 200, r.Status, asset)
	assertHardened(t, r, "static asset")
	assert.NotEqual(t, "no-store", r.Header.Get("Cache-Control"), "static asset")
}

func TestSwaggerUIRunsUnderTheCSPAndForgetsTheToken(t *testing.T) {
	t.Parallel()
	a := headersApp(t)
	r := a.Anonymous().Do("GET", "/api/docs/", nil)
	require.Equal(t, 200, r.Status)
	assertHardened(t, r, "docs page")
	assert.Equal(t, "no-store", r.Header.Get("Cache-Control"), "docs page")
	srcs := assertNoInlineScript(t, r.Body, "docs page")
	require.Contains(t, srcs, "custos-docs.js")

	var setup []byte
	for _, s := range srcs {
		js := a.Anonymous().Do("GET", "/api/docs/"+s, nil)
		require.Equal(t, 200, js.Status, s)
		assert.Contains(t, js.Header.Get("Content-Type"), "javascript", s)
		assertHardened(t, js, s)
		if s == "custos-docs.js" {
			setup = js.Body
		}
	}
	assert.Contains(t, string(setup), "persistAuthorization:false")
	assert.NotContains(t, string(setup), "persistAuthorization:true")
	assert.Contains(t, string(setup), "X-CSRF-Token", "the page still fills in the CSRF header")
}

func TestHSTSOnlyWithSecureCookies(t *testing.T) {
	t.Parallel()
	plain := headersApp(t)
	for _, p := range []string{"/api/v1/auth/me", "/", "/api/docs/"} {
		assert.Empty(t, plain.Anonymous().Do("GET", p, nil).Header.Get("Strict-Transport-Security"), p)
	}
	secure := headersApp(t, func(c *config.Config) { c.SecureCookies = true })
	for _, p := range []string{"/api/v1/auth/me", "/", "/api/docs/"} {
		r := secure.Anonymous().Do("GET", p, nil)
		assert.Equal(t, "max-age=31536000", r.Header.Get("Strict-Transport-Security"), p)
		assertHardened(t, r, p)
	}
}

// TestClientRequestID — a client's X-Request-Id shows up in the answer, the problem body
// and the audit log, so only a short, plain one is kept; anything else gets a fresh id.
func TestClientRequestID(t *testing.T) {
	t.Parallel()
	a := headersApp(t)
	fresh := regexp.MustCompile(`^[0-9a-f]{24}$`)
	good := []string{"abc-123", "trace:0af7651916cd43dd.b7ad6b7169203331_01", strings.Repeat("x", 64)}
	for _, id := range good {
		r := testutil.Raw(t, a, "GET", "/api/v1/no-such-thing", nil, map[string]string{"X-Request-Id": id})
		assert.Equal(t, id, r.Header.Get("X-Request-Id"))
		assert.Equal(t, id, r.Str("request_id"))
	}
	bad := []string{strings.Repeat("x", 65), "ид-запроса", "a b", `"><script>alert(1)</script>`, "id;drop", "a/b", "é"}
	for _, id := range bad {
		r := testutil.Raw(t, a, "GET", "/api/v1/no-such-thing", nil, map[string]string{"X-Request-Id": id})
		got := r.Header.Get("X-Request-Id")
		assert.Regexp(t, fresh, got, "%q must be replaced", id)
		assert.Equal(t, got, r.Str("request_id"), "%q", id)
	}
}
