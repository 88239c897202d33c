package apitest

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"context"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/audit"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// auditOf lists audit events matching query (url-encoded filters) as c.
func auditOf(t *testing.T, c *testutil.Client, query url.Values) *testutil.Resp {
	t.Helper()
	query.Set("page_size", "200")
	r := c.Do("GET", "/api/v1/audit?"+query.Encode(), nil)
	require.Equal(t, 200, r.Status, r.String())
	return r
}

// each returns the string at path of every item of a list response.
func each(r *testutil.Resp, path string) []string {
	out := []string{}
	for i := 0; i < r.Len("items"); i++ {
		out = append(out, r.Str("items."+strconv.Itoa(i)+"."+path))
	}
	return out
}

func TestAuditEventsCommitWithTheirChange(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		adminID := testutil.UserID(t, a, "tech_admin")
		g := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "Поддержка"})
		r := auditOf(t, c, url.Values{"resource_type": {"group"}, "resource_id": {g.Str("id")}})
		require.Equal(t, 1.0, r.Num("total"), r.String())
		assert.Equal(t, "create", r.Str("items.0.action"))
		assert.Equal(t, "user", r.Str("items.0.actor_type"))
		assert.Equal(t, adminID, r.Str("items.0.actor_id"))
		assert.Equal(t, "tech_admin", r.Str("items.0.actor_name"))
		assert.Equal(t, "helpdesk", r.Str("items.0.resource_name"))
		assert.Equal(t, g.Header.Get("X-Request-Id"), r.Str("items.0.request_id"))
		assert.NotEmpty(t, r.Str("items.0.ip"))
		assert.Equal(t, "Поддержка", r.Str("items.0.diff.after.name"))
		assert.Nil(t, r.Get("items.0.diff.before"), "a create has no before")

		// An update records only what changed.
		up := c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": 1, "name": "Helpdesk"})
		require.Equal(t, 200, up.Status, up.String())
		r = auditOf(t, c, url.Values{"resource_id": {g.Str("id")}, "action": {"update"}})
		require.Equal(t, 1.0, r.Num("total"), r.String())
		assert.Equal(t, map[string]any{"name": "Поддержка"}, r.Get("items.0.diff.before"))
		assert.Equal(t, map[string]any{"name": "Helpdesk"}, r.Get("items.0.diff.after"))

		// Failed changes write no event.
		n := testutil.Count(t, a, "audit_events", "")
		ut := testutil.MustCreate(t, c, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff", "quota": 1})
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "s1", "user_type_id": ut.Str("id")})
		n += 2
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/users", map[string]any{"login": "s2", "user_type_id": ut.Str("id")}),
			409, "userType.quotaExceeded")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/users", map[string]any{"login": "s1"}), 400, "validation.failed")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "again"}),
			400, "validation.failed")
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/users/"+adminID, nil), 422, "user.techAdminProtected")
		testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": 1, "name": "x"}),
			409, "resource.versionConflict")
		assert.Equal(t, n, testutil.Count(t, a, "audit_events", ""), "refused changes are not audited")
		assert.Equal(t, int64(0), testutil.Count(t, a, "users", "login = ?", "s2"))

		// The event is written in the change's transaction: a rollback takes both away.
		id := uuid.NewString()
		boom := errors.New("boom")
		err := a.DB.Tx(testutil.Ctx(), func(ctx context.Context) error {
			tx := a.DB.Write(ctx)
			now := time.Now().UTC()
			require.NoError(t, tx.Exec(`INSERT INTO groups (id, code, name, system, search_text, version, created_at, updated_at)
				VALUES (?, 'rolled', 'Rolled back', ?, 'rolled', 1, ?, ?)`, id, false, now, now).Error)
			require.NoError(t, audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "group",
				ResourceID: id, ResourceName: "rolled", After: map[string]any{"code": "rolled"}}))
			return boom
		})
		require.ErrorIs(t, err, boom)
		assert.Equal(t, int64(0), testutil.Count(t, a, "groups", "id = ?", id))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "resource_id = ?", id))
		assert.Equal(t, n, testutil.Count(t, a, "audit_events", ""))
	})
}

