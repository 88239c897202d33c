package apitest

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/apitoken"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// viaQuery sends the token as the api-token query parameter, with no cookie at all.
func viaQuery(t *testing.T, a *testutil.TestApp, method, path, tok string, body []byte) *testutil.Resp {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return testutil.Raw(t, a, method, path+sep+"api-token="+url.QueryEscape(tok), body, nil)
}

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		r := testutil.MustCreate(t, admin, "/api/v1/tokens", map[string]any{"name": "CI deploy", "scopes": []string{"users.read", "users.write"}})
		id, tok := r.Str("id"), r.Str("token")
		require.Len(t, tok, apitoken.TokenLen)
		assert.True(t, strings.HasPrefix(tok, "cst01."+r.Str("public_id")+"."), tok)
		assert.Equal(t, "cst01", r.Str("prefix"))
		assert.Equal(t, "api", r.Str("kind"))
		assert.Equal(t, "active", r.Str("status"))
		assert.Equal(t, "tech_admin", r.Str("created_by"))
		assert.Equal(t, []string{"users.read", "users.write"}, testutil.Strings(r.Get("scopes")))
		assert.Nil(t, r.Get("expires_at"))
		assert.Nil(t, r.Get("last_used_at"))
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		secret := tok[strings.LastIndexByte(tok, '.')+1:]

		// The token is never shown again, and the database holds only a hash of it.
		got := admin.Do("GET", "/api/v1/tokens/"+id, nil)
		require.Equal(t, 200, got.Status, got.String())
		assert.Nil(t, got.Get("token"))
		assert.NotContains(t, string(got.Body), secret)
		assert.NotContains(t, string(admin.Do("GET", "/api/v1/tokens", nil).Body), secret)
		var stored string
		require.NoError(t, a.DB.W.Table("api_tokens").Where("id = ?", id).Pluck("secret_hash", &stored).Error)
		assert.Len(t, stored, 64)
		assert.Equal(t, int64(0), testutil.Count(t, a, "api_tokens", "secret_hash LIKE ? OR scopes LIKE ? OR name LIKE ?",
			"%"+secret[:20]+"%", "%"+secret[:20]+"%", "%"+secret[:20]+"%"))

		// Header and query parameter both work; a token request needs no CSRF header.
		c := testutil.TokenClient(a, tok)
		res := c.Do("GET", "/api/v1/users?sort=login", nil)
		require.Equal(t, 200, res.Status, res.String())
		assert.Equal(t, "tech_admin", res.Str("items.0.login"))
		res = viaQuery(t, a, "GET", "/api/v1/users?sort=login&order=asc", tok, nil)
		require.Equal(t, 200, res.Status, "the api-token parameter is not an unknown list parameter: %s", res)
		res = viaQuery(t, a, "POST", "/api/v1/users", tok, []byte(`{"login":"made-by-token"}`))
		require.Equal(t, 201, res.Status, res.String())
		created := c.Do("POST", "/api/v1/users", map[string]any{"login": "made-by-header"})
		require.Equal(t, 201, created.Status, created.String())

		// The audit log names the token as the actor.
		ev := admin.Do("GET", "/api/v1/audit?resource_type=user&action=create&sort=at&order=desc&page_size=1", nil)
		require.Equal(t, 200, ev.Status, ev.String())
		assert.Equal(t, "token", ev.Str("items.0.actor_type"))
		assert.Equal(t, id, ev.Str("items.0.actor_id"))
		assert.Equal(t, "CI deploy", ev.Str("items.0.actor_name"))

		// Scope denied: same decision and problem as for a session.
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/audit", nil), 403, "authz.denied")
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/tokens", nil), 403, "authz.denied")
		me := c.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, []string{"users.read", "users.write"}, testutil.Strings(me.Get("permissions")))
		assert.Equal(t, id, me.Str("token.id"))
		assert.Equal(t, "", me.Str("user.id"), "an organisation token acts for no user")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/logout", nil), 401, "auth.unauthenticated")

		// Last use: visible at once on this replica, in the database after a flush.
		got = admin.Do("GET", "/api/v1/tokens/"+id, nil)
		assert.NotNil(t, got.Get("last_used_at"), got.String())
		assert.Equal(t, "127.0.0.1", got.Str("last_used_ip"))
		require.NoError(t, a.Tokens.Flush(testutil.Ctx()))
		assert.Equal(t, int64(1), testutil.Count(t, a, "api_tokens", "id = ? AND last_used_at IS NOT NULL AND last_used_ip = ?", id, "127.0.0.1"))

		// Revoke: refused at once (the cache was warm), listed as revoked.
		rv := admin.Do("POST", "/api/v1/tokens/"+id+"/revoke", nil)
		require.Equal(t, 200, rv.Status, rv.String())
		assert.Equal(t, "revoked", rv.Str("status"))
		assert.NotNil(t, rv.Get("revoked_at"))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 401, "auth.tokenRevoked")
		testutil.AssertProblem(t, viaQuery(t, a, "GET", "/api/v1/users", tok, nil), 401, "auth.tokenRevoked")
		again := admin.Do("POST", "/api/v1/tokens/"+id+"/revoke", nil)
		require.Equal(t, 200, again.Status, "revoking twice is harmless")
		assert.Equal(t, rv.Str("revoked_at"), again.Str("revoked_at"))
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/tokens/"+id, map[string]any{"version": again.Num("version"), "name": "x"}),
			422, "token.revoked")
		lst := admin.Do("GET", "/api/v1/tokens?status=revoked", nil)
		require.Equal(t, 200, lst.Status, lst.String())
		assert.Equal(t, 1.0, lst.Num("total"))

		// Delete: gone, and the token is unknown.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/tokens/"+id, nil).Status)
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/tokens/"+id, nil), 404, "resource.notFound")
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 401, "auth.invalidToken")

		// The audit trail of the token, without its secret.
		trail := admin.Do("GET", "/api/v1/audit?resource_id="+id+"&sort=at&order=asc", nil)
		require.Equal(t, 200, trail.Status, trail.String())
		var actions []string
		for i := 0; i < trail.Len("items"); i++ {
			actions = append(actions, trail.Str("items."+strconv.Itoa(i)+".action"))
			assert.Equal(t, "api_token", trail.Str("items."+strconv.Itoa(i)+".resource_type"))
		}
		assert.Equal(t, []string{"create", "revoke", "delete"}, actions)
		assert.NotContains(t, string(trail.Body), secret)
		assert.NotContains(t, string(trail.Body), stored)
	})
}

