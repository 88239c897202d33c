package apitest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// escalation is one way a caller could try to gain, or hand out, more than it holds.
type escalation struct {
	name  string
	route string // the permission the route itself needs
	// guard is the code the escalation guard answers when the route lets the caller in.
	guard string
	do    func(c *testutil.Client) *testutil.Resp
}

// TestNoPrivilegeEscalation tries every escalation path as a member of each system
// group, of a custom users.write-only group, and with a personal access token of a
// users.write holder: each is refused with a 403 (authz.denied where the route needs a
// permission the caller lacks, the guard's own code otherwise), every guard refusal is
// audited, and nothing is written.
func TestNoPrivilegeEscalation(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		techID, techGroup := testutil.UserID(t, a, "tech_admin"), testutil.GroupID(t, a, "tech_admins")
		testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "uw_only", "name": "Users writers",
			"permissions": []string{authz.UsersWrite}})
		power := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "power", "name": "Power",
			"permissions": []string{authz.SettingsWrite, authz.UsersRead}}).Str("id")
		plain := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "plain", "name": "Plain",
			"permissions": []string{authz.UsersWrite}})
		boss := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "boss", "password": "Chief-Secret-42",
			"group_ids": []string{power}}).Str("id")
		typ := testutil.MustCreate(t, admin, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff"}).Str("id")
		version := func(path string) float64 { return admin.Do("GET", path, nil).Num("version") }
		selfOf := func(c *testutil.Client) (string, []any, float64) {
			me := c.Do("GET", "/api/v1/auth/me", nil)
			u := admin.Do("GET", "/api/v1/users/"+me.Str("user.id"), nil)
			g, _ := u.Get("group_ids").([]any)
			return u.Str("id"), g, u.Num("version")
		}
		n := 0
		uniq := func(p string) string { n++; return fmt.Sprintf("%s-%d", p, n) }
		paths := []escalation{
			{"create a group holding settings.write", authz.UsersWrite, "authz.grantNotHeld", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/groups", map[string]any{"code": uniq("g"), "name": "x", "permissions": []string{authz.SettingsWrite}})
			}},
			{"give a group settings.write", authz.UsersWrite, "authz.grantNotHeld", func(c *testutil.Client) *testutil.Resp {
				return c.Do("PATCH", "/api/v1/groups/"+plain.Str("id"), map[string]any{"version": version("/api/v1/groups/" + plain.Str("id")),
					"permissions": []string{authz.UsersWrite, authz.SettingsWrite}})
			}},
			{"rename tech_admins", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("PATCH", "/api/v1/groups/"+techGroup, map[string]any{"version": version("/api/v1/groups/" + techGroup), "name": "Mine"})
			}},
			{"delete a group holding more", authz.UsersWrite, "authz.groupOutranksCaller", func(c *testutil.Client) *testutil.Resp {
				return c.Do("DELETE", "/api/v1/groups/"+power, nil)
			}},
			{"join a group holding settings.write", authz.UsersWrite, "authz.grantNotHeld", func(c *testutil.Client) *testutil.Resp {
				id, groups, v := selfOf(c)
				return c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": v, "group_ids": append(groups, power)})
			}},
			{"join tech_admins", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				id, groups, v := selfOf(c)
				return c.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": v, "group_ids": append(groups, techGroup)})
			}},
			{"create a user in tech_admins", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/users", map[string]any{"login": uniq("mole"), "password": "Mole-Secret-42", "group_ids": []string{techGroup}})
			}},
			{"set tech_admin's password", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/users/"+techID+"/password", map[string]any{"password": "Taken-Over-42"})
			}},
			{"reset the password of an account holding more", authz.UsersWrite, "authz.targetOutranksCaller", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/users/"+boss+"/password", map[string]any{"password": "Taken-Over-42"})
			}},
			{"deactivate an account holding more", authz.UsersWrite, "authz.targetOutranksCaller", func(c *testutil.Client) *testutil.Resp {
				return c.Do("PATCH", "/api/v1/users/"+boss, map[string]any{"version": version("/api/v1/users/" + boss), "active": false})
			}},
			{"give tech_admin a user type", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("PATCH", "/api/v1/users/"+techID, map[string]any{"version": version("/api/v1/users/" + techID), "user_type_id": typ})
			}},
			{"delete tech_admin", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("DELETE", "/api/v1/users/"+techID, nil)
			}},
			{"delete an account holding more in bulk", authz.UsersWrite, "authz.targetOutranksCaller", func(c *testutil.Client) *testutil.Resp {
				return bulkRefusal(c.Do("POST", "/api/v1/users/bulk-delete", map[string]any{"ids": []string{boss}}))
			}},
			{"deactivate tech_admin in bulk", authz.UsersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return bulkRefusal(c.Do("POST", "/api/v1/users/bulk-activate", map[string]any{"ids": []string{techID}, "active": false}))
			}},
			{"a provider whose base group holds settings.write", authz.ProvidersWrite, "authz.grantNotHeld", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/providers", map[string]any{"name": uniq("p"), "type": "oidc", "base_group_ids": []string{power}})
			}},
			{"import a provider whose base group is tech_admins", authz.ProvidersWrite, "authz.techAdminOnly", func(c *testutil.Client) *testutil.Resp {
				return c.Do("POST", "/api/v1/providers/import", []map[string]any{
					{"name": uniq("imp"), "type": "oidc", "base_groups": []string{"tech_admins"}}})
			}},
		}

		type who struct {
			name string
			c    *testutil.Client
			held func(string) bool
		}
		var callers []who
		for _, code := range []string{"administrators", "operators", "auditors", "users", "clients", "uw_only"} {
			perms := admin.Do("GET", "/api/v1/groups/"+testutil.GroupID(t, a, code), nil)
			held := map[string]bool{}
			for _, p := range testutil.Strings(perms.Get("permissions")) {
				held[p] = true
			}
			callers = append(callers, who{code, a.As(code), func(p string) bool { return held[p] }})
		}
		// A personal access token of a users.write + providers.write holder: the same rules.
		pat, _, _ := personalUser(t, a, admin, "patty", authz.UsersWrite, authz.ProvidersWrite)
		tok := testutil.MustCreate(t, pat, "/api/v1/me/tokens", map[string]any{"name": "ci",
			"scopes": []string{authz.UsersWrite, authz.ProvidersWrite, authz.SelfService}}).Str("token")
		callers = append(callers, who{"personal token", testutil.TokenClient(a, tok), func(p string) bool {
			return p == authz.UsersWrite || p == authz.ProvidersWrite
		}})

		before := snapshot(t, a)
		for _, w := range callers {
			for _, e := range paths {
				denied := testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "access.denied", "%"+e.guard+"%")
				r := e.do(w.c)
				code := e.guard
				if !w.held(e.route) {
					code = "authz.denied"
				}
				require.Equal(t, 403, r.Status, "%s: %s: %s", w.name, e.name, r)
				assert.Equal(t, code, r.Str("code"), "%s: %s", w.name, e.name)
				if code == e.guard {
					assert.Equal(t, denied+1, testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "access.denied", "%"+e.guard+"%"),
						"%s: %s is audited", w.name, e.name)
				}
			}
		}
		assert.Equal(t, before, snapshot(t, a), "no refused escalation wrote anything")
		require.Equal(t, 200, testutil.Login(a, "tech_admin", testutil.AdminPassword).Status, "tech_admin's password is unchanged")
		require.Equal(t, 200, testutil.Login(a, "boss", "Chief-Secret-42").Status, "boss's password is unchanged")

		// tech_admin itself may do what the others may not: the guard is a ceiling, not a wall.
		assert.Equal(t, 201, paths[0].do(admin).Status)
		assert.Equal(t, 201, paths[6].do(admin).Status)
	})
}

