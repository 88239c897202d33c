package apitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestAdministratorsSeeAndRevokeAUsersPersonalTokens: holders of apiTokens.read see a
// user's personal tokens (never the secret), holders of apiTokens.write revoke one,
// and it stops working at once; nothing outside that user's personal tokens is reached.
func TestAdministratorsSeeAndRevokeAUsersPersonalTokens(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		bora, boraID, _ := personalUser(t, a, admin, "bora", "users.read")
		_, carlID, _ := personalUser(t, a, admin, "carl", "users.read")
		made := testutil.MustCreate(t, bora, "/api/v1/me/tokens", map[string]any{"name": "backup script", "scopes": []string{"users.read"}})
		tid, secret := made.Str("id"), made.Str("token")
		org := testutil.MustCreate(t, admin, "/api/v1/tokens", map[string]any{"name": "ci", "scopes": []string{"users.read"}}).Str("id")
		require.Equal(t, 200, testutil.TokenClient(a, secret).Do("GET", "/api/v1/users", nil).Status)

		l := admin.Do("GET", "/api/v1/users/"+boraID+"/tokens?sort=name", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, 1.0, l.Num("total"))
		assert.Equal(t, "backup script", l.Str("items.0.name"))
		assert.Equal(t, boraID, l.Str("items.0.owner_id"))
		assert.Nil(t, l.Get("items.0.token"), "never the secret")
		assert.NotContains(t, string(l.Body), secret[len(secret)-20:])
		assert.Equal(t, 0.0, admin.Do("GET", "/api/v1/users/"+carlID+"/tokens", nil).Num("total"), "only that user's")

		// Auditors read (apiTokens.read) but may not revoke.
		auditor := a.As("auditors")
		assert.Equal(t, 200, auditor.Do("GET", "/api/v1/users/"+boraID+"/tokens", nil).Status)
		testutil.AssertProblem(t, auditor.Do("POST", "/api/v1/users/"+boraID+"/tokens/"+tid+"/revoke", nil), 403, "authz.denied")

		// The path must name the owner; an organisation token is not a personal one.
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/users/"+carlID+"/tokens/"+tid+"/revoke", nil), 404, "resource.notFound")
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/users/"+boraID+"/tokens/"+org+"/revoke", nil), 404, "resource.notFound")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users/"+boraID+"/tokens?sort=secret", nil), 400, "list.invalidSort")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users/00000000-0000-0000-0000-000000000000/tokens", nil), 404, "resource.notFound")

		r := admin.Do("POST", "/api/v1/users/"+boraID+"/tokens/"+tid+"/revoke", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "revoked", r.Str("status"))
		testutil.AssertProblem(t, testutil.TokenClient(a, secret).Do("GET", "/api/v1/users", nil), 401, "auth.tokenRevoked")
		ev := lastAudit(t, admin, "revoke")
		assert.Equal(t, tid, ev.Str("items.0.resource_id"))
		assert.Equal(t, "tech_admin", ev.Str("items.0.actor_name"))
	})
}
