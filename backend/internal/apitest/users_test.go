package apitest

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestUserCRUD(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		auditors := testutil.GroupID(t, a, "auditors")
		u := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "Anna.K", "email": "anna@example.org",
			"display_name": "Анна Каренина", "password": "anna-password-1", "group_ids": []string{auditors},
			"extra_attributes": map[string]any{"department": "R&D"}})
		id := u.Str("id")
		_, err := uuid.Parse(id)
		require.NoError(t, err, "ids are UUIDs")
		assert.Equal(t, "anna.k", u.Str("login"), "logins are stored lower-cased")
		assert.Equal(t, true, u.Get("active"), "new users are active by default")
		assert.Equal(t, []string{auditors}, testutil.Strings(u.Get("group_ids")))
		assert.Equal(t, "R&D", u.Str("extra_attributes.department"))
		assert.Equal(t, 1.0, u.Num("version"))
		assert.NotContains(t, string(u.Body), "anna-password-1")
		assert.NotContains(t, string(u.Body), "argon2")

		// The password works: the user signs in with any case of the login.
		anna := a.Login("ANNA.k", "anna-password-1")
		assert.Equal(t, id, anna.Do("GET", "/api/v1/auth/me", nil).Str("user.id"))

		for _, dup := range []string{"anna.k", "ANNA.K", " Anna.K "} {
			r := c.Do("POST", "/api/v1/users", map[string]any{"login": dup})
			testutil.AssertProblem(t, r, 400, "validation.failed")
			assert.Equal(t, "taken", testutil.FieldCode(r, "login"), r.String())
		}
		assert.Equal(t, int64(1), testutil.Count(t, a, "users", "login = ?", "anna.k"))

		got := c.Do("GET", "/api/v1/users/"+id, nil)
		require.Equal(t, 200, got.Status)
		assert.Equal(t, "Анна Каренина", got.Str("display_name"))

		r := c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": 1, "display_name": "Anna Karenina"})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 2.0, r.Num("version"))
		assert.Equal(t, "anna@example.org", r.Str("email"), "absent fields stay as they are")

		// A second admin who still holds version 1 gets 409 and the fresh state.
		stale := c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": 1, "display_name": "Overwritten"})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		assert.Equal(t, "Anna Karenina", stale.Str("current.display_name"))
		assert.Equal(t, 2.0, stale.Num("current.version"))
		got = c.Do("GET", "/api/v1/users/"+id, nil)
		assert.Equal(t, "Anna Karenina", got.Str("display_name"), "the stale write changed nothing")
		assert.Equal(t, 2.0, got.Num("version"))
		testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"display_name": "x"}), 400, "validation.failed")

		// Set password: the old one stops working, the new one works.
		r = c.Do("POST", "/api/v1/users/"+id+"/password", map[string]any{"password": "short"})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "tooShort", testutil.FieldCode(r, "password"))
		require.Equal(t, 204, c.Do("POST", "/api/v1/users/"+id+"/password", map[string]any{"password": "anna-password-2"}).Status)
		testutil.AssertProblem(t, testutil.Login(a, "anna.k", "anna-password-1"), 401, "auth.invalidCredentials")
		require.Equal(t, 200, testutil.Login(a, "anna.k", "anna-password-2").Status)

		// Deactivate and activate.
		v := c.Do("GET", "/api/v1/users/"+id, nil).Num("version")
		r = c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": v, "active": false})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, false, r.Get("active"))
		testutil.AssertProblem(t, testutil.Login(a, "anna.k", "anna-password-2"), 403, "auth.accountDisabled")
		r = c.Do("POST", "/api/v1/users/bulk-activate", map[string]any{"ids": []string{id}, "active": true})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("results.0.ok"))
		require.Equal(t, 200, testutil.Login(a, "anna.k", "anna-password-2").Status)

		// Filters and search of the list.
		list := c.Do("GET", "/api/v1/users?q=karenina&active=true&sort=login&order=asc", nil)
		require.Equal(t, 200, list.Status, list.String())
		assert.Equal(t, 1.0, list.Num("total"))
		assert.Equal(t, id, list.Str("items.0.id"))
		list = c.Do("GET", "/api/v1/users?group_id="+auditors, nil)
		assert.Equal(t, 1.0, list.Num("total"))

		require.Equal(t, 204, c.Do("DELETE", "/api/v1/users/"+id, nil).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users/"+id, nil), 404, "resource.notFound")
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/users/"+id, nil), 404, "resource.notFound")
		testutil.AssertProblem(t, testutil.Login(a, "anna.k", "anna-password-2"), 401, "auth.invalidCredentials")
	})
}

