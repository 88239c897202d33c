package apitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestUsersCreatedByHandGetTheLocalBaseGroups: the local provider's base groups are
// given to every user an administrator creates (SPEC §5.3), in the same transaction, and
// only by a creator allowed to hand them out.
func TestUsersCreatedByHandGetTheLocalBaseGroups(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		auditors := testutil.GroupID(t, a, "auditors")
		staff := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "staff", "name": "Staff",
			"permissions": []string{authz.UsersRead}}).Str("id")
		chosen := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "chosen", "name": "Chosen"}).Str("id")

		writer := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "writers", "name": "Writers",
			"permissions": []string{authz.UsersWrite}}).Str("id")
		// A users.write holder, made before there are base groups.
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "writer", "password": "Quill-Secret-42",
			"group_ids": []string{writer}})

		// No base groups yet: a user gets exactly the groups chosen.
		u := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "before", "group_ids": []string{chosen}})
		assert.Equal(t, []string{chosen}, testutil.Strings(u.Get("group_ids")))

		lid := provLocalID(t, a)
		v := c.Do("GET", "/api/v1/providers/"+lid, nil).Num("version")
		r := c.Do("PATCH", "/api/v1/providers/"+lid, map[string]any{"version": v, "base_group_ids": []string{staff, auditors}})
		require.Equal(t, 200, r.Status, r.String())

		u = testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "after", "group_ids": []string{chosen, staff}})
		assert.ElementsMatch(t, []string{chosen, staff, auditors}, testutil.Strings(u.Get("group_ids")),
			"the chosen groups plus the base groups, each once")
		assert.Equal(t, int64(3), testutil.Count(t, a, "user_groups", "user_id = ?", u.Str("id")))
		audited := lastAudit(t, c, "create")
		assert.Equal(t, "after", audited.Str("items.0.resource_name"))
		assert.ElementsMatch(t, []string{chosen, staff, auditors}, testutil.Strings(audited.Get("items.0.diff.after.group_ids")),
			"the audit event shows the base groups given")
		got := c.Do("GET", "/api/v1/users?group_id="+auditors+"&q=after", nil)
		assert.Equal(t, 1.0, got.Num("total"), "the user is listed as a member of the base group")

		// The earlier user keeps its groups: base groups are for new users only.
		assert.Equal(t, []string{chosen}, testutil.Strings(c.Do("GET", "/api/v1/users/"+testutil.UserID(t, a, "before"), nil).Get("group_ids")))

		// A creator who may not hand out a base group (staff holds users.read, auditors
		// audit.read) creates nothing: a local account's creator also sets its password.
		w := a.Login("writer", "Quill-Secret-42")
		r = w.Do("POST", "/api/v1/users", map[string]any{"login": "sneaky", "password": "Quiet-Secret-42"})
		testutil.AssertProblem(t, r, 403, "authz.grantNotHeld")
		assert.Equal(t, int64(0), testutil.Count(t, a, "users", "login = ?", "sneaky"), "nothing half-written")

		// Emptied base groups: new users get the chosen groups only.
		v = c.Do("GET", "/api/v1/providers/"+lid, nil).Num("version")
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/providers/"+lid, map[string]any{"version": v, "base_group_ids": []string{}}).Status)
		u = w.Do("POST", "/api/v1/users", map[string]any{"login": "plain"})
		require.Equal(t, 201, u.Status, u.String())
		assert.Empty(t, testutil.Strings(u.Get("group_ids")))
	})
}
