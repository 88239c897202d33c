package apitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// requiringGroup creates a group that requires a second factor with grace days and
// users.read, and a member of it; it answers the group's and the member's ids.
func requiringGroup(t *testing.T, admin *testutil.Client, code, login, pw string, days int) (string, string) {
	t.Helper()
	g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": code, "name": code,
		"permissions": []string{"users.read"}, "second_factor_required": true, "second_factor_grace_days": days})
	u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": login, "password": pw,
		"group_ids": []string{g.Str("id")}})
	return g.Str("id"), u.Str("id")
}

func TestFactorPolicyGraceEdges(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Policy-Grace-pw-1"
		_, id := requiringGroup(t, admin, "ops_grace", "greta", pw, 1)

		// The first sign-in starts the grace: the answer tells its end; all works.
		start := clock.Now()
		r := testutil.Login(a, "greta", pw)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("second_factor_policy.required"))
		assert.Equal(t, false, r.Get("second_factor_policy.enrolment_required"))
		deadline := start.Add(24 * time.Hour)
		assert.Equal(t, deadline.Format(time.RFC3339Nano), r.Str("second_factor_policy.deadline"))
		st := admin.Do("GET", "/api/v1/users/"+id+"/factors", nil)
		require.Equal(t, 200, st.Status, st.String())
		assert.Equal(t, []string{"ops_grace"}, testutil.Strings(st.Get("policy.required_by")))
		assert.Equal(t, false, st.Get("totp"))
		assert.Equal(t, deadline.Format(time.RFC3339Nano), st.Str("policy.deadline"))

		// One second before the deadline: a full session, the deadline unchanged.
		clock.Advance(24*time.Hour - time.Second)
		before := a.Login("greta", pw)
		assert.Equal(t, 200, before.Do("GET", "/api/v1/users", nil).Status)
		assert.Equal(t, deadline.Format(time.RFC3339Nano), before.Do("GET", "/api/v1/auth/me", nil).Str("second_factor_policy.deadline"))

		// One second after: a session that may only set up a factor.
		clock.Advance(2 * time.Second)
		late := a.Login("greta", pw)
		me := late.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, true, me.Get("second_factor_policy.enrolment_required"))
		testutil.AssertProblem(t, late.Do("GET", "/api/v1/users", nil), 403, "auth.enrolmentRequired")
		testutil.AssertProblem(t, late.Do("POST", "/api/v1/auth/password", map[string]any{"current_password": pw,
			"new_password": "Another-pw-2x"}), 403, "auth.enrolmentRequired")
		assert.Equal(t, 200, late.Do("GET", "/api/v1/me/factors", nil).Status)
		assert.Equal(t, 200, before.Do("GET", "/api/v1/users", nil).Status, "a session opened in the grace keeps going")

		// Setting up TOTP from it turns it into a full session.
		enrol(t, late, clock)
		assert.Equal(t, 200, late.Do("GET", "/api/v1/users", nil).Status)
		me = late.Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, false, me.Get("second_factor_policy.enrolment_required"))
		assert.Nil(t, me.Get("second_factor_policy.deadline"), "no deadline once a factor is set up")
		ev := auditOf(t, a.Admin(), url.Values{"resource_id": {id}, "resource_type": {"session"}, "sort": {"at"}, "order": {"asc"}})
		assert.Contains(t, each(ev, "action"), "login.enrolmentRequired")
		assert.Contains(t, each(ev, "action"), "login.enrolmentCompleted")

		// From now on the password is followed by the code, as for everyone with a factor.
		passwordStep(t, a.Anonymous(), "greta", pw, false)
	})
}

func TestFactorPolicyZeroGraceAndReset(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Policy-Zero-pw-1"
		gid, id := requiringGroup(t, admin, "ops_zero", "zeno", pw, 0)
		c := a.Login("zeno", pw)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "auth.enrolmentRequired")

		// Switching the policy off lets the next sign-in in fully.
		g := admin.Do("GET", "/api/v1/groups/"+gid, nil)
		r := admin.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"version": g.Num("version"), "second_factor_required": false})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 200, a.Login("zeno", pw).Do("GET", "/api/v1/users", nil).Status)
		ev := auditOf(t, admin, url.Values{"resource_id": {gid}, "action": {"update"}})
		require.Equal(t, 1, ev.Len("items"))
		assert.Equal(t, true, ev.Get("items.0.diff.before.second_factor_required"), ev.String())
		assert.Equal(t, false, ev.Get("items.0.diff.after.second_factor_required"), ev.String())

		// On again with a day of grace: the grace that began at the first sign-in is
		// over; an administrator's reset of the factors gives a new one.
		r = admin.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"version": r.Num("version"),
			"second_factor_required": true, "second_factor_grace_days": 1})
		require.Equal(t, 200, r.Status, r.String())
		clock.Advance(2 * 24 * time.Hour)
		admin = a.Admin()
		testutil.AssertProblem(t, a.Login("zeno", pw).Do("GET", "/api/v1/users", nil), 403, "auth.enrolmentRequired")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/users/"+id+"/factors/reset", nil).Status)
		me := a.Login("zeno", pw).Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, false, me.Get("second_factor_policy.enrolment_required"))
		assert.Equal(t, clock.Now().Add(24*time.Hour).Format(time.RFC3339Nano), me.Str("second_factor_policy.deadline"))
	})
}

