package app_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/app"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// grants is SPEC §2.2 written out independently of the seed migration: which
// permissions each system group holds.
var grants = map[string]func(perm string) bool{
	"tech_admins":    func(string) bool { return true },
	"administrators": func(p string) bool { return p != authz.SettingsWrite },
	"operators":      func(p string) bool { return strings.HasPrefix(p, "devices.") || p == authz.UsersRead },
	"auditors":       func(p string) bool { return strings.HasSuffix(p, ".read") },
	"users":          func(p string) bool { return p == authz.SelfService },
	"clients":        func(p string) bool { return p == authz.Cabinet },
}

func routeKey(method, path string) string { return method + " " + path }

// publicAPI are the only API routes anyone may call: the ways of signing in.
var publicAPI = []string{
	"POST /api/v1/auth/login",
	"POST /api/v1/auth/login/second-factor",
	"POST /api/v1/auth/login/second-factor/passkey",
	"POST /api/v1/auth/passkey/begin",
	"POST /api/v1/auth/passkey/finish",
	"GET /api/v1/auth/certificate",
	"POST /api/v1/auth/login/certificate",
	"POST /api/v1/auth/login/second-factor/certificate",
	"GET /api/v1/auth/providers",
	"GET /api/v1/auth/oidc/:id/start",
	"GET /api/v1/auth/oidc/callback",
	"GET /api/v1/auth/oidc/silent",
	"POST /api/v1/auth/oidc-token/session",
	"GET /api/v1/auth/kerberos",
	"POST /api/v1/auth/rest/:id/session",
}

// concrete turns a route pattern into a request path with fake ids.
func concrete(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = uuid.NewString()
		}
	}
	return strings.Join(parts, "/")
}

func bodyFor(method string) any {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return map[string]any{} // invalid for every endpoint: nothing gets written
	}
	return nil
}

func TestEveryServedRouteIsDeclaredWithADecision(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	declared := map[string]app.Route{}
	for _, r := range a.Routes {
		k := routeKey(r.Method, r.Path)
		assert.NotContains(t, declared, k, "route declared twice")
		declared[k] = r
		if r.Access == authz.Permission {
			assert.True(t, authz.Valid(r.Perm), "%s needs the unknown permission %q", k, r.Perm)
		} else {
			assert.Empty(t, r.Perm, "%s is not permission-guarded but names %q", k, r.Perm)
		}
	}
	served := a.Echo.Routes()
	require.NotEmpty(t, served)
	seen := map[string]bool{}
	for _, r := range served {
		k := routeKey(r.Method, r.Path)
		seen[k] = true
		d, ok := declared[k]
		if !assert.True(t, ok, "%s is served but missing from the table in routes.go", k) {
			continue
		}
		if strings.HasPrefix(r.Path, "/api/v1/") && d.Access == authz.Public {
			assert.Contains(t, publicAPI, k, "API route is public")
		}
	}
	for k := range declared {
		assert.True(t, seen[k], "%s is declared but not served", k)
	}
}

func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		var guarded []app.Route
		for _, r := range a.Routes {
			if r.Access == authz.Permission {
				guarded = append(guarded, r)
			}
		}
		require.NotEmpty(t, guarded)
		for _, group := range authz.SystemGroups {
			holds, ok := grants[group]
			require.True(t, ok, "system group %s has no expectation in this test", group)
			c := a.As(group)
			var want []string
			for _, p := range authz.All {
				if holds(p) {
					want = append(want, p)
				}
			}
			sort.Strings(want)
			me := c.Do("GET", "/api/v1/auth/me", nil)
			require.Equal(t, 200, me.Status, me.String())
			assert.ElementsMatch(t, want, testutil.Strings(me.Get("permissions")), "permissions of %s", group)
			for _, r := range guarded {
				res := c.Do(r.Method, concrete(r.Path), bodyFor(r.Method))
				name := group + " " + routeKey(r.Method, r.Path)
				assert.Less(t, res.Status, 500, "%s: %s", name, res)
				if holds(r.Perm) {
					assert.NotContains(t, []int{401, 403}, res.Status, "%s must be allowed: %s", name, res)
				} else {
					assert.Equal(t, 403, res.Status, "%s must be denied: %s", name, res)
					assert.Equal(t, "authz.denied", res.Str("code"), name)
				}
			}
			for _, r := range a.Routes { // signed-in routes are open to every group
				if r.Access == authz.Authenticated && r.Method == http.MethodGet {
					res := c.Do(r.Method, r.Path, nil)
					assert.Equal(t, 200, res.Status, "%s %s: %s", group, r.Path, res)
				}
			}
		}
	})
}

