package apitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/apitoken"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// Malformed tokens of every shape, in the header and in the query parameter, get a
// 401 problem, never a 500, and create nothing.
func TestMalformedTokensAreRefused(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "ok", "scopes": []string{"users.read", "users.write"}})
		last := tok[len(tok)-1]
		typo := tok[:len(tok)-1] + map[bool]string{true: "B", false: "A"}[last == 'A']
		_, pat := testutil.NewToken(t, admin, "/api/v1/me/tokens", map[string]any{"name": "pat", "scopes": []string{"users.read"}})
		shapes := map[string]string{
			"empty":                    "",
			"short":                    "cst01.abc.def",
			"wrong prefix":             "cst02" + tok[5:],
			"kind swapped":             "csp01" + tok[5:],
			"personal id, api prefix":  "cst01" + pat[5:],
			"non-ASCII":                tok[:50] + "жж" + tok[52:],
			"checksum typo":            typo,
			"secret typo, same length": tok[:40] + map[bool]string{true: "x", false: "y"}[tok[40] == 'y'] + tok[41:],
			"10 KB":                    strings.Repeat("Q", 10<<10),
			"unknown but well formed":  unknownToken(t),
		}
		before := testutil.Count(t, a, "users", "")
		for name, bad := range shapes {
			res := testutil.TokenClient(a, bad).Do("POST", "/api/v1/users", map[string]any{"login": "never-" + strings.ReplaceAll(name, " ", "-")})
			testutil.AssertProblem(t, res, 401, "auth.invalidToken")
			res = viaQuery(t, a, "GET", "/api/v1/users", bad, nil)
			testutil.AssertProblem(t, res, 401, "auth.invalidToken")
		}
		assert.Equal(t, before, testutil.Count(t, a, "users", ""), "nothing was created")
		// The header with nothing after the scheme.
		r := testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Authorization": "Api-Token"})
		testutil.AssertProblem(t, r, 401, "auth.invalidToken")
		// The scheme is case-insensitive, like every HTTP auth scheme.
		r = testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Authorization": "api-token " + tok})
		require.Equal(t, 200, r.Status, r.String())
		// Other schemes are not ours: the request is simply anonymous.
		r = testutil.Raw(t, a, "GET", "/api/v1/users", nil, map[string]string{"Authorization": "Bearer " + tok})
		testutil.AssertProblem(t, r, 401, "auth.unauthenticated")
		// Public routes are unaffected by a missing token, but a bad one is still refused.
		require.Equal(t, 200, testutil.Raw(t, a, "GET", "/healthz", nil, nil).Status)
		testutil.AssertProblem(t, viaQuery(t, a, "GET", "/healthz", "nope", nil), 401, "auth.invalidToken")
	})
}

// unknownToken returns a well-formed token (valid checksum) that was never issued.
func unknownToken(t *testing.T) string {
	_, v, err := apitoken.Generate(apitoken.KindAPI)
	require.NoError(t, err)
	return v
}

// Header and query parameter at once: the same token is fine, two different ones are
// refused before anything runs.
func TestHeaderAndQueryWithDifferentTokensAreRefused(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		_, t1 := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "one", "scopes": []string{"users.write"}})
		_, t2 := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "two", "scopes": []string{"users.write"}})
		before := testutil.Count(t, a, "users", "")
		r := testutil.Raw(t, a, "POST", "/api/v1/users?api-token="+t2, []byte(`{"login":"ambiguous"}`),
			map[string]string{"Authorization": "Api-Token " + t1})
		testutil.AssertProblem(t, r, 400, "auth.ambiguousToken")
		r = testutil.Raw(t, a, "POST", "/api/v1/users?api-token="+t1+"&api-token="+t2, []byte(`{"login":"ambiguous"}`), nil)
		testutil.AssertProblem(t, r, 400, "auth.ambiguousToken")
		assert.Equal(t, before, testutil.Count(t, a, "users", ""), "nothing was created")
		r = testutil.Raw(t, a, "POST", "/api/v1/users?api-token="+t1, []byte(`{"login":"same-twice"}`),
			map[string]string{"Authorization": "Api-Token " + t1})
		require.Equal(t, 201, r.Status, r.String())
	})
}

// A browser that holds a session and also sends a token is judged by the token alone:
// a failing token is a 401, not a fall back to the session; a token request needs no
// CSRF header even with the session cookie present.
func TestTokenWinsOverTheSessionCookie(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "narrow", "scopes": []string{"users.read"}})
		admin.Header.Set("Authorization", "Api-Token "+tok)
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/audit", nil), 403, "authz.denied")
		me := admin.Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, []string{"users.read"}, testutil.Strings(me.Get("permissions")), me.String())
		admin.Header.Del("Authorization")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/tokens/"+id+"/revoke", nil).Status)
		admin.Header.Set("Authorization", "Api-Token "+tok)
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users", nil), 401, "auth.tokenRevoked")
		admin.Header.Del("Authorization")
		require.Equal(t, 200, admin.Do("GET", "/api/v1/users", nil).Status, "the session itself still works")

		_, w := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "writer", "scopes": []string{"users.write"}})
		sess := testutil.Cookie(testutil.Login(a, "tech_admin", testutil.AdminPassword), "custos_session")
		require.NotNil(t, sess)
		r := testutil.Raw(t, a, "POST", "/api/v1/users", []byte(`{"login":"no-csrf"}`), map[string]string{
			"Cookie": "custos_session=" + sess.Value, "Authorization": "Api-Token " + w})
		require.Equal(t, 201, r.Status, "no CSRF header needed with a token: %s", r)
		r = testutil.Raw(t, a, "POST", "/api/v1/users", []byte(`{"login":"no-csrf-2"}`), map[string]string{"Cookie": "custos_session=" + sess.Value})
		testutil.AssertProblem(t, r, 403, "auth.csrf")
	})
}