func TestFactorPolicyLastFactor(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Policy-Last-pw-1"
		requiringGroup(t, admin, "ops_last", "lara", pw, 7)
		c := lLogin(t, a, "lara", pw)
		secret, _ := enrol(t, c, clock)
		assert.Equal(t, true, c.Do("GET", "/api/v1/me/factors", nil).Get("policy.required"))

		// The only factor cannot go, with the password or a code; it stays.
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{"password": pw}), 409, "mfa.lastFactorRequired")
		clock.Advance(30 * time.Second)
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{"code": codeAt(t, secret, clock, 0)}), 409, "mfa.lastFactorRequired")
		assert.Equal(t, true, c.Do("GET", "/api/v1/me/factors", nil).Get("totp"))

		// With a passkey beside it the app may go; then the passkey is the last one.
		_, key := addPasskey(t, a, c, "Laptop")
		require.Equal(t, 204, c.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{"password": pw}).Status)
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/me/factors/passkeys/"+key, nil), 409, "mfa.lastFactorRequired")
		assert.Len(t, c.Do("GET", "/api/v1/me/factors/passkeys", nil).JSON, 1)
	})
}

func TestFactorPolicySwitchNeedsPermission(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		r := admin.Do("GET", "/api/v1/groups?q=administrators", nil)
		require.Equal(t, 200, r.Status, r.String())
		var gid string
		for i := 0; i < r.Len("items"); i++ {
			it := r.Get("items." + strconv.Itoa(i)).(map[string]any)
			if it["code"] == "administrators" {
				gid = it["id"].(string)
				assert.Equal(t, true, it["second_factor_required"], "on for administrators out of the box")
				assert.Equal(t, float64(7), it["second_factor_grace_days"])
			}
		}
		require.NotEmpty(t, gid)
		g := admin.Do("GET", "/api/v1/groups/"+gid, nil)
		reader := a.As("auditors")
		testutil.AssertProblem(t, reader.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"version": g.Num("version"),
			"second_factor_required": false}), 403, "authz.denied")
		assert.Equal(t, true, admin.Do("GET", "/api/v1/groups/"+gid, nil).Get("second_factor_required"), "unchanged")

		r = admin.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"version": g.Num("version"), "second_factor_grace_days": -1})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"second_factor_grace_days"}, testutil.FieldsOf(r))
		r = admin.Do("POST", "/api/v1/groups", map[string]any{"code": "g_bad", "name": "bad", "second_factor_grace_days": 366})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		r = testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "g_default", "name": "default"})
		assert.Equal(t, false, r.Get("second_factor_required"))
		assert.Equal(t, float64(7), r.Num("second_factor_grace_days"))
	})
}

func TestFactorPolicyAfterRESTSignIn(t *testing.T) {
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Login, Password string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		if in.Password != "rest-password" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"login":"` + in.Login + `","email":"` + in.Login + `@example.com","roles":["ops_rest"]}`))
	}))
	t.Cleanup(svc.Close)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "ops_rest", "name": "ops", "permissions": []string{"users.read"},
			"second_factor_required": true, "second_factor_grace_days": 0})
		pid := testutil.MustCreate(t, admin, "/api/v1/providers", map[string]any{"name": "Partner REST", "type": "rest", "active": true,
			"allow_user_creation": true, "params": map[string]any{"external_url": svc.URL}}).Str("id")
		restLogin := func(c *testutil.Client) *testutil.Resp {
			return c.Do("POST", "/api/v1/auth/rest/"+pid+"/session", map[string]any{"login": "rita", "password": "rest-password"})
		}
		// The provider's session (its account provisioned into the requiring group at once)
		// is one that may only set up a factor, and says so.
		c := a.Anonymous()
		r := restLogin(c)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("second_factor_policy.enrolment_required"), r.String())
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "auth.enrolmentRequired")
		enrol(t, c, clock)
		assert.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status)
	})
}

func TestFactorPolicyPasskeyEnrolment(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, _ := totpApp(t, d)
		admin := a.Admin()
		const pw = "Policy-Passkey-pw-1"
		requiringGroup(t, admin, "ops_key", "paula", pw, 0)
		c := lLogin(t, a, "paula", pw)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "auth.enrolmentRequired")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "t"}), 403, "auth.enrolmentRequired")

		// A passkey is a factor too: registering one opens the same session fully.
		addPasskey(t, a, c, "Phone")
		assert.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status)
		assert.Equal(t, false, c.Do("GET", "/api/v1/auth/me", nil).Get("second_factor_policy.enrolment_required"))
	})
}