func TestGroupChangeTakesEffectAtOnce(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "petr", "password": "Stone-Bridge-62",
			"group_ids": []string{testutil.GroupID(t, a, "users")}})
		petr := a.Login("petr", "Stone-Bridge-62")
		assert.Equal(t, []string{"selfservice"}, testutil.Strings(petr.Do("GET", "/api/v1/auth/me", nil).Get("permissions")))
		testutil.AssertProblem(t, petr.Do("GET", "/api/v1/users", nil), 403, "authz.denied")

		r := admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 1,
			"group_ids": []string{testutil.GroupID(t, a, "auditors")}})
		require.Equal(t, 200, r.Status, r.String())
		me := petr.Do("GET", "/api/v1/auth/me", nil) // the same session
		assert.Contains(t, testutil.Strings(me.Get("permissions")), "users.read")
		assert.Contains(t, testutil.Strings(me.Get("permissions")), "audit.read")
		assert.NotContains(t, testutil.Strings(me.Get("permissions")), "selfservice")
		assert.Equal(t, "auditors", me.Str("groups.0.code"))
		assert.Equal(t, 200, petr.Do("GET", "/api/v1/users", nil).Status)
		testutil.AssertProblem(t, petr.Do("POST", "/api/v1/users", map[string]any{"login": "x"}), 403, "authz.denied")

		r = admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 2, "group_ids": []string{}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Empty(t, testutil.Strings(petr.Do("GET", "/api/v1/auth/me", nil).Get("permissions")))
		testutil.AssertProblem(t, petr.Do("GET", "/api/v1/users", nil), 403, "authz.denied")

		r = admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 3,
			"group_ids": []string{uuid.NewString()}})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "notFound", testutil.FieldCode(r, "group_ids"))
	})
}

func TestTechAdminIsProtected(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		id := testutil.UserID(t, a, "tech_admin")
		before := c.Do("GET", "/api/v1/users/"+id, nil)
		require.Equal(t, 200, before.Status)
		v := before.Num("version")
		cases := []struct {
			name, method, path string
			body               any
		}{
			{"delete", "DELETE", "/api/v1/users/" + id, nil},
			{"deactivate", "PATCH", "/api/v1/users/" + id, map[string]any{"version": v, "active": false}},
			{"rename", "PATCH", "/api/v1/users/" + id, map[string]any{"version": v, "login": "root"}},
			{"drop tech_admins", "PATCH", "/api/v1/users/" + id, map[string]any{"version": v,
				"group_ids": []string{testutil.GroupID(t, a, "administrators")}}},
			{"bulk deactivate", "POST", "/api/v1/users/bulk-activate", map[string]any{"ids": []string{id}, "active": false}},
			{"bulk delete", "POST", "/api/v1/users/bulk-delete", map[string]any{"ids": []string{id}}},
		}
		for _, tc := range cases {
			r := c.Do(tc.method, tc.path, tc.body)
			if tc.method == "POST" {
				require.Equal(t, 200, r.Status, "%s: %s", tc.name, r)
				assert.Equal(t, false, r.Get("results.0.ok"), tc.name)
				assert.Equal(t, "user.techAdminProtected", r.Str("results.0.code"), tc.name)
				continue
			}
			testutil.AssertProblem(t, r, 422, "user.techAdminProtected")
		}
		after := c.Do("GET", "/api/v1/users/"+id, nil)
		assert.Equal(t, v, after.Num("version"), "nothing changed")
		assert.Equal(t, true, after.Get("active"))
		assert.Equal(t, []string{testutil.GroupID(t, a, "tech_admins")}, testutil.Strings(after.Get("group_ids")))
		require.Equal(t, 200, testutil.Login(a, "tech_admin", testutil.AdminPassword).Status)
		// Allowed: more groups, a new display name.
		r := c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": v, "display_name": "Root",
			"group_ids": []string{testutil.GroupID(t, a, "tech_admins"), testutil.GroupID(t, a, "auditors")}})
		require.Equal(t, 200, r.Status, r.String())
		// The built-in group itself cannot be removed or have its permissions cut.
		g := c.Do("GET", "/api/v1/groups/"+testutil.GroupID(t, a, "tech_admins"), nil)
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/groups/"+g.Str("id"), nil), 422, "group.systemCannotBeDeleted")
		r = c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": g.Num("version"),
			"permissions": []string{"users.read"}})
		testutil.AssertProblem(t, r, 422, "group.systemReadOnly")
	})
}
