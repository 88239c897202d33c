package apitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// deviceAudit is every audit event of a resource as the audit API answers it.
func deviceAudit(t *testing.T, c *testutil.Client, resType, id string) string {
	t.Helper()
	r := c.Do("GET", "/api/v1/audit?page_size=200&resource_type="+resType+"&resource_id="+id, nil)
	require.Equal(t, 200, r.Status, r.String())
	require.Positive(t, r.Num("total"), "audited")
	return string(r.Body)
}

func TestDeviceTypesLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		r := testutil.MustCreate(t, admin, "/api/v1/device-types", map[string]any{"name": "Rutoken ECP 3.0",
			"vendor": "Aktiv", "model": "ECP 3.0", "pin_areas": []map[string]any{
				{"code": "pki", "name": "PKI", "default_admin_pin": "87654321", "default_user_pin": "12345678"}},
			"pin_rules": map[string]any{"min_length": 6, "max_length": 32, "charset": "digits"},
			"retry_counts": map[string]any{"admin": 10, "user": 5}})
		id := r.Str("id")
		assert.Equal(t, true, r.Get("pin_areas.0.has_default_admin_pin"))
		assert.Equal(t, true, r.Get("pin_areas.0.has_default_user_pin"))
		assert.Equal(t, float64(5), r.Num("retry_counts.user"))
		assert.Equal(t, float64(1), r.Num("version"))
		testutil.MustCreate(t, admin, "/api/v1/device-types", map[string]any{"name": "JaCarta-2 GOST", "vendor": "Aladdin",
			"pin_areas": []map[string]any{{"code": "pki", "name": "PKI"}, {"code": "gost", "name": "ГОСТ"}}})
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/device-types", map[string]any{"name": "rutoken ecp 3.0",
			"pin_areas": []map[string]any{{"code": "pki", "name": "PKI"}}}), 409, "deviceType.nameTaken")

		// Lists: q, sort, paging.
		l := admin.Do("GET", "/api/v1/device-types?q=aladdin", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, "JaCarta-2 GOST", l.Str("items.0.name"))
		assert.Equal(t, 2, l.Len("items.0.pin_areas"), l.String())
		l = admin.Do("GET", "/api/v1/device-types?sort=name&order=desc&page_size=1", nil)
		assert.Equal(t, "Rutoken ECP 3.0", l.Str("items.0.name"))
		assert.Equal(t, float64(2), l.Num("total"))
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/device-types?sort=pin_areas", nil), 400, "list.invalidSort")

		// A change with the version; a stale one is 409 with the current state.
		p := admin.Do("PATCH", "/api/v1/device-types/"+id, map[string]any{"version": 1, "model": "ECP 3.0 NFC",
			"pin_areas": []map[string]any{{"code": "pki", "name": "PKI", "default_user_pin": "99999999"}}})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, true, p.Get("pin_areas.0.has_default_admin_pin"), "kept")
		stale := admin.Do("PATCH", "/api/v1/device-types/"+id, map[string]any{"version": 1, "model": "x"})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		assert.Equal(t, "ECP 3.0 NFC", stale.Str("current.model"))

		// No PIN in any answer or in the audit log.
		for _, body := range []string{string(r.Body), string(p.Body), string(stale.Body),
			string(admin.Do("GET", "/api/v1/device-types/"+id, nil).Body), string(l.Body),
			deviceAudit(t, admin, "device_type", id)} {
			for _, pin := range []string{"87654321", "12345678", "99999999"} {
				assert.NotContains(t, body, pin)
			}
		}

		// Readers read, only writers write; operators hold devices.*.
		auditor := a.As("auditors")
		assert.Equal(t, 200, auditor.Do("GET", "/api/v1/device-types/"+id, nil).Status)
		testutil.AssertProblem(t, auditor.Do("PATCH", "/api/v1/device-types/"+id, map[string]any{"version": 2}), 403, "authz.denied")
		testutil.AssertProblem(t, a.As("users").Do("GET", "/api/v1/device-types", nil), 403, "authz.denied")
		assert.Equal(t, 200, a.As("operators").Do("GET", "/api/v1/device-types", nil).Status)

		// Delete and bulk delete, each audited.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/device-types/"+id, nil).Status)
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/device-types/"+id, nil), 404, "resource.notFound")
		rest := admin.Do("GET", "/api/v1/device-types", nil).Str("items.0.id")
		b := admin.Do("POST", "/api/v1/device-types/bulk-delete", map[string]any{"ids": []string{rest, id}})
		require.Equal(t, 200, b.Status, b.String())
		assert.Equal(t, true, b.Get("results.0.ok"))
		assert.Equal(t, "resource.notFound", b.Str("results.1.code"))
		assert.Equal(t, int64(2), testutil.Count(t, a, "audit_events", "resource_type = ? AND action = ?", "device_type", "delete"))
	})
}

func TestDeviceTypesBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		area := []map[string]any{{"code": "pki", "name": "PKI"}}
		cases := []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"no name", map[string]any{"pin_areas": area}, "name"},
			{"no areas", map[string]any{"name": "x"}, "pin_areas"},
			{"area code", map[string]any{"name": "x", "pin_areas": []map[string]any{{"code": "PKI", "name": "PKI"}}}, "pin_areas.0.code"},
			{"area twice", map[string]any{"name": "x", "pin_areas": []map[string]any{{"code": "pki", "name": "a"}, {"code": "pki", "name": "b"}}}, "pin_areas.1.code"},
			{"area name", map[string]any{"name": "x", "pin_areas": []map[string]any{{"code": "pki", "name": ""}}}, "pin_areas.0.name"},
			{"charset", map[string]any{"name": "x", "pin_areas": area, "pin_rules": map[string]any{"min_length": 6, "max_length": 8, "charset": "emoji"}}, "pin_rules.charset"},
			{"max below min", map[string]any{"name": "x", "pin_areas": area, "pin_rules": map[string]any{"min_length": 8, "max_length": 6, "charset": "any"}}, "pin_rules.max_length"},
			{"min too small", map[string]any{"name": "x", "pin_areas": area, "pin_rules": map[string]any{"min_length": 1, "max_length": 6, "charset": "any"}}, "pin_rules.min_length"},
			{"retries", map[string]any{"name": "x", "pin_areas": area, "retry_counts": map[string]any{"admin": 0, "user": 10}}, "retry_counts.admin"},
			{"pin rule", map[string]any{"name": "x", "pin_areas": []map[string]any{{"code": "pki", "name": "PKI", "default_user_pin": "12"}}}, "pin_areas.0.default_user_pin"},
			{"pin charset", map[string]any{"name": "x", "pin_areas": []map[string]any{{"code": "pki", "name": "PKI", "default_admin_pin": "abcdef1"}},
				"pin_rules": map[string]any{"min_length": 6, "max_length": 8, "charset": "digits"}}, "pin_areas.0.default_admin_pin"},
			{"unknown field", map[string]any{"name": "x", "pin_areas": area, "pins": "1"}, "pins"},
		}
		for _, tc := range cases {
			r := admin.Do("POST", "/api/v1/device-types", tc.body)
			require.Equal(t, 400, r.Status, "%s: %s", tc.name, r)
			assert.Contains(t, testutil.FieldsOf(r), tc.field, "%s: %s", tc.name, r)
			assert.False(t, strings.Contains(string(r.Body), "abcdef1"), "%s: the PIN is not echoed", tc.name)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "device_types", ""))
	})
}