func TestAuditRedactsSecrets(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		const first, second, typo = "first-Secret-pw-1", "second-Secret-pw-2", "typo-Secret-pw-3"
		u := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "vera", "password": first})
		require.Equal(t, 204, c.Do("POST", "/api/v1/users/"+u.Str("id")+"/password", map[string]any{"password": second}).Status)
		testutil.AssertProblem(t, testutil.Login(a, "vera", typo), 401, "auth.invalidCredentials")

		r := auditOf(t, c, url.Values{"resource_id": {u.Str("id")}, "sort": {"at"}, "order": {"asc"}})
		assert.Equal(t, []string{"create", "password.set", "login.failure"}, each(r, "action"))
		assert.Equal(t, audit.Redacted, r.Str("items.0.diff.after.password"), "the create says a password was set")
		assert.Equal(t, audit.Redacted, r.Str("items.1.diff.after.password"))
		assert.NotEmpty(t, r.Str("items.2.diff.reason"))
		var diffs []string
		require.NoError(t, a.DB.W.Table("audit_events").Pluck("diff", &diffs).Error)
		for _, secret := range []string{first, second, typo, "argon2", "password_hash"} {
			assert.NotContains(t, string(r.Body), secret)
			for _, diff := range diffs {
				assert.NotContains(t, diff, secret, "stored diff")
			}
		}
	})
}

func TestAuditFilters(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "boss", "password": "Chief-Ledger-41",
			"group_ids": []string{testutil.GroupID(t, a, "administrators")}})
		boss := a.Login("boss", "Chief-Ledger-41")
		bossID := testutil.UserID(t, a, "boss")
		g1 := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "g1", "name": "G1"}).Str("id")
		g2 := testutil.MustCreate(t, boss, "/api/v1/groups", map[string]any{"code": "g2", "name": "G2"}).Str("id")
		require.Equal(t, 204, boss.Do("DELETE", "/api/v1/groups/"+g1, nil).Status)

		r := auditOf(t, c, url.Values{"resource_type": {"group"}})
		assert.ElementsMatch(t, []string{g1, g2, g1}, each(r, "resource_id"))
		r = auditOf(t, c, url.Values{"resource_id": {g1}})
		assert.ElementsMatch(t, []string{"create", "delete"}, each(r, "action"))
		r = auditOf(t, c, url.Values{"actor": {"boss"}, "resource_type": {"group"}})
		assert.ElementsMatch(t, []string{g2, g1}, each(r, "resource_id"), "actor by login")
		r = auditOf(t, c, url.Values{"actor": {bossID}, "action": {"create"}})
		assert.Equal(t, []string{g2}, each(r, "resource_id"), "actor by id, and-ed with the other filters")
		r = auditOf(t, c, url.Values{"actor": {"tech_admin"}, "action": {"create"}, "resource_type": {"group"}})
		assert.Equal(t, []string{g1}, each(r, "resource_id"))
		r = auditOf(t, c, url.Values{"action": {"delete"}})
		assert.Equal(t, []string{g1}, each(r, "resource_id"))
		assert.Equal(t, []string{"boss"}, each(r, "actor_name"))
		r = auditOf(t, c, url.Values{"action": {"login.success"}, "actor": {"nobody"}})
		assert.Equal(t, 0.0, r.Num("total"))

		// Period: the bounds are inclusive.
		created := auditOf(t, c, url.Values{"resource_id": {g2}}).Str("items.0.at")
		at, err := time.Parse(time.RFC3339Nano, created)
		require.NoError(t, err)
		r = auditOf(t, c, url.Values{"from": {created}, "to": {created}})
		assert.Contains(t, each(r, "resource_id"), g2)
		r = auditOf(t, c, url.Values{"from": {at.Add(time.Microsecond).Format(time.RFC3339Nano)}, "resource_type": {"group"}})
		assert.Equal(t, []string{g1}, each(r, "resource_id"), "only the later delete")
		r = auditOf(t, c, url.Values{"to": {at.Add(-time.Microsecond).Format(time.RFC3339Nano)}, "resource_type": {"group"}})
		assert.Equal(t, []string{g1}, each(r, "resource_id"), "only the earlier create")
		r = auditOf(t, c, url.Values{"to": {"2000-01-01T00:00:00Z"}})
		assert.Equal(t, 0.0, r.Num("total"))

		bad := []struct{ query, field, code string }{
			{"from=yesterday", "from", "list.invalidFilter"},
			{"to=2026-13-01T00:00:00Z", "to", "list.invalidFilter"},
			{"from=2026-01-02", "from", "list.invalidFilter"},
			{"action=" + strings.Repeat("x", 201), "action", "list.invalidFilter"},
			{"resource_id=%FF", "resource_id", "list.invalidEncoding"},
			{"action=a%00b", "action", "list.invalidFilter"}, // PostgreSQL answered a NUL with a 500
			{"actor=%00", "actor", "list.invalidFilter"},
			{"actor=a&actor=b", "actor", "list.invalidParameter"},
			{"resource=user", "resource", "list.invalidParameter"},
			{"sort=diff", "sort", "list.invalidSort"},
			{"order=sideways", "order", "list.invalidOrder"},
			{"page_size=100000", "page_size", "list.invalidPageSize"},
			{"page=0", "page", "list.invalidPage"},
		}
		for _, tc := range bad {
			r := c.Do("GET", "/api/v1/audit?"+tc.query, nil)
			testutil.AssertProblem(t, r, 400, tc.code)
			assert.Equal(t, []string{tc.field}, testutil.FieldsOf(r), tc.query)
		}
	})
}

