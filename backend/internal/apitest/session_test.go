package apitest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Anonymous()
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")

		r := c.Do("POST", "/api/v1/auth/login", map[string]string{"login": "  TECH_admin ", "password": testutil.AdminPassword})
		require.Equal(t, 200, r.Status, r.String())
		sess := testutil.Cookie(r, "custos_session")
		require.NotNil(t, sess, "login sets the session cookie")
		assert.True(t, sess.HttpOnly, "session cookie must be HttpOnly")
		assert.Equal(t, http.SameSiteLaxMode, sess.SameSite)
		assert.Equal(t, "/", sess.Path)
		assert.NotContains(t, string(r.Body), sess.Value, "the token is not echoed in the body")

		me := c.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, "tech_admin", me.Str("user.login"))
		assert.Equal(t, "tech_admins", me.Str("groups.0.code"))
		assert.ElementsMatch(t, authz.All, testutil.Strings(me.Get("permissions")))
		assert.NotNil(t, me.Get("user.last_login_at"), "sign-in records last_login_at")
		assert.Nil(t, me.Get("user.password_hash"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "sessions", "user_id = ?", me.Str("user.id")))

		out := c.Do("POST", "/api/v1/auth/logout", nil)
		require.Equal(t, 204, out.Status, out.String())
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		// The server forgot the session: replaying the old cookie does not work either.
		replay := testutil.Raw(t, a, "GET", "/api/v1/auth/me", nil, map[string]string{"Cookie": "custos_session=" + sess.Value})
		testutil.AssertProblem(t, replay, 401, "auth.unauthenticated")
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", "user_id = ?", me.Str("user.id")))
	})
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "nopass"}) // no local password
		cases := map[string][2]string{
			"wrong password":   {"tech_admin", "not-the-password"},
			"unknown user":     {"nobody-at-all", "not-the-password"},
			"user without pwd": {"nopass", "not-the-password"},
		}
		var first *testutil.Resp
		for name, cred := range cases {
			r := testutil.Login(a, cred[0], cred[1])
			testutil.AssertProblem(t, r, 401, "auth.invalidCredentials")
			assert.Nil(t, testutil.Cookie(r, "custos_session"), name)
			if first == nil {
				first = r
				continue
			}
			assert.Equal(t, first.Str("detail"), r.Str("detail"), name)
			assert.Equal(t, first.Str("title"), r.Str("title"), name)
		}
	})
}

func TestDeactivatedUserCannotSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "ivan", "password": "violet-harbour-7"})
		ivan := a.Login("ivan", "violet-harbour-7")
		require.Equal(t, 200, ivan.Do("GET", "/api/v1/auth/me", nil).Status)

		r := admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": u.Num("version"), "active": false})
		require.Equal(t, 200, r.Status, r.String())
		// The open session ends at once and a new sign-in is refused.
		testutil.AssertProblem(t, ivan.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		r = testutil.Login(a, "ivan", "violet-harbour-7")
		testutil.AssertProblem(t, r, 403, "auth.accountDisabled")
		assert.Nil(t, testutil.Cookie(r, "custos_session"))
		// A wrong password on a deactivated account says no more than for anyone else.
		testutil.AssertProblem(t, testutil.Login(a, "ivan", "wrong-password"), 401, "auth.invalidCredentials")
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", "user_id = ?", u.Str("id")))
	})
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	const idle = 10 * time.Minute
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.SessionIdle = idle })
		clock := a.StepClock() // crossed by stepping, not by waiting: a busy machine cannot move it
		c := a.Admin()
		// Activity keeps the session alive well past one idle period...
		for i := 1; i <= 4; i++ {
			clock.Advance(idle / 2)
			r := c.Do("GET", "/api/v1/auth/me", nil)
			require.Equal(t, 200, r.Status, "after %v of activity: %s", time.Duration(i)*idle/2, r)
		}
		clock.Advance(idle - time.Second)
		require.Equal(t, 200, c.Do("GET", "/api/v1/auth/me", nil).Status, "just short of the idle timeout")
		// ...and idleness ends it, server side.
		clock.Advance(idle + time.Second)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", ""))
	})
}

