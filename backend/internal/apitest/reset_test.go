package apitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// An administrator's reset ends every session of the user and, unless asked not to,
// revokes their personal access tokens: a stolen session or token dies with the old
// password.
func TestAdminResetEndsSessionsAndRevokesTokens(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		anna, annaID, _ := personalUser(t, a, admin, "anna", authz.UsersRead)
		laptop := a.Login("anna", "password-123")
		tok := testutil.MustCreate(t, anna, "/api/v1/me/tokens", map[string]any{"name": "ci", "scopes": []string{authz.UsersRead}}).Str("token")
		require.Equal(t, 200, testutil.TokenClient(a, tok).Do("GET", "/api/v1/users", nil).Status)

		r := admin.Do("POST", "/api/v1/users/"+annaID+"/password", map[string]any{"password": "Fresh-Meadow-81"})
		require.Equal(t, 204, r.Status, r.String())
		testutil.AssertProblem(t, anna.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		testutil.AssertProblem(t, laptop.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		testutil.AssertProblem(t, testutil.TokenClient(a, tok).Do("GET", "/api/v1/users", nil), 401, "auth.tokenRevoked")
		ev := lastAudit(t, admin, "password.set")
		assert.Equal(t, 2.0, ev.Num("items.0.diff.after.sessions_ended"), ev.String())
		assert.Equal(t, 1.0, ev.Num("items.0.diff.after.tokens_revoked"), ev.String())
		assert.Equal(t, "[redacted]", ev.Str("items.0.diff.after.password"))

		// revoke_tokens false keeps the tokens (the sessions still end).
		anna = a.Login("anna", "Fresh-Meadow-81")
		tok = testutil.MustCreate(t, anna, "/api/v1/me/tokens", map[string]any{"name": "ci2", "scopes": []string{authz.UsersRead}}).Str("token")
		r = admin.Do("POST", "/api/v1/users/"+annaID+"/password", map[string]any{"password": "Second-Meadow-82", "revoke_tokens": false})
		require.Equal(t, 204, r.Status, r.String())
		testutil.AssertProblem(t, anna.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		assert.Equal(t, 200, testutil.TokenClient(a, tok).Do("GET", "/api/v1/users", nil).Status, "the token was kept")

		// The policy applies to resets too, and a refused reset ends nothing.
		anna = a.Login("anna", "Second-Meadow-82")
		for pw, code := range map[string]string{"anna-secret-1": "containsLogin", "password1": "tooCommon", "short": "tooShort"} {
			r = admin.Do("POST", "/api/v1/users/"+annaID+"/password", map[string]any{"password": pw})
			testutil.AssertProblem(t, r, 400, "validation.failed")
			assert.Equal(t, code, testutil.FieldCode(r, "password"), pw)
		}
		assert.Equal(t, 200, anna.Do("GET", "/api/v1/auth/me", nil).Status)
	})
}

// A personal access token never creates or changes tokens, whatever its scopes; an
// organisation token may, and the token it makes says which token made it.
func TestTokensCannotMintTokens(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		pete, _, _ := personalUser(t, a, admin, "pete", authz.APITokensWrite, authz.APITokensRead)
		pat := testutil.TokenClient(a, testutil.MustCreate(t, pete, "/api/v1/me/tokens", map[string]any{"name": "laptop",
			"scopes": []string{authz.APITokensWrite, authz.APITokensRead}}).Str("token"))
		org := testutil.MustCreate(t, admin, "/api/v1/tokens", map[string]any{"name": "deploy", "scopes": []string{authz.UsersRead}})
		before := testutil.Count(t, a, "api_tokens", "")

		denied := func() int64 {
			return testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "access.denied", "%token.personalTokenCannotManageTokens%")
		}
		n := denied()
		testutil.AssertProblem(t, pat.Do("POST", "/api/v1/tokens", map[string]any{"name": "outlives", "scopes": []string{authz.APITokensRead}}),
			403, "token.personalTokenCannotManageTokens")
		testutil.AssertProblem(t, pat.Do("PATCH", "/api/v1/tokens/"+org.Str("id"), map[string]any{"version": org.Num("version"), "name": "x"}),
			403, "token.personalTokenCannotManageTokens")
		testutil.AssertProblem(t, pat.Do("POST", "/api/v1/tokens/"+org.Str("id")+"/revoke", nil), 403, "token.personalTokenCannotManageTokens")
		testutil.AssertProblem(t, pat.Do("DELETE", "/api/v1/tokens/"+org.Str("id"), nil), 403, "token.personalTokenCannotManageTokens")
		testutil.AssertProblem(t, pat.Do("POST", "/api/v1/tokens/bulk-delete", map[string]any{"ids": []string{org.Str("id")}}),
			403, "token.personalTokenCannotManageTokens")
		assert.Equal(t, n+5, denied(), "each refusal is audited")
		assert.Equal(t, before, testutil.Count(t, a, "api_tokens", ""), "nothing was created or deleted")
		assert.Equal(t, "active", admin.Do("GET", "/api/v1/tokens/"+org.Str("id"), nil).Str("status"))

		// An organisation token with apiTokens.write may create one: it is named as the creator.
		_, creator := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "provisioner",
			"scopes": []string{authz.APITokensWrite, authz.APITokensRead}})
		made := testutil.MustCreate(t, testutil.TokenClient(a, creator), "/api/v1/tokens", map[string]any{"name": "child", "scopes": []string{authz.APITokensRead}})
		creatorID := admin.Do("GET", "/api/v1/tokens?q=provisioner", nil).Str("items.0.id")
		assert.Equal(t, creatorID, made.Str("created_by_token_id"))
		assert.Equal(t, creatorID, admin.Do("GET", "/api/v1/tokens/"+made.Str("id"), nil).Str("created_by_token_id"))
		assert.Nil(t, org.Get("created_by_token_id"), "a token made in a session names no creator token")

		// Scopes beyond the creator's are refused, and the refusal is audited.
		sc := testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "access.denied", "%token.scopeNotHeld%")
		testutil.AssertProblem(t, testutil.TokenClient(a, creator).Do("POST", "/api/v1/tokens", map[string]any{"name": "wider",
			"scopes": []string{authz.SettingsWrite}}), 403, "token.scopeNotHeld")
		assert.Equal(t, sc+1, testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "access.denied", "%token.scopeNotHeld%"))
	})
}

// A peer's role named tech_admins does not make anyone a tech_admins member: that
// membership is only ever given by hand.
func TestPeerRoleNeverGrantsTechAdmins(t *testing.T) {
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Login, Password string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"login":"mallory","email":"m@example.com","roles":["tech_admins","analysts"]}`))
	}))
	t.Cleanup(svc.Close)
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	pid := testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "Partner REST", "type": "rest", "active": true,
		"allow_user_creation": true, "params": map[string]any{"external_url": svc.URL}}).Str("id")
	r := s.a.Anonymous().Do("POST", "/api/v1/auth/rest/"+pid+"/session", map[string]any{"login": "mallory", "password": "anything-goes"})
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, []string{"analysts"}, groupCodes(r))
	assert.Equal(t, int64(1), testutil.Count(t, s.a, "user_groups", "group_id = ?", testutil.GroupID(t, s.a, "tech_admins")), "tech_admin alone")
}