func TestAPITokenExpiresOnTime(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		clock := a.StepClock()
		admin := a.Admin()
		at := clock.Now().Add(20 * time.Minute) // within the admin session's idle timeout
		id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "short-lived", "scopes": []string{"users.read"},
			"expires_at": at.Format(time.RFC3339Nano)})
		c := testutil.TokenClient(a, tok)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status, "valid until its expiry")
		clock.Advance(20*time.Minute - time.Millisecond)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status, "valid until its expiry")
		clock.Advance(time.Millisecond)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 401, "auth.tokenExpired")
		got := admin.Do("GET", "/api/v1/tokens/"+id, nil)
		assert.Equal(t, "expired", got.Str("status"))
		lst := admin.Do("GET", "/api/v1/tokens?status=expired", nil)
		assert.Equal(t, 1.0, lst.Num("total"), lst.String())
		assert.Equal(t, 0.0, admin.Do("GET", "/api/v1/tokens?status=active", nil).Num("total"))
	})
}

func TestAPITokenCreateRefusesBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
		for _, tc := range []struct {
			name        string
			body        any
			status      int
			code, field string
		}{
			{"expiry in the past", map[string]any{"name": "x", "scopes": []string{"users.read"}, "expires_at": past}, 400, "validation.failed", "expires_at"},
			{"unknown scope", map[string]any{"name": "x", "scopes": []string{"users.read", "users.delete"}}, 400, "validation.failed", "scopes"},
			{"no scopes", map[string]any{"name": "x", "scopes": []string{}}, 400, "validation.failed", "scopes"},
			{"personal scope", map[string]any{"name": "x", "scopes": []string{"selfservice"}}, 400, "validation.failed", "scopes"},
			{"no name", map[string]any{"name": " ", "scopes": []string{"users.read"}}, 400, "validation.failed", "name"},
			{"long name", map[string]any{"name": strings.Repeat("я", 201), "scopes": []string{"users.read"}}, 400, "validation.failed", "name"},
			{"expiry not a time", map[string]any{"name": "x", "scopes": []string{"users.read"}, "expires_at": "tomorrow"}, 400, "request.malformedJson", ""},
			{"scopes not a list", map[string]any{"name": "x", "scopes": "users.read"}, 400, "validation.failed", "scopes"},
			{"unknown field", map[string]any{"name": "x", "scopes": []string{"users.read"}, "token": "mine"}, 400, "request.unknownField", "token"},
		} {
			r := admin.Do("POST", "/api/v1/tokens", tc.body)
			testutil.AssertProblem(t, r, tc.status, tc.code)
			if tc.field != "" {
				assert.Contains(t, testutil.FieldsOf(r), tc.field, tc.name)
			}
		}
		// An administrator lacks settings.write and cannot hand it to a token.
		adm := a.As("administrators")
		r := adm.Do("POST", "/api/v1/tokens", map[string]any{"name": "x", "scopes": []string{"users.read", "settings.write"}})
		testutil.AssertProblem(t, r, 403, "token.scopeNotHeld")
		assert.Equal(t, "notHeld", testutil.FieldCode(r, "scopes"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "api_tokens", ""), "nothing was created")
	})
}
