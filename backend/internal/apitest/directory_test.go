package apitest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestCustomGroups(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		g := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "Служба поддержки",
			"permissions": []string{"users.read", "audit.read", "users.read"}})
		assert.Equal(t, []string{"audit.read", "users.read"}, testutil.Strings(g.Get("permissions")), "sorted, deduplicated")
		assert.Equal(t, false, g.Get("system"))

		r := c.Do("POST", "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "again"})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "taken", testutil.FieldCode(r, "code"))
		r = c.Do("POST", "/api/v1/groups", map[string]any{"code": "bad", "name": "x", "permissions": []string{"users.drop"}})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"permissions"}, testutil.FieldsOf(r))
		assert.Equal(t, int64(0), testutil.Count(t, a, "groups", "code = ?", "bad"))

		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "hd", "password": "Help-Desk-Lamp-8",
			"group_ids": []string{g.Str("id")}})
		hd := a.Login("hd", "Help-Desk-Lamp-8")
		assert.Equal(t, 200, hd.Do("GET", "/api/v1/audit", nil).Status)
		assert.Equal(t, 200, hd.Do("GET", "/api/v1/users", nil).Status)
		testutil.AssertProblem(t, hd.Do("POST", "/api/v1/users", map[string]any{"login": "x"}), 403, "authz.denied")

		// New permissions apply to the members' open sessions at once.
		r = c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": 1,
			"permissions": []string{"users.read", "users.write"}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 2.0, r.Num("version"))
		testutil.MustCreate(t, hd, "/api/v1/users", map[string]any{"login": "made-by-hd"})
		testutil.AssertProblem(t, hd.Do("GET", "/api/v1/audit", nil), 403, "authz.denied")
		testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": 1, "name": "x"}),
			409, "resource.versionConflict")

		// System groups: renaming is fine, deleting and re-permissioning are not.
		ops := c.Do("GET", "/api/v1/groups/"+testutil.GroupID(t, a, "operators"), nil)
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/groups/"+ops.Str("id"), nil), 422, "group.systemCannotBeDeleted")
		r = c.Do("PATCH", "/api/v1/groups/"+ops.Str("id"), map[string]any{"version": ops.Num("version"), "code": "ops"})
		testutil.AssertProblem(t, r, 422, "group.systemReadOnly")
		r = c.Do("PATCH", "/api/v1/groups/"+ops.Str("id"), map[string]any{"version": ops.Num("version"), "name": "Операторы"})
		require.Equal(t, 200, r.Status, r.String())

		require.Equal(t, 204, c.Do("DELETE", "/api/v1/groups/"+g.Str("id"), nil).Status)
		assert.Empty(t, testutil.Strings(hd.Do("GET", "/api/v1/auth/me", nil).Get("permissions")), "deleting the group revokes at once")
		testutil.AssertProblem(t, hd.Do("GET", "/api/v1/users", nil), 403, "authz.denied")
		assert.Equal(t, int64(0), testutil.Count(t, a, "casbin_rule", "v0 = ?", "helpdesk"))
	})
}

func TestBulkDelete(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		g1 := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "g1", "name": "G1"}).Str("id")
		g2 := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "g2", "name": "G2", "permissions": []string{"users.read"}}).Str("id")
		sys, unknown := testutil.GroupID(t, a, "auditors"), uuid.NewString()
		r := c.Do("POST", "/api/v1/groups/bulk-delete", map[string]any{"ids": []string{g1, sys, unknown, g2, "not-a-uuid"}})
		require.Equal(t, 200, r.Status, r.String())
		want := []struct {
			id   string
			ok   bool
			code string
		}{{g1, true, ""}, {sys, false, "group.systemCannotBeDeleted"}, {unknown, false, "resource.notFound"},
			{g2, true, ""}, {"not-a-uuid", false, "resource.notFound"}}
		require.Equal(t, len(want), r.Len("results"))
		for i, w := range want {
			p := fmt.Sprintf("results.%d.", i)
			assert.Equal(t, w.id, r.Str(p+"id"))
			assert.Equal(t, w.ok, r.Get(p+"ok"), w.id)
			assert.Equal(t, w.code, r.Str(p+"code"), w.id)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "groups", "id IN ?", []string{g1, g2}))
		assert.Equal(t, int64(6), testutil.Count(t, a, "groups", ""), "system groups remain")
		assert.Equal(t, int64(0), testutil.Count(t, a, "casbin_rule", "v0 = ?", "g2"))

		u1 := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "u1"}).Str("id")
		u2 := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "u2"}).Str("id")
		r = c.Do("POST", "/api/v1/users/bulk-delete", map[string]any{"ids": []string{u1, unknown, testutil.UserID(t, a, "tech_admin"), u2}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, []any{true, false, false, true},
			[]any{r.Get("results.0.ok"), r.Get("results.1.ok"), r.Get("results.2.ok"), r.Get("results.3.ok")})
		assert.Equal(t, "resource.notFound", r.Str("results.1.code"))
		assert.Equal(t, "user.techAdminProtected", r.Str("results.2.code"))
		assert.NotEmpty(t, r.Str("results.2.message"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "users", ""), "only tech_admin is left")

		testutil.AssertProblem(t, c.Do("POST", "/api/v1/users/bulk-delete", map[string]any{"ids": []string{}}), 400, "validation.failed")
	})
}

