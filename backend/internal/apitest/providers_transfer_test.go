package apitest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestProviderExportImport(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff"})
		ut := c.Do("GET", "/api/v1/user-types?q=staff", nil).Str("items.0.id")
		kc := testutil.MustCreate(t, c, "/api/v1/providers", with(provOIDCBody("Keycloak"), map[string]any{
			"base_group_ids": []string{testutil.GroupID(t, a, "users"), testutil.GroupID(t, a, "auditors")}, "allow_user_creation": true,
			"user_type_id": ut, "mappings": []any{map[string]any{"attribute": "user_roles", "source": "custos.roles",
				"rules": []any{map[string]any{"from": "admin", "to": "administrator"}}}}}, nil))
		ad := testutil.MustCreate(t, c, "/api/v1/providers", provLDAPBody("Corp AD"))

		ex := c.Do("GET", "/api/v1/providers/export?ids="+kc.Str("id")+","+ad.Str("id"), nil)
		require.Equal(t, 200, ex.Status, ex.String())
		assert.Contains(t, ex.Header.Get("Content-Disposition"), "attachment")
		assert.Equal(t, 2, len(ex.JSON.([]any)))
		body := string(ex.Body)
		for _, leak := range []string{"s3cr3t", "bind-pw", "client_secret", "bind_password", "_set", kc.Str("id"), ut} {
			assert.NotContains(t, body, leak, "an export holds no secrets and no ids")
		}
		assert.Equal(t, "Corp AD", ex.Str("0.name"), "ordered by name")
		assert.Equal(t, []string{"auditors", "users"}, testutil.Strings(ex.Get("1.base_groups")), "groups by code")
		assert.Equal(t, "staff", ex.Str("1.user_type"))
		assert.Equal(t, "administrator", ex.Str("1.mappings.0.rules.0.to"))
		all := c.Do("GET", "/api/v1/providers/export", nil)
		assert.Equal(t, 3, len(all.JSON.([]any)), "no ids: every provider, the local one too")
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/providers/export?ids=nope", nil), 400, "validation.failed")

		// Re-importing the export changes nothing.
		r := c.Do("POST", "/api/v1/providers/import?dry_run=true", ex.Body)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("dry_run"))
		assert.Equal(t, []string{"unchanged", "unchanged"}, provEach(r, "results", "action"), r.String())

		var items []map[string]any
		require.NoError(t, json.Unmarshal(ex.Body, &items))
		items[0]["params"].(map[string]any)["host"] = "dc2.corp.local"           // update
		items = append(items, map[string]any{"name": "New OIDC", "type": "oidc", // create
			"params": map[string]any{"client_id": "c", "client_secret": "new-secret", "external_url": "https://n.example.org"}})
		items = append(items, map[string]any{"name": "No secret", "type": "oidc", // conflict: secret required
			"params": map[string]any{"client_id": "c", "external_url": "https://n.example.org"}})
		items = append(items, map[string]any{"name": "keycloak", "type": "rest", // conflict: type differs
			"params": map[string]any{"external_url": "https://r.example.org"}})
		items = append(items, map[string]any{"name": "Groupless", "type": "rest", "base_groups": []string{"ghosts"}, // conflict
			"params": map[string]any{"external_url": "https://r.example.org"}})
		items = append(items, map[string]any{"name": "AW", "type": "local"}) // the local one, renamed
		file, _ := json.Marshal(items)

		before := rowCountsProviders(t, a)
		r = c.Do("POST", "/api/v1/providers/import?dry_run=true", file)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, []string{"update", "unchanged", "create", "conflict", "conflict", "conflict", "update"},
			provEach(r, "results", "action"), r.String())
		assert.Equal(t, []any{"params", "params.bind_password"}, r.Get("results.0.changes"), "the new host clears the bind password")
		assert.Equal(t, "params.client_secret", r.Str("results.3.errors.0.field"))
		assert.Equal(t, "provider.importTypeMismatch", r.Str("results.4.code"))
		assert.Equal(t, "base_groups", r.Str("results.5.errors.0.field"))
		assert.Equal(t, before, rowCountsProviders(t, a), "a dry run writes nothing")

		r = c.Do("POST", "/api/v1/providers/import", file)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, false, r.Get("dry_run"))
		assert.Equal(t, []string{"update", "unchanged", "create", "conflict", "conflict", "conflict", "update"},
			provEach(r, "results", "action"), r.String())
		got := c.Do("GET", "/api/v1/providers/"+ad.Str("id"), nil)
		assert.Equal(t, "dc2.corp.local", got.Str("params.host"))
		assert.Equal(t, false, got.Get("params.bind_password_set"), "a new host drops the stored bind password")
		assert.Equal(t, "AW", c.Do("GET", "/api/v1/providers/"+provLocalID(t, a), nil).Str("name"))
		created := c.Do("GET", "/api/v1/providers?q=new+oidc", nil)
		assert.Equal(t, true, created.Get("items.0.params.client_secret_set"))
		assert.Equal(t, int64(3), testutil.Count(t, a, "audit_events", "resource_type = ? AND action = ?", "provider", "create"),
			"two made by hand, one imported")

		for _, bad := range []string{`{}`, `[]`, `[{"name": "x", "type": "rest", "extra": 1}]`} {
			r := c.Do("POST", "/api/v1/providers/import", bad)
			assert.Equal(t, 400, r.Status, "%s: %s", bad, r)
		}
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/import?dry_run=maybe", file), 400, "validation.failed")
		assert.False(t, strings.Contains(string(c.Do("GET", "/api/v1/providers/export", nil).Body), "new-secret"))
	})
}

// rowCountsProviders summarises what an import could change.
func rowCountsProviders(t *testing.T, a *testutil.TestApp) map[string]int64 {
	t.Helper()
	var versions int64
	require.NoError(t, a.DB.W.Raw("SELECT COALESCE(SUM(version), 0) FROM providers").Scan(&versions).Error)
	return map[string]int64{"providers": testutil.Count(t, a, "providers", ""), "versions": versions,
		"audit": testutil.Count(t, a, "audit_events", ""), "links": testutil.Count(t, a, "provider_groups", "")}
}
