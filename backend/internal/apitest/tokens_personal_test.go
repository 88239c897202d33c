package apitest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// personalUser creates a user in `users` (selfservice) and a custom group granting
// perms, signs them in and returns the client, the user id and the custom group.
func personalUser(t *testing.T, a *testutil.TestApp, admin *testutil.Client, login string, perms ...string) (*testutil.Client, string, *testutil.Resp) {
	t.Helper()
	g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": login + "-grp", "name": login, "permissions": perms})
	u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": login, "password": "password-123",
		"group_ids": []string{testutil.GroupID(t, a, "users"), g.Str("id")}})
	return a.Login(login, "password-123"), u.Str("id"), g
}

func TestPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		anna, annaID, grp := personalUser(t, a, admin, "anna", "users.read", "audit.read")

		r := testutil.MustCreate(t, anna, "/api/v1/me/tokens", map[string]any{"name": "laptop", "scopes": []string{"users.read", "selfservice"}})
		id, tok := r.Str("id"), r.Str("token")
		assert.Equal(t, "csp01", r.Str("prefix"))
		assert.Equal(t, "personal", r.Str("kind"))
		assert.Equal(t, annaID, r.Str("owner_id"))
		assert.Equal(t, "anna", r.Str("created_by"))

		// Scopes are limited to what the owner holds.
		x := anna.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "greedy", "scopes": []string{"users.write"}})
		testutil.AssertProblem(t, x, 403, "token.scopeNotHeld")

		c := testutil.TokenClient(a, tok)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/audit", nil), 403, "authz.denied") // held by anna, not in the token
		me := c.Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, annaID, me.Str("user.id"))
		assert.Equal(t, []string{"selfservice", "users.read"}, testutil.Strings(me.Get("permissions")))
		ev := c.Do("GET", "/api/v1/me/tokens", nil)
		require.Equal(t, 200, ev.Status, "a personal token with selfservice lists its owner's tokens: %s", ev)
		assert.Equal(t, 1.0, ev.Num("total"))

		// A token never mints or widens tokens; only a browser session does.
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "child", "scopes": []string{"users.read"}}),
			403, "token.sessionRequired")
		testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/me/tokens/"+id, map[string]any{"version": 1, "name": "y"}),
			403, "token.sessionRequired")

		// The owner loses users.read (group permissions change): so does the token, at once.
		v := grp.Num("version")
		up := admin.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v, "permissions": []string{"audit.read"}})
		require.Equal(t, 200, up.Status, up.String())
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "authz.denied")
		up = admin.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v + 1, "permissions": []string{"users.read"}})
		require.Equal(t, 200, up.Status, up.String())
		require.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status)

		// The owner leaves the group: the token loses users.read at once.
		u := admin.Do("GET", "/api/v1/users/"+annaID, nil)
		up = admin.Do("PATCH", "/api/v1/users/"+annaID, map[string]any{"version": u.Num("version"),
			"group_ids": []string{testutil.GroupID(t, a, "users")}})
		require.Equal(t, 200, up.Status, up.String())
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "authz.denied")
		require.Equal(t, 200, c.Do("GET", "/api/v1/me/tokens", nil).Status, "selfservice is still held")

		// The owner is deactivated: the token stops working altogether.
		u = admin.Do("GET", "/api/v1/users/"+annaID, nil)
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/users/"+annaID, map[string]any{"version": u.Num("version"), "active": false}).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/me/tokens", nil), 401, "auth.tokenOwnerInactive")

		// Others cannot see or touch anna's tokens; the organisation list does not show them.
		bob, _, _ := personalUser(t, a, admin, "bob", "users.read")
		testutil.AssertProblem(t, bob.Do("GET", "/api/v1/me/tokens/"+id, nil), 404, "resource.notFound")
		testutil.AssertProblem(t, bob.Do("POST", "/api/v1/me/tokens/"+id+"/revoke", nil), 404, "resource.notFound")
		testutil.AssertProblem(t, bob.Do("DELETE", "/api/v1/me/tokens/"+id, nil), 404, "resource.notFound")
		assert.Equal(t, 0.0, bob.Do("GET", "/api/v1/me/tokens", nil).Num("total"))
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/tokens/"+id, nil), 404, "resource.notFound")
		assert.Equal(t, 0.0, admin.Do("GET", "/api/v1/tokens", nil).Num("total"))

		// Deleting the owner deletes the tokens.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/users/"+annaID, nil).Status)
		assert.Equal(t, int64(0), testutil.Count(t, a, "api_tokens", "owner_id = ?", annaID))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/me/tokens", nil), 401, "auth.tokenOwnerInactive")
	})
}

