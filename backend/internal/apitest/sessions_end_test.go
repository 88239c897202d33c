package apitest

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/audit"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// twoBrowsers creates login with password and signs it in twice, as from two browsers.
func twoBrowsers(t *testing.T, a *testutil.TestApp, admin *testutil.Client, login, password string) (string, *testutil.Client, *testutil.Client) {
	t.Helper()
	u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": login, "password": password})
	return u.Str("id"), a.Login(login, password), a.Login(login, password)
}

func signedIn(t *testing.T, c *testutil.Client) bool {
	t.Helper()
	r := c.Do("GET", "/api/v1/auth/me", nil)
	require.Contains(t, []int{200, 401}, r.Status, r.String())
	return r.Status == 200
}

func TestSignOutEverywhereEndsEveryBrowser(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id, laptop, phone := twoBrowsers(t, a, admin, "olga", "Birch-lake-71")

		r := laptop.Do("POST", "/api/v1/auth/logout-all", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, float64(2), r.Num("ended"))
		ck := testutil.Cookie(r, "custos_session")
		require.NotNil(t, ck, "the session cookie is cleared")
		assert.Empty(t, ck.Value)
		assert.False(t, signedIn(t, laptop), "this browser is signed out")
		assert.False(t, signedIn(t, phone), "the other browser is signed out too")
		assert.True(t, signedIn(t, admin), "nobody else is")
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", "user_id = ?", id))

		ev := auditOf(t, admin, url.Values{"action": {"logout.all"}, "resource_id": {id}})
		require.Equal(t, 1, ev.Len("items"), ev.String())
		assert.Equal(t, float64(2), ev.Num("items.0.diff.after.sessions_ended"))
		assert.Equal(t, "olga", ev.Str("items.0.actor_name"))

		// A token is revoked, not signed out: a token caller is refused and ends nothing.
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "bot", "scopes": []string{"users.read"}})
		before := testutil.Count(t, a, "sessions", "")
		bot := testutil.TokenClient(a, tok)
		testutil.AssertProblem(t, bot.Do("POST", "/api/v1/auth/logout-all", nil), 403, "auth.sessionRequired")
		testutil.AssertProblem(t, bot.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": testutil.AdminPassword,
			"new_password": "Birch-Token-pw-9"}), 403, "auth.sessionRequired")
		assert.Equal(t, before, testutil.Count(t, a, "sessions", ""))
		assert.True(t, signedIn(t, admin))
		require.Equal(t, 200, testutil.Login(a, "tech_admin", testutil.AdminPassword).Status, "the password did not change")
		ev = auditOf(t, admin, url.Values{"action": {"access.denied"}, "actor": {"bot"}, "sort": {"at"}, "order": {"asc"}})
		assert.Equal(t, []string{"logout.all", "password.change"}, each(ev, "diff.after.attempted"), "both refusals are audited: %s", ev)
	})
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.LoginMaxFailures = 3 })
		admin := a.Admin()
		const old, fresh, wrong = "Birch-Old-pw-1", "Birch-New-pw-2", "Birch-Wrong-pw-3"
		id, laptop, phone := twoBrowsers(t, a, admin, "olga", old)

		r := laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": wrong, "new_password": fresh})
		testutil.AssertProblem(t, r, 400, "auth.wrongCurrentPassword")
		assert.Equal(t, []string{"current_password"}, testutil.FieldsOf(r))
		assert.True(t, signedIn(t, phone), "a refused change ends nothing")
		ev := auditOf(t, admin, url.Values{"action": {"login.failure"}, "resource_id": {id}})
		require.Equal(t, 1, ev.Len("items"), "a wrong current password is audited like a failed sign-in")
		assert.Equal(t, "wrongCurrentPassword", ev.Str("items.0.diff.reason"))

		r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": old, "new_password": "short"})
		require.Equal(t, 400, r.Status, r.String())
		assert.Equal(t, []string{"new_password"}, testutil.FieldsOf(r), "the policy's errors name the new password")
		r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": old, "new_password": old})
		assert.Equal(t, "sameAsCurrent", testutil.FieldCode(r, "new_password"), r.String())
		testutil.AssertProblem(t, laptop.Do("POST", "/api/v1/auth/password", map[string]any{"new_password": fresh}), 400, "validation.failed")
		r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": old, "new_password": fresh, "extra": 1})
		require.Equal(t, 400, r.Status, r.String())
		testutil.AssertProblem(t, testutil.Login(a, "olga", fresh), 401, "auth.invalidCredentials")
		assert.True(t, signedIn(t, phone), "no refused request changed anything")

		r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": old, "new_password": fresh})
		require.Equal(t, 204, r.Status, r.String())
		assert.True(t, signedIn(t, laptop), "the browser that changed it stays signed in")
		assert.False(t, signedIn(t, phone), "every other session ends")
		assert.Equal(t, int64(1), testutil.Count(t, a, "sessions", "user_id = ?", id))
		testutil.AssertProblem(t, testutil.Login(a, "olga", old), 401, "auth.invalidCredentials")
		require.Equal(t, 200, testutil.Login(a, "olga", fresh).Status)

		ev = auditOf(t, admin, url.Values{"action": {"password.change"}, "resource_id": {id}})
		require.Equal(t, 1, ev.Len("items"), ev.String())
		assert.Equal(t, audit.Redacted, ev.Str("items.0.diff.after.password"))
		assert.Equal(t, float64(1), ev.Num("items.0.diff.after.sessions_ended"))
		var diffs []string
		require.NoError(t, a.DB.W.Table("audit_events").Pluck("diff", &diffs).Error)
		for _, diff := range diffs {
			for _, secret := range []string{old, fresh, wrong} {
				assert.NotContains(t, diff, secret)
			}
		}

		// Wrong current passwords count toward the lock-out like failed sign-ins: after
		// three (the limit per account and address) the right one is refused too, and so
		// is signing in from here.
		for i := 0; i < 3; i++ {
			r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": wrong, "new_password": "Birch-Other-pw-4"})
			testutil.AssertProblem(t, r, 400, "auth.wrongCurrentPassword")
		}
		r = laptop.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": fresh, "new_password": "Birch-Other-pw-4"})
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, testutil.Login(a, "olga", fresh), 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, testutil.Login(a, "olga", "Birch-Other-pw-4"), 429, "auth.tooManyAttempts")
		assert.True(t, signedIn(t, laptop), "the lock-out bars sign-ins, not the open session")
	})
}