func TestAuditHashChain(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		for _, code := range []string{"c1", "c2", "c3"} {
			testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": code, "name": strings.ToUpper(code)})
		}
		v := c.Do("GET", "/api/v1/audit/verify", nil)
		require.Equal(t, 200, v.Status, v.String())
		assert.Equal(t, true, v.Get("ok"), v.String())
		total := testutil.Count(t, a, "audit_events", "")
		assert.Equal(t, float64(total), v.Num("checked"), "every event is chained")
		assert.Nil(t, v.Get("broken_at_seq"))
		r := auditOf(t, c, url.Values{"sort": {"at"}, "order": {"asc"}})
		require.Equal(t, int(total), r.Len("items"))
		for i := 1; i < r.Len("items"); i++ {
			assert.Equal(t, r.Str("items."+strconv.Itoa(i-1)+".hash"), r.Str("items."+strconv.Itoa(i)+".prev_hash"), "each links the previous")
		}

		// Rewrite history: the chain breaks exactly there.
		var seq int64
		var name string
		require.NoError(t, a.DB.W.Raw(`SELECT seq, resource_name FROM audit_events WHERE resource_type = 'group'
			AND resource_name = 'c2'`).Row().Scan(&seq, &name))
		require.NoError(t, a.DB.W.Exec("UPDATE audit_events SET resource_name = 'forged' WHERE seq = ?", seq).Error)
		v = c.Do("GET", "/api/v1/audit/verify", nil)
		require.Equal(t, 200, v.Status, v.String())
		assert.Equal(t, false, v.Get("ok"), v.String())
		assert.Equal(t, float64(seq), v.Num("broken_at_seq"))
		assert.Equal(t, float64(seq-1), v.Num("checked"))

		require.NoError(t, a.DB.W.Exec("UPDATE audit_events SET resource_name = ? WHERE seq = ?", name, seq).Error)
		assert.Equal(t, true, c.Do("GET", "/api/v1/audit/verify", nil).Get("ok"), "restored")
		require.NoError(t, a.DB.W.Exec(`UPDATE audit_events SET diff = '{"after":{"code":"x"}}' WHERE seq = ?`, seq).Error)
		assert.Equal(t, float64(seq), c.Do("GET", "/api/v1/audit/verify", nil).Num("broken_at_seq"), "a forged diff")
		require.NoError(t, a.DB.W.Exec("DELETE FROM audit_events WHERE seq = ?", seq).Error)
		v = c.Do("GET", "/api/v1/audit/verify", nil)
		assert.Equal(t, false, v.Get("ok"), v.String())
		assert.Equal(t, float64(seq+1), v.Num("broken_at_seq"), "a deleted event breaks the next link")
	})
}