func TestPersonalTokenLimitAndOrganisationTokens(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		olga, _, _ := personalUser(t, a, admin, "olga", "users.read")
		var ids []string
		for i := 1; i <= 5; i++ {
			id, _ := testutil.NewToken(t, olga, "/api/v1/me/tokens", map[string]any{"name": fmt.Sprintf("t%d", i), "scopes": []string{"users.read"}})
			ids = append(ids, id)
		}
		sixth := olga.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "t6", "scopes": []string{"users.read"}})
		testutil.AssertProblem(t, sixth, 422, "token.personalLimit")
		assert.Equal(t, 5.0, olga.Do("GET", "/api/v1/me/tokens", nil).Num("total"))
		// A revoked token no longer counts; revoked ones stay listed.
		require.Equal(t, 200, olga.Do("POST", "/api/v1/me/tokens/"+ids[0]+"/revoke", nil).Status)
		testutil.NewToken(t, olga, "/api/v1/me/tokens", map[string]any{"name": "t6", "scopes": []string{"users.read"}})
		testutil.AssertProblem(t, olga.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "t7", "scopes": []string{"users.read"}}),
			422, "token.personalLimit")
		assert.Equal(t, 6.0, olga.Do("GET", "/api/v1/me/tokens", nil).Num("total"))
		assert.Equal(t, 5.0, olga.Do("GET", "/api/v1/me/tokens?status=active", nil).Num("total"))
		r := olga.Do("POST", "/api/v1/me/tokens/bulk-delete", map[string]any{"ids": ids[:2]})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("results.0.ok"))
		assert.Equal(t, true, r.Get("results.1.ok"))
		assert.Equal(t, 4.0, olga.Do("GET", "/api/v1/me/tokens", nil).Num("total"))

		// Operators hold no selfservice, so no personal tokens; an organisation token
		// belongs to no user and has none either.
		testutil.AssertProblem(t, a.As("operators").Do("GET", "/api/v1/me/tokens", nil), 403, "authz.denied")
		_, org := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "org", "scopes": []string{"users.read"}})
		testutil.AssertProblem(t, testutil.TokenClient(a, org).Do("GET", "/api/v1/me/tokens", nil), 403, "authz.denied")

		// An organisation token with apiTokens.write manages tokens, within its own scopes.
		_, mgr := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "manager",
			"scopes": []string{"apiTokens.read", "apiTokens.write", "users.read"}})
		m := testutil.TokenClient(a, mgr)
		made := testutil.MustCreate(t, m, "/api/v1/tokens", map[string]any{"name": "made by a token", "scopes": []string{"users.read"}})
		assert.Equal(t, "manager", made.Str("created_by"))
		assert.Nil(t, made.Get("created_by_id"))
		testutil.AssertProblem(t, m.Do("POST", "/api/v1/tokens", map[string]any{"name": "wider", "scopes": []string{"users.write"}}),
			403, "token.scopeNotHeld")
	})
}

func TestTokenUpdateAndList(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "Reporting", "scopes": []string{"users.read"}})
		testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "Backup", "scopes": []string{"audit.read"}})
		testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "Отчёты", "scopes": []string{"audit.read", "users.read"}})
		c := testutil.TokenClient(a, tok)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status)

		// Changing scopes takes effect on the next request (the cache is dropped).
		r := admin.Do("PATCH", "/api/v1/tokens/"+id, map[string]any{"version": 1, "name": "Reporting v2", "scopes": []string{"audit.read"}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 2.0, r.Num("version"))
		assert.Equal(t, "Reporting v2", r.Str("name"))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 403, "authz.denied")
		require.Equal(t, 200, c.Do("GET", "/api/v1/audit", nil).Status)
		stale := admin.Do("PATCH", "/api/v1/tokens/"+id, map[string]any{"version": 1, "name": "stale"})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		assert.Equal(t, "Reporting v2", stale.Str("current.name"))
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/tokens/"+id, map[string]any{"version": 2, "scopes": []string{"nope"}}), 400, "validation.failed")

		require.NoError(t, a.Tokens.Flush(testutil.Ctx()))
		names := func(q string) []string {
			res := admin.Do("GET", "/api/v1/tokens?"+q, nil)
			require.Equal(t, 200, res.Status, res.String())
			var out []string
			for i := 0; i < res.Len("items"); i++ {
				out = append(out, res.Str(fmt.Sprintf("items.%d.name", i)))
			}
			return out
		}
		assert.Equal(t, []string{"Backup", "Reporting v2", "Отчёты"}, names("sort=name&order=asc"))
		assert.Equal(t, []string{"Отчёты"}, names("q=ОТЧЁ"), "case-insensitive, Cyrillic too")
		assert.Equal(t, []string{"Backup", "Reporting v2", "Отчёты"}, names("scope=audit.read&sort=name"))
		assert.Equal(t, []string{"Отчёты"}, names("scope=users.read"))
		assert.Equal(t, []string{"Reporting v2"}, names("sort=last_used_at&order=desc&page_size=1"), "used tokens first")
		for _, bad := range []string{"sort=secret_hash", "status=gone", "scope=users.delete", "page_size=500", "owner_id=x"} {
			res := admin.Do("GET", "/api/v1/tokens?"+bad, nil)
			require.Equal(t, 400, res.Status, "%s: %s", bad, res)
			assert.Contains(t, res.Str("code"), "list.invalid", bad)
		}
	})
}

// Concurrent creates cannot push a user past 5 live personal tokens.
func TestPersonalTokenLimitUnderConcurrency(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		ivan, ivanID, _ := personalUser(t, a, admin, "ivan", "users.read")
		var wg sync.WaitGroup
		statuses := make([]int, 10)
		for i := range statuses {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				statuses[i] = ivan.Do("POST", "/api/v1/me/tokens", map[string]any{"name": fmt.Sprintf("c%d", i), "scopes": []string{"users.read"}}).Status
			}(i)
		}
		wg.Wait()
		created := 0
		for _, s := range statuses {
			assert.Contains(t, []int{201, 422}, s)
			if s == 201 {
				created++
			}
		}
		assert.Equal(t, 5, created, "%v", statuses)
		assert.Equal(t, int64(5), testutil.Count(t, a, "api_tokens", "owner_id = ?", ivanID))
	})
}