func TestAnonymousIsUnauthenticatedEverywhereButPublicRoutes(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	c := a.Anonymous()
	n := 0
	for _, r := range a.Routes {
		if r.Access == authz.Public {
			continue
		}
		n++
		res := c.Do(r.Method, concrete(r.Path), bodyFor(r.Method))
		testutil.AssertProblem(t, res, 401, "auth.unauthenticated")
	}
	assert.Greater(t, n, 30)
}

func TestHealthAndFallbacks(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Anonymous()
		for _, p := range []string{"/healthz", "/readyz"} {
			r := c.Do("GET", p, nil)
			require.Equal(t, 200, r.Status, "%s: %s", p, r)
			assert.Equal(t, "ok", r.Str("status"))
		}
		for _, m := range []string{"GET", "POST", "DELETE"} {
			r := c.Do(m, "/api/v1/whatever", nil)
			testutil.AssertProblem(t, r, 404, "route.notFound")
			assert.NotContains(t, string(r.Body), "<html")
		}
		r := a.Admin().Do("GET", "/api/v1/users/"+uuid.NewString()+"/nothing-here", nil)
		testutil.AssertProblem(t, r, 404, "route.notFound")

		r = c.Do("GET", "/users/123", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "text/html"), r.Header.Get("Content-Type"))
		assert.Contains(t, strings.ToLower(string(r.Body)), "<!doctype html>")

		r = c.Do("GET", "/api/openapi.json", nil)
		require.Equal(t, 200, r.Status)
		assert.NotNil(t, r.Get("paths"), "the OpenAPI document has paths")
	})
}

// Every guarded route admits a token holding exactly its permission and denies a
// token holding every other one: the route table's decisions hold for tokens too.
func TestTokenScopeMatrix(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		only, allBut := map[string]string{}, map[string]string{}
		for _, p := range authz.All {
			path, pool := "/api/v1/tokens", []string{}
			if p == authz.SelfService {
				path = "/api/v1/me/tokens" // selfservice is a personal scope
			}
			for _, q := range authz.All {
				if q != p && q != authz.SelfService {
					pool = append(pool, q)
				}
			}
			_, only[p] = testutil.NewToken(t, admin, path, map[string]any{"name": "only " + p, "scopes": []string{p}})
			_, allBut[p] = testutil.NewToken(t, admin, path, map[string]any{"name": "all but " + p, "scopes": pool})
		}
		n := 0
		for _, r := range a.Routes {
			if r.Access != authz.Permission {
				continue
			}
			n++
			name := routeKey(r.Method, r.Path)
			res := testutil.TokenClient(a, allBut[r.Perm]).Do(r.Method, concrete(r.Path), bodyFor(r.Method))
			assert.Equal(t, 403, res.Status, "%s with a token lacking %s: %s", name, r.Perm, res)
			assert.Equal(t, "authz.denied", res.Str("code"), name)
			res = testutil.TokenClient(a, only[r.Perm]).Do(r.Method, concrete(r.Path), bodyFor(r.Method))
			assert.Less(t, res.Status, 500, "%s: %s", name, res)
			assert.NotEqual(t, 401, res.Status, "%s: %s", name, res)
			assert.NotEqual(t, "authz.denied", res.Str("code"), "%s with a token holding %s: %s", name, r.Perm, res)
		}
		assert.Greater(t, n, 40)
	})
}