func TestUserTypeQuota(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		ut := testutil.MustCreate(t, c, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Сотрудники", "quota": 2})
		tid := ut.Str("id")
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "s1", "user_type_id": tid})
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "s2", "user_type_id": tid})
		r := c.Do("POST", "/api/v1/users", map[string]any{"login": "s3", "user_type_id": tid})
		testutil.AssertProblem(t, r, 409, "userType.quotaExceeded")
		assert.Equal(t, int64(0), testutil.Count(t, a, "users", "login = ?", "s3"))

		// An inactive user fits; activating it does not.
		s3 := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "s3", "user_type_id": tid, "active": false})
		r = c.Do("PATCH", "/api/v1/users/"+s3.Str("id"), map[string]any{"version": 1, "active": true})
		testutil.AssertProblem(t, r, 409, "userType.quotaExceeded")
		r = c.Do("POST", "/api/v1/users/bulk-activate", map[string]any{"ids": []string{s3.Str("id")}, "active": true})
		assert.Equal(t, "userType.quotaExceeded", r.Str("results.0.code"))
		got := c.Do("GET", "/api/v1/user-types/"+tid, nil)
		assert.Equal(t, 2.0, got.Num("active_users"))

		r = c.Do("PATCH", "/api/v1/user-types/"+tid, map[string]any{"version": 1, "quota": 3})
		require.Equal(t, 200, r.Status, r.String())
		r = c.Do("PATCH", "/api/v1/users/"+s3.Str("id"), map[string]any{"version": 1, "active": true})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 3.0, c.Do("GET", "/api/v1/user-types/"+tid, nil).Num("active_users"))
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/user-types/"+tid, nil), 422, "userType.inUse")
		r = c.Do("POST", "/api/v1/users", map[string]any{"login": "s4", "user_type_id": uuid.NewString()})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "notFound", testutil.FieldCode(r, "user_type_id"))
	})
}

func TestUserTypeQuotaUnderConcurrency(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		tid := testutil.MustCreate(t, c, "/api/v1/user-types", map[string]any{"code": "seat", "name": "Seat", "quota": 3}).Str("id")
		const n = 10
		statuses := make([]*testutil.Resp, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				statuses[i] = c.Do("POST", "/api/v1/users", map[string]any{"login": fmt.Sprintf("racer%d", i), "user_type_id": tid})
			}(i)
		}
		close(start)
		wg.Wait()
		created := 0
		for _, r := range statuses {
			switch r.Status {
			case 201:
				created++
			case 409:
				assert.Equal(t, "userType.quotaExceeded", r.Str("code"))
			default:
				t.Errorf("unexpected answer: %s", r)
			}
		}
		assert.Equal(t, 3, created, "exactly the quota is created")
		assert.Equal(t, int64(3), testutil.Count(t, a, "users", "user_type_id = ? AND active = ?", tid, true))
	})
}

func TestLicence(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		l := c.Do("GET", "/api/v1/settings/licence", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, "on_premise", l.Str("access_type"))
		assert.Equal(t, 1.0, l.Num("version"))
		r := c.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "cloud", "version": 1})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "cloud", r.Str("access_type"))
		assert.Equal(t, 2.0, r.Num("version"))
		r = c.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "on_premise", "version": 1})
		testutil.AssertProblem(t, r, 409, "resource.versionConflict")
		assert.Equal(t, "cloud", r.Str("current.access_type"))
		assert.Equal(t, 2.0, r.Num("current.version"))
		r = c.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "saas", "version": 2})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"access_type"}, testutil.FieldsOf(r))
		assert.Equal(t, "cloud", c.Do("GET", "/api/v1/settings/licence", nil).Str("access_type"))
		// administrators hold everything but settings.write: they read, they do not change.
		adm := a.As("administrators")
		assert.Equal(t, 200, adm.Do("GET", "/api/v1/settings/licence", nil).Status)
		testutil.AssertProblem(t, adm.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "on_premise", "version": 2}),
			403, "authz.denied")
	})
}

func TestAttributes(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		l := c.Do("GET", "/api/v1/attributes?q=user_roles", nil)
		require.Equal(t, 200, l.Status, l.String())
		require.Equal(t, 1.0, l.Num("total"))
		roles := l.Str("items.0.id")
		assert.Equal(t, true, l.Get("items.0.system"))
		assert.Equal(t, "list", l.Str("items.0.type"))
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/attributes/"+roles, nil), 422, "attribute.systemCannotBeDeleted")
		r := c.Do("POST", "/api/v1/attributes/bulk-delete", map[string]any{"ids": []string{roles}})
		assert.Equal(t, "attribute.systemCannotBeDeleted", r.Str("results.0.code"))
		r = c.Do("PATCH", "/api/v1/attributes/"+roles, map[string]any{"version": 1, "code": "roles"})
		testutil.AssertProblem(t, r, 422, "attribute.systemReadOnly")
		assert.Equal(t, int64(1), testutil.Count(t, a, "attributes", "code = ?", "user_roles"))

		dep := testutil.MustCreate(t, c, "/api/v1/attributes", map[string]any{"code": "department", "name": "Отдел", "type": "string"})
		r = c.Do("POST", "/api/v1/attributes", map[string]any{"code": "region", "name": "Регион", "type": "number"})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"type"}, testutil.FieldsOf(r))
		require.Equal(t, 204, c.Do("DELETE", "/api/v1/attributes/"+dep.Str("id"), nil).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/attributes/"+dep.Str("id"), nil), 404, "resource.notFound")
	})
}
