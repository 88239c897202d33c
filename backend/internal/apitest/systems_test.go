package apitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// newSystem creates a system with the given allowed services and returns its id.
func newSystem(t *testing.T, c *testutil.Client, name string, services ...string) string {
	t.Helper()
	if services == nil {
		services = []string{}
	}
	r := testutil.MustCreate(t, c, "/api/v1/systems", map[string]any{"name": name, "allowed_services": services})
	return r.Str("id")
}

func TestSystemsLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		clients := testutil.GroupID(t, a, "clients")
		r := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Document archive",
			"description": "Stores signed documents", "owner_group_id": clients,
			"allowed_services": []string{"users.read", "audit.read", "users.read"},
			"settings_texts":   map[string]string{"ru": "Проверьте подпись на sigex.kz", "en": "Check the signature"}})
		id := r.Str("id")
		assert.Equal(t, "Document archive", r.Str("name"))
		assert.Equal(t, true, r.Get("enabled"), "enabled by default")
		assert.Equal(t, clients, r.Str("owner_group_id"))
		assert.Equal(t, []string{"audit.read", "users.read"}, testutil.Strings(r.Get("allowed_services")), "sorted, deduplicated")
		assert.Equal(t, "Проверьте подпись на sigex.kz", r.Str("settings_texts.ru"))
		assert.Equal(t, float64(0), r.Num("certificate_count"))
		assert.Equal(t, float64(1), r.Num("version"))

		testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Billing", "enabled": false})
		testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "CRM"})
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/systems", map[string]any{"name": "document ARCHIVE"}),
			409, "system.nameTaken")

		// List conventions: q over name and description, the enabled filter, sorts.
		l := admin.Do("GET", "/api/v1/systems?q=signed", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, id, l.Str("items.0.id"))
		l = admin.Do("GET", "/api/v1/systems?enabled=false", nil)
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, "Billing", l.Str("items.0.name"))
		l = admin.Do("GET", "/api/v1/systems?sort=name&order=desc", nil)
		assert.Equal(t, []string{"Document archive", "CRM", "Billing"},
			[]string{l.Str("items.0.name"), l.Str("items.1.name"), l.Str("items.2.name")})
		l = admin.Do("GET", "/api/v1/systems?sort=enabled&page_size=1", nil)
		assert.Equal(t, "Billing", l.Str("items.0.name"))
		assert.NotEmpty(t, l.Str("next_cursor"), l.String())
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/systems?sort=description", nil), 400, "list.invalidSort")

		// PATCH with the version; a stale version is 409 with the current state.
		p := admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "description": "Archive v2",
			"allowed_services": []string{"users.read"}, "owner_group_id": ""})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, "Archive v2", p.Str("description"))
		assert.Equal(t, []string{"users.read"}, testutil.Strings(p.Get("allowed_services")))
		assert.Nil(t, p.Get("owner_group_id"))
		assert.Equal(t, float64(2), p.Num("version"))
		stale := admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "enabled": false})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 2, "name": "crm"}),
			409, "system.nameTaken")

		// The settings change log: the system's audit events.
		log := admin.Do("GET", "/api/v1/audit?resource_type=system&resource_id="+id, nil)
		require.Equal(t, 200, log.Status, log.String())
		require.Equal(t, float64(2), log.Num("total"), log.String())
		assert.Equal(t, "update", log.Str("items.0.action"))
		assert.Equal(t, "create", log.Str("items.1.action"))
		assert.Equal(t, "tech_admin", log.Str("items.0.actor_name"))
		assert.Contains(t, string(log.Body), "Archive v2")

		// Deleting the owner group leaves the system without one (ON DELETE SET NULL).
		g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "archive_owners", "name": "Archive owners",
			"permissions": []string{}})
		p = admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 2, "owner_group_id": g.Str("id")})
		require.Equal(t, 200, p.Status, p.String())
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/groups/"+g.Str("id"), nil).Status)
		assert.Nil(t, admin.Do("GET", "/api/v1/systems/"+id, nil).Get("owner_group_id"))

		// Delete and bulk delete, each audited.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/systems/"+id, nil).Status)
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/systems/"+id, nil), 404, "resource.notFound")
		all := admin.Do("GET", "/api/v1/systems", nil)
		b := admin.Do("POST", "/api/v1/systems/bulk-delete", map[string]any{"ids": []string{all.Str("items.0.id"),
			all.Str("items.1.id"), id}})
		require.Equal(t, 200, b.Status, b.String())
		assert.Equal(t, float64(0), admin.Do("GET", "/api/v1/systems", nil).Num("total"))
		assert.Equal(t, int64(3), testutil.Count(t, a, "audit_events", "resource_type = ? AND action = ?", "system", "delete"))

		// Readers read, only writers write.
		auditor := a.As("auditors")
		assert.Equal(t, 200, auditor.Do("GET", "/api/v1/systems", nil).Status)
		testutil.AssertProblem(t, auditor.Do("POST", "/api/v1/systems", map[string]any{"name": "x"}), 403, "authz.denied")
	})
}

func TestSystemsBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		cases := []struct {
			name  string
			body  any
			field string
		}{
			{"no name", map[string]any{"name": " "}, "name"},
			{"long name", map[string]any{"name": strings.Repeat("n", 201)}, "name"},
			{"long description", map[string]any{"name": "a", "description": strings.Repeat("d", 2001)}, "description"},
			{"unknown service", map[string]any{"name": "a", "allowed_services": []string{"users.fly"}}, "allowed_services"},
			{"malformed group", map[string]any{"name": "a", "owner_group_id": "nope"}, "owner_group_id"},
			{"unknown group", map[string]any{"name": "a", "owner_group_id": "0190c4a0-0000-7000-8000-000000000000"}, "owner_group_id"},
			{"long settings text", map[string]any{"name": "a", "settings_texts": map[string]string{"ru": strings.Repeat("я", 10241)}}, "settings_texts.ru"},
			{"unknown field", map[string]any{"name": "a", "webhook": "x"}, "webhook"},
			{"wrong type", map[string]any{"name": "a", "enabled": "yes"}, "enabled"},
		}
		for _, c := range cases {
			r := admin.Do("POST", "/api/v1/systems", c.body)
			require.Equal(t, 400, r.Status, "%s: %s", c.name, r.String())
			assert.Contains(t, testutil.FieldsOf(r), c.field, c.name)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "systems", ""), "nothing stored")

		// Allowed services above the caller's own permissions: 403, audited.
		adm := a.As("administrators")
		r := adm.Do("POST", "/api/v1/systems", map[string]any{"name": "Escalator", "allowed_services": []string{"users.read", "settings.write"}})
		testutil.AssertProblem(t, r, 403, "authz.grantNotHeld")
		assert.Equal(t, []string{"allowed_services"}, testutil.FieldsOf(r))
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_type = ? AND resource_name = ?",
			"access.denied", "system", "Escalator"))
		id := newSystem(t, adm, "Modest", "users.read")
		r = adm.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "allowed_services": []string{"users.read", "settings.write"}})
		testutil.AssertProblem(t, r, 403, "authz.grantNotHeld")
		assert.Equal(t, []string{"users.read"}, testutil.Strings(adm.Do("GET", "/api/v1/systems/"+id, nil).Get("allowed_services")))
		r = admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"allowed_services": []string{}})
		require.Equal(t, 400, r.Status, r.String())
		assert.Contains(t, testutil.FieldsOf(r), "version")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/systems/not-a-uuid", nil), 404, "resource.notFound")
	})
}
