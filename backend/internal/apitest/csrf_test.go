package apitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// adminLogin signs tech_admin in with no cookies and returns the session and CSRF cookies.
func adminLogin(t *testing.T, a *testutil.TestApp, hdr map[string]string, body string) (sess, csrf string, r *testutil.Resp) {
	t.Helper()
	if body == "" {
		body = `{"login":"tech_admin","password":"` + testutil.AdminPassword + `"}`
	}
	r = testutil.Raw(t, a, "POST", "/api/v1/auth/login", []byte(body), hdr)
	require.Equal(t, 200, r.Status, r.String())
	require.NotNil(t, testutil.Cookie(r, "custos_session"))
	require.NotNil(t, testutil.Cookie(r, "custos_csrf"))
	return testutil.Cookie(r, "custos_session").Value, testutil.Cookie(r, "custos_csrf").Value, r
}

func TestSigningInAgainRotatesTheTokenAndEndsTheOldSession(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		sess1, csrf1, _ := adminLogin(t, a, nil, "")
		sess2, csrf2, _ := adminLogin(t, a, map[string]string{"Cookie": "custos_session=" + sess1 + "; custos_csrf=" + csrf1,
			"X-CSRF-Token": csrf1}, "")
		assert.NotEqual(t, csrf1, csrf2, "a fresh CSRF token at every sign-in")
		assert.Equal(t, int64(1), testutil.Count(t, a, "sessions", ""), "the browser's previous session ended")
		testutil.AssertProblem(t, testutil.Raw(t, a, "GET", "/api/v1/auth/me", nil, map[string]string{"Cookie": "custos_session=" + sess1}),
			401, "auth.unauthenticated")
		// The old token does not work with the new session; the new one does.
		body := []byte(`{"login":"rotated"}`)
		testutil.AssertProblem(t, testutil.Raw(t, a, "POST", "/api/v1/users", body,
			map[string]string{"Cookie": "custos_session=" + sess2, "X-CSRF-Token": csrf1}), 403, "auth.csrf")
		ok := testutil.Raw(t, a, "POST", "/api/v1/users", body, map[string]string{"Cookie": "custos_session=" + sess2, "X-CSRF-Token": csrf2})
		require.Equal(t, 201, ok.Status, ok.String())

		// Another browser's sign-in leaves this one's session alone.
		adminLogin(t, a, nil, "")
		assert.Equal(t, int64(2), testutil.Count(t, a, "sessions", ""))
	})
}

func TestRememberMeDecidesTheCookieLifetime(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		for _, body := range []string{"", `{"login":"tech_admin","password":"` + testutil.AdminPassword + `","remember_me":false}`} {
			_, _, r := adminLogin(t, a, nil, body)
			for _, name := range []string{"custos_session", "custos_csrf"} {
				ck := testutil.Cookie(r, name)
				assert.Zero(t, ck.MaxAge, "%s: a browser-session cookie has no Max-Age", name)
				assert.True(t, ck.Expires.IsZero(), "%s: nor Expires", name)
			}
		}
		_, _, r := adminLogin(t, a, nil, `{"login":"tech_admin","password":"`+testutil.AdminPassword+`","remember_me":true}`)
		assert.Equal(t, 12*60*60, testutil.Cookie(r, "custos_session").MaxAge, "remembered until the absolute timeout")
		assert.Equal(t, 12*60*60, testutil.Cookie(r, "custos_csrf").MaxAge)
		testutil.AssertProblem(t, testutil.Raw(t, a, "POST", "/api/v1/auth/login", []byte(`{"login":"tech_admin","password":"x","remember_me":"yes"}`), nil),
			400, "validation.failed")
	})
}

func TestWritesFromAnotherOriginAreRefused(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		sess, csrf, _ := adminLogin(t, a, nil, "")
		send := func(extra map[string]string) *testutil.Resp {
			hdr := map[string]string{"Cookie": "custos_session=" + sess, "X-CSRF-Token": csrf}
			for k, v := range extra {
				hdr[k] = v
			}
			return testutil.Raw(t, a, "POST", "/api/v1/users", []byte(`{"login":"x`+testutil.RandomID()[:8]+`"}`), hdr)
		}
		users := testutil.Count(t, a, "users", "")
		for name, hdr := range map[string]map[string]string{
			"cross-site":            {"Sec-Fetch-Site": "cross-site"},
			"same-site":             {"Sec-Fetch-Site": "same-site"},
			"foreign origin":        {"Origin": "https://evil.example"},
			"opaque origin":         {"Origin": "null"},
			"same host, other port": {"Origin": "http://127.0.0.1:1"},
		} {
			r := send(hdr)
			assert.Equal(t, 403, r.Status, "%s: %s", name, r)
			assert.Equal(t, "auth.crossOrigin", r.Str("code"), name)
		}
		assert.Equal(t, users, testutil.Count(t, a, "users", ""), "nothing was written")
		// The console's own pages, and clients that say nothing, pass.
		for name, hdr := range map[string]map[string]string{
			"same-origin": {"Sec-Fetch-Site": "same-origin", "Origin": a.URL},
			"typed":       {"Sec-Fetch-Site": "none"},
			"curl":        {},
		} {
			assert.Equal(t, 201, send(hdr).Status, name)
		}
		// Reads are not checked.
		get := testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Cookie": "custos_session=" + sess, "Sec-Fetch-Site": "cross-site"})
		assert.Equal(t, 200, get.Status)
		// An API token is not ambient: a request with it is not the browser's.
		_, tok := testutil.NewToken(t, a.Admin(), "/api/v1/tokens", map[string]any{"name": "ci", "scopes": []string{"users.write"}})
		r := testutil.Raw(t, a, "POST", "/api/v1/users", []byte(`{"login":"made-by-ci"}`),
			map[string]string{"Authorization": "Api-Token " + tok, "Sec-Fetch-Site": "cross-site", "Origin": "https://ci.example"})
		assert.Equal(t, 201, r.Status, r.String())
	})
}

func TestOriginIsThePublicURLWhenSet(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite), func(c *config.Config) { c.PublicURL = "https://custos.example.com/console" })
	sess, csrf, _ := adminLogin(t, a, nil, "")
	send := func(origin string) *testutil.Resp {
		return testutil.Raw(t, a, "POST", "/api/v1/users", []byte(`{"login":"x`+testutil.RandomID()[:8]+`"}`),
			map[string]string{"Cookie": "custos_session=" + sess, "X-CSRF-Token": csrf, "Origin": origin})
	}
	assert.Equal(t, 201, send("https://custos.example.com").Status)
	testutil.AssertProblem(t, send(a.URL), 403, "auth.crossOrigin")
}