func TestEndUserSessions(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		adminID := testutil.UserID(t, a, "tech_admin")
		id, laptop, phone := twoBrowsers(t, a, admin, "olga", "Birch-lake-71")

		r := admin.Do("GET", "/api/v1/users/"+id+"/sessions", nil)
		require.Equal(t, 200, r.Status, r.String())
		require.Equal(t, float64(2), r.Num("total"), r.String())
		assert.Equal(t, "127.0.0.1", r.Str("items.0.ip"))
		assert.Equal(t, "Go-http-client/1.1", r.Str("items.0.user_agent"))
		assert.Equal(t, false, r.Get("items.0.current"))
		assert.NotEmpty(t, r.Str("items.0.last_seen_at"))
		assert.NotEqual(t, r.Str("items.0.id"), r.Str("items.1.id"))
		var keys []string
		require.NoError(t, a.DB.W.Table("sessions").Where("user_id = ?", id).Pluck("id", &keys).Error)
		for _, k := range keys {
			assert.NotContains(t, string(r.Body), k, "the list never shows a session key")
		}
		own := admin.Do("GET", "/api/v1/users/"+adminID+"/sessions", nil)
		require.Equal(t, 1, own.Len("items"), own.String())
		assert.Equal(t, true, own.Get("items.0.current"), "the caller's own session is marked")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users/"+id+"/sessions?sort=ip", nil), 400, "list.invalidSort")

		// A helpdesk group may write users, but not act on accounts that outrank it.
		g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "Helpdesk",
			"permissions": []string{"users.read", "users.write"}})
		testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "hd", "password": "Maple-Desk-52",
			"group_ids": []string{g.Str("id")}})
		helpdesk := a.Login("hd", "Maple-Desk-52")
		aud := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "aud", "password": "Cedar-Book-33",
			"group_ids": []string{testutil.GroupID(t, a, "auditors")}}).Str("id")
		auditor := a.Login("aud", "Cedar-Book-33")
		for target, code := range map[string]string{adminID: "authz.techAdminOnly", aud: "authz.targetOutranksCaller"} {
			before := testutil.Count(t, a, "sessions", "user_id = ?", target)
			testutil.AssertProblem(t, helpdesk.Do("POST", "/api/v1/users/"+target+"/sessions/end", nil), 403, code)
			assert.Equal(t, before, testutil.Count(t, a, "sessions", "user_id = ?", target), "a refusal ends nothing")
			ev := auditOf(t, admin, url.Values{"action": {"access.denied"}, "resource_id": {target}})
			require.Equal(t, 1, ev.Len("items"), "the refusal is audited: %s", ev)
			assert.Equal(t, "sessions.end", ev.Str("items.0.diff.after.attempted"))
			assert.Equal(t, "hd", ev.Str("items.0.actor_name"))
		}
		assert.True(t, signedIn(t, admin))
		assert.True(t, signedIn(t, auditor))
		assert.Equal(t, 0, auditOf(t, admin, url.Values{"action": {"sessions.end"}}).Len("items"))

		r = helpdesk.Do("POST", "/api/v1/users/"+id+"/sessions/end", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, float64(2), r.Num("ended"))
		assert.False(t, signedIn(t, laptop))
		assert.False(t, signedIn(t, phone))
		assert.True(t, signedIn(t, helpdesk))
		assert.Equal(t, 0, admin.Do("GET", "/api/v1/users/"+id+"/sessions", nil).Len("items"))
		ev := auditOf(t, admin, url.Values{"action": {"sessions.end"}, "resource_id": {id}})
		require.Equal(t, 1, ev.Len("items"), ev.String())
		assert.Equal(t, float64(2), ev.Num("items.0.diff.after.sessions_ended"))
		assert.Equal(t, "olga", ev.Str("items.0.resource_name"))

		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/users/00000000-0000-4000-8000-000000000000/sessions/end", nil), 404, "resource.notFound")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users/00000000-0000-4000-8000-000000000000/sessions", nil), 404, "resource.notFound")
	})
}
