package apitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// A certificate on the person's device is more than a password: a group that requires
// a second factor, with its grace over, still lets the certificate sign-in in fully
// (the password sign-in of the same person is enrolment-only).
func TestCertificateSignInUnderTheFactorPolicy(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		anna, _, cert := issueToDevice(t, a, admin, "C0FFEE21")
		login := anna.Do("GET", "/api/v1/auth/me", nil).Str("user.login")

		// Anna's group now requires a factor with no grace.
		var gid string
		for _, g := range anna.Do("GET", "/api/v1/auth/me", nil).Get("groups").([]any) {
			gid = g.(map[string]any)["id"].(string)
		}
		require.NotEmpty(t, gid)
		g := admin.Do("GET", "/api/v1/groups/"+gid, nil)
		r := admin.Do("PATCH", "/api/v1/groups/"+gid, map[string]any{"version": g.Num("version"),
			"second_factor_required": true, "second_factor_grace_days": 0})
		require.Equal(t, 200, r.Status, r.String())
		testutil.AssertProblem(t, a.Login(login, "password-123").Do("GET", "/api/v1/me/issuances", nil), 403, "auth.enrolmentRequired")

		c := personClient(t, a, serveMTLS(t, a.App), cert)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/login/certificate", map[string]any{}).Status)
		me := c.Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, false, me.Get("second_factor_policy.enrolment_required"), me.String())
		assert.Equal(t, 200, c.Do("GET", "/api/v1/me/issuances", nil).Status, "a full session")
	})
}