// bulkRefusal turns a bulk answer into the refusal of its one item, as a problem would
// carry it, so the matrix can assert bulk and single requests alike.
func bulkRefusal(r *testutil.Resp) *testutil.Resp {
	if r.Status != 200 {
		return r
	}
	if r.Get("results.0.ok") == true {
		return &testutil.Resp{Status: 200, JSON: map[string]any{}, Body: r.Body}
	}
	return &testutil.Resp{Status: 403, Header: r.Header, Body: r.Body,
		JSON: map[string]any{"code": r.Str("results.0.code"), "status": 403.0}}
}

// snapshot summarises what an escalation could change.
func snapshot(t *testing.T, a *testutil.TestApp) map[string]any {
	t.Helper()
	var hashes []string
	require.NoError(t, a.DB.W.Table("users").Order("login").Pluck("password_hash", &hashes).Error)
	var active []bool
	require.NoError(t, a.DB.W.Table("users").Order("login").Pluck("active", &active).Error)
	return map[string]any{
		"users": testutil.Count(t, a, "users", ""), "groups": testutil.Count(t, a, "groups", ""), "memberships": testutil.Count(t, a, "user_groups", ""),
		"policies": testutil.Count(t, a, "casbin_rule", ""), "providers": testutil.Count(t, a, "providers", ""),
		"typed": testutil.Count(t, a, "users", "user_type_id IS NOT NULL"), "hashes": hashes, "active": active,
	}
}