func TestAbsoluteTimeout(t *testing.T) {
	t.Parallel()
	const absolute = time.Hour
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.SessionAbsolute, c.SessionIdle = absolute, 30*time.Minute })
		clock := a.StepClock()
		// The cookie is sent by hand: a browser would drop it at its Max-Age, and the point
		// here is that the server refuses and removes the session even when it is sent.
		lr := testutil.Raw(t, a, "POST", "/api/v1/auth/login", []byte(`{"login":"tech_admin","password":"`+testutil.AdminPassword+`"}`), nil)
		require.Equal(t, 200, lr.Status, lr.String())
		session := testutil.Cookie(lr, "custos_session")
		require.NotNil(t, session)
		me := func() *testutil.Resp {
			return testutil.Raw(t, a, "GET", "/api/v1/auth/me", nil, map[string]string{"Cookie": "custos_session=" + session.Value})
		}
		for i := 0; i < 5; i++ { // busy, never idle: ten minutes between requests for fifty minutes
			clock.Advance(absolute / 6)
			require.Equal(t, 200, me().Status)
		}
		clock.Advance(absolute/6 + time.Second)
		testutil.AssertProblem(t, me(), 401, "auth.unauthenticated")
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", ""))
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		assert.Nil(t, testutil.Cookie(testutil.Raw(t, a, "GET", "/healthz", nil, nil), "custos_csrf"), "no token without a session")

		lr := testutil.Raw(t, a, "POST", "/api/v1/auth/login", []byte(`{"login":"tech_admin","password":"`+testutil.AdminPassword+`"}`), nil)
		require.Equal(t, 200, lr.Status, lr.String())
		sess := testutil.Cookie(lr, "custos_session").Value
		csrf := testutil.Cookie(lr, "custos_csrf")
		require.NotNil(t, csrf, "sign-in hands over the session's CSRF token")
		assert.False(t, csrf.HttpOnly, "the SPA must be able to read the CSRF cookie")
		assert.Equal(t, "/", csrf.Path)
		assert.GreaterOrEqual(t, len(csrf.Value), 32)
		// Another session's token is no good for this one.
		other := testutil.Cookie(a.Anonymous().Do("POST", "/api/v1/auth/login",
			map[string]string{"login": "tech_admin", "password": testutil.AdminPassword}), "custos_csrf")
		require.NotNil(t, other)
		require.NotEqual(t, csrf.Value, other.Value)

		both := "custos_session=" + sess + "; custos_csrf=" + csrf.Value
		body := []byte(`{"login":"forged"}`)
		users := testutil.Count(t, a, "users", "")
		events := testutil.Count(t, a, "audit_events", "")
		for name, hdr := range map[string]map[string]string{
			"no header":           {"Cookie": both},
			"wrong header":        {"Cookie": both, "X-CSRF-Token": csrf.Value + "x"},
			"empty header":        {"Cookie": both, "X-CSRF-Token": ""},
			"another session's":   {"Cookie": "custos_session=" + sess + "; custos_csrf=" + other.Value, "X-CSRF-Token": other.Value},
			"made-up cookie pair": {"Cookie": "custos_session=" + sess + "; custos_csrf=abc", "X-CSRF-Token": "abc"},
		} {
			for _, m := range []string{"POST", "PATCH", "DELETE", "PUT"} {
				path := "/api/v1/users"
				if m != "POST" {
					path += "/" + testutil.UserID(t, a, "tech_admin")
				}
				if m == "PUT" {
					path = "/api/v1/settings/licence"
				}
				r := testutil.Raw(t, a, m, path, body, hdr)
				assert.Equal(t, 403, r.Status, "%s %s: %s", name, m, r)
				assert.Equal(t, "auth.csrf", r.Str("code"), "%s %s", name, m)
			}
		}
		assert.Equal(t, users, testutil.Count(t, a, "users", ""), "nothing was written")
		assert.Equal(t, events, testutil.Count(t, a, "audit_events", ""), "nothing was audited")
		// The token is the session's, whatever cookie the browser holds beside it.
		ok := testutil.Raw(t, a, "POST", "/api/v1/users", body, map[string]string{"Cookie": "custos_session=" + sess, "X-CSRF-Token": csrf.Value})
		require.Equal(t, 201, ok.Status, ok.String())
		// Reads need no token, and a session's request without the right cookie gets it back.
		read := testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Cookie": "custos_session=" + sess + "; custos_csrf=stale"})
		assert.Equal(t, 200, read.Status)
		require.NotNil(t, testutil.Cookie(read, "custos_csrf"))
		assert.Equal(t, csrf.Value, testutil.Cookie(read, "custos_csrf").Value)
		assert.Nil(t, testutil.Cookie(testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Cookie": both}), "custos_csrf"),
			"the right cookie is left alone")
		// A write without a session is simply unauthenticated.
		testutil.AssertProblem(t, testutil.Raw(t, a, "POST", "/api/v1/users", body, nil), 401, "auth.unauthenticated")
	})
}

func TestAccountThrottling(t *testing.T) {
	t.Parallel()
	const lockout = time.Second
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.LoginMaxFailures, c.LoginLockout = 3, lockout })
		clock := a.StepClock()
		testutil.MustCreate(t, a.Admin(), "/api/v1/users", map[string]any{"login": "olga", "password": "amber-river-42"})
		for _, who := range []string{"olga", "ghost"} { // a known and an unknown account lock alike
			for i := 0; i < 3; i++ {
				testutil.AssertProblem(t, testutil.Login(a, who, "bad-password"), 401, "auth.invalidCredentials")
			}
			pw := map[string]string{"olga": "amber-river-42", "ghost": "whatever-pass"}[who]
			r := testutil.Login(a, who, pw)
			testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
			assert.Nil(t, testutil.Cookie(r, "custos_session"), "the right password is refused while locked")
			ra := r.Header.Get("Retry-After")
			require.NotEmpty(t, ra, "429 carries Retry-After")
			assert.Contains(t, []string{"1", "2"}, ra)
		}
		// Other accounts from the same address are not affected.
		require.Equal(t, 200, testutil.Login(a, "tech_admin", testutil.AdminPassword).Status)
		assert.Greater(t, testutil.Count(t, a, "audit_events", "action = ?", "login.failure"), int64(5))
		clock.Advance(lockout + time.Millisecond)
		r := testutil.Login(a, "olga", "amber-river-42")
		require.Equal(t, 200, r.Status, "the lock ends after the lock-out window: %s", r)
	})
}

func TestIPThrottling(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.LoginMaxFailures, c.LoginIPFailures = 100, 4 })
		for i := 0; i < 4; i++ { // four different accounts, one address
			testutil.AssertProblem(t, testutil.Login(a, "spray"+strings.Repeat("x", i), "bad-password"), 401, "auth.invalidCredentials")
		}
		r := testutil.Login(a, "tech_admin", testutil.AdminPassword)
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		assert.NotEmpty(t, r.Header.Get("Retry-After"))
	})
}
