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
			"pin_rules":    map[string]any{"min_length": 6, "max_length": 32, "charset": "digits"},
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

// newTemplate creates a certificate template and returns its id.
func newTemplate(t *testing.T, c *testutil.Client, name string, qualified bool) string {
	t.Helper()
	return testutil.MustCreate(t, c, "/api/v1/certificate-templates", map[string]any{"name": name,
		"key_algorithm": "ecdsa-p256", "validity_days": 365, "qualified": qualified,
		"subject":    []map[string]any{{"attr": "CN", "value": "{{display_name}}"}},
		"key_usages": []string{"digitalSignature"}, "extended_key_usages": []string{"clientAuth"}}).Str("id")
}

func TestCertificateTemplatesLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		r := testutil.MustCreate(t, admin, "/api/v1/certificate-templates", map[string]any{"name": "Qualified signature",
			"key_algorithm": "rsa-2048", "validity_days": 365, "qualified": true,
			"subject": []map[string]any{{"attr": "CN", "value": "{{display_name}}"}, {"attr": "E", "value": "{{email}}"},
				{"attr": "SERIALNUMBER", "value": "{{attr.snils}}"}, {"attr": "O", "value": "Example"}, {"attr": "C", "value": "RU"}},
			"key_usages":          []string{"digitalSignature", "nonRepudiation", "keyEncipherment", "digitalSignature"},
			"extended_key_usages": []string{"clientAuth", "emailProtection"}})
		id := r.Str("id")
		assert.Equal(t, []string{"digitalSignature", "nonRepudiation", "keyEncipherment"}, testutil.Strings(r.Get("key_usages")), "deduplicated")
		assert.Equal(t, "{{attr.snils}}", r.Str("subject.2.value"))
		assert.Equal(t, true, r.Get("qualified"))
		other := newTemplate(t, admin, "TLS client", false)
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/certificate-templates", map[string]any{"name": "tls CLIENT",
			"key_algorithm": "ecdsa-p256", "validity_days": 30, "subject": []map[string]any{{"attr": "CN", "value": "x"}},
			"key_usages": []string{"digitalSignature"}}), 409, "certificateTemplate.nameTaken")

		l := admin.Do("GET", "/api/v1/certificate-templates?qualified=true", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, id, l.Str("items.0.id"))
		l = admin.Do("GET", "/api/v1/certificate-templates?key_algorithm=ecdsa-p256&q=tls", nil)
		assert.Equal(t, other, l.Str("items.0.id"), l.String())
		l = admin.Do("GET", "/api/v1/certificate-templates?sort=validity_days&order=desc", nil)
		assert.Equal(t, float64(2), l.Num("total"), l.String())
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/certificate-templates?key_algorithm=gost2012-256", nil), 400, "list.invalidFilter")

		// A changed algorithm is checked against the kept usages.
		p := admin.Do("PATCH", "/api/v1/certificate-templates/"+id, map[string]any{"version": 1, "key_algorithm": "ecdsa-p384"})
		require.Equal(t, 400, p.Status, p.String())
		assert.Equal(t, "incompatible", testutil.FieldCode(p, "key_usages.2"), p.String())
		p = admin.Do("PATCH", "/api/v1/certificate-templates/"+id, map[string]any{"version": 1, "validity_days": 730,
			"key_usages": []string{"digitalSignature", "nonRepudiation"}, "key_algorithm": "ecdsa-p384"})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, float64(2), p.Num("version"))
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/certificate-templates/"+id, map[string]any{"version": 1, "qualified": false}),
			409, "resource.versionConflict")
		assert.Contains(t, deviceAudit(t, admin, "certificate_template", id), "ecdsa-p384")

		// The preview fills the subject from the directory's user.
		u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "ipetrov", "password": "password-123",
			"display_name": "Petrov, Ivan", "email": "", "extra_attributes": map[string]any{"snils": "112-233-445 95"}})
		pv := admin.Do("POST", "/api/v1/certificate-templates/preview", map[string]any{"user_id": u.Str("id"),
			"subject": p.Get("subject"), "name": "unsaved form", "validity_days": 1})
		require.Equal(t, 200, pv.Status, pv.String())
		assert.Equal(t, `CN=Petrov\, Ivan,SERIALNUMBER=112-233-445 95,O=Example,C=RU`, pv.Str("subject"))
		assert.Equal(t, []string{"email"}, testutil.Strings(pv.Get("empty_placeholders")))
		assert.Equal(t, []string{"E"}, testutil.Strings(pv.Get("omitted")))
		pv = a.As("operators").Do("POST", "/api/v1/certificate-templates/preview", map[string]any{"user_id": u.Str("id"),
			"subject": []map[string]any{{"attr": "CN", "value": "{{user.name}}"}}})
		require.Equal(t, 400, pv.Status, pv.String())
		assert.Equal(t, "unknownPlaceholder", testutil.FieldCode(pv, "subject.0.value"))
		pv = admin.Do("POST", "/api/v1/certificate-templates/preview", map[string]any{"user_id": "01a236c5-4ed2-709b-92e8-5d7fcfafa361",
			"subject": []map[string]any{{"attr": "CN", "value": "{{login}}"}}})
		assert.Equal(t, "notFound", testutil.FieldCode(pv, "user_id"), pv.String())

		// Writers only; delete and bulk delete.
		testutil.AssertProblem(t, a.As("auditors").Do("DELETE", "/api/v1/certificate-templates/"+id, nil), 403, "authz.denied")
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/certificate-templates/"+id, nil).Status)
		b := admin.Do("POST", "/api/v1/certificate-templates/bulk-delete", map[string]any{"ids": []string{other, id}})
		require.Equal(t, 200, b.Status, b.String())
		assert.Equal(t, true, b.Get("results.0.ok"))
		assert.Equal(t, "resource.notFound", b.Str("results.1.code"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "certificate_templates", ""))
	})
}

func TestCertificateTemplatesBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		ok := func(over map[string]any) map[string]any {
			b := map[string]any{"name": "t", "key_algorithm": "ecdsa-p256", "validity_days": 365,
				"subject": []map[string]any{{"attr": "CN", "value": "{{login}}"}}, "key_usages": []string{"digitalSignature"}}
			for k, v := range over {
				b[k] = v
			}
			return b
		}
		cases := []struct {
			name  string
			body  map[string]any
			field string
			code  string
		}{
			{"no name", ok(map[string]any{"name": ""}), "name", "required"},
			{"gost", ok(map[string]any{"key_algorithm": "gost2012-256"}), "key_algorithm", "invalidValue"},
			{"validity 0", ok(map[string]any{"validity_days": 0}), "validity_days", "outOfRange"},
			{"validity 3651", ok(map[string]any{"validity_days": 3651}), "validity_days", "outOfRange"},
			{"beyond the CA", ok(map[string]any{"validity_days": 3650}), "validity_days", "beyondAuthority"},
			{"empty subject", ok(map[string]any{"subject": []map[string]any{}}), "subject", "required"},
			{"unknown RDN", ok(map[string]any{"subject": []map[string]any{{"attr": "DC", "value": "x"}}}), "subject.0.attr", "unknown"},
			{"empty value", ok(map[string]any{"subject": []map[string]any{{"attr": "CN", "value": ""}}}), "subject.0.value", "required"},
			{"unknown placeholder", ok(map[string]any{"subject": []map[string]any{{"attr": "CN", "value": "x"},
				{"attr": "OU", "value": "{{department}}"}}}), "subject.1.value", "unknownPlaceholder"},
			{"unclosed placeholder", ok(map[string]any{"subject": []map[string]any{{"attr": "CN", "value": "{{login"}}}), "subject.0.value", "invalidFormat"},
			{"country", ok(map[string]any{"subject": []map[string]any{{"attr": "C", "value": "Russia"}}}), "subject.0.value", "invalidFormat"},
			{"no usage", ok(map[string]any{"key_usages": []string{}}), "key_usages", "required"},
			{"bad usage", ok(map[string]any{"key_usages": []string{"digitalSignature", "keyCertSign"}}), "key_usages.1", "unknown"},
			{"ecdsa encipher", ok(map[string]any{"key_usages": []string{"keyEncipherment"}}), "key_usages.0", "incompatible"},
			{"rsa agreement", ok(map[string]any{"key_algorithm": "rsa-3072", "key_usages": []string{"keyAgreement"}}), "key_usages.0", "incompatible"},
			{"bad eku", ok(map[string]any{"extended_key_usages": []string{"anyExtendedKeyUsage"}}), "extended_key_usages.0", "unknown"},
		}
		for _, tc := range cases {
			r := admin.Do("POST", "/api/v1/certificate-templates", tc.body)
			require.Equal(t, 400, r.Status, "%s: %s", tc.name, r)
			assert.Equal(t, tc.code, testutil.FieldCode(r, tc.field), "%s: %s", tc.name, r)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "certificate_templates", ""))
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/certificate-templates/"+newTemplate(t, admin, "x", false),
			map[string]any{"subject": []map[string]any{}}), 400, "validation.failed")
	})
}

func TestDevicePoliciesLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		tq, tc := newTemplate(t, admin, "Qualified", true), newTemplate(t, admin, "Client", false)
		g1 := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "accountants", "name": "Accountants", "permissions": []string{}}).Str("id")
		g2 := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "managers", "name": "Managers", "permissions": []string{}}).Str("id")
		r := testutil.MustCreate(t, admin, "/api/v1/device-policies", map[string]any{"name": "Accounting", "priority": 10,
			"group_ids": []string{g1, g1}, "self_issuance_allowed": true, "initialise_before_issuance": true,
			"random_user_pin":           map[string]any{"enabled": true, "length": 8, "show_once": true, "email_manager": true},
			"secret_questions_required": 3, "skzi_accounting": true, "approval_required": true, "smev_check": true,
			"smev_form_editable": false, "template_ids": []string{tq, tc}, "user_may_choose_templates": true})
		p1 := r.Str("id")
		assert.Equal(t, []string{g1}, testutil.Strings(r.Get("group_ids")), "deduplicated")
		assert.ElementsMatch(t, []string{tq, tc}, testutil.Strings(r.Get("template_ids")))
		assert.Equal(t, float64(8), r.Num("random_user_pin.length"))
		assert.Equal(t, true, r.Get("random_user_pin.email_manager"))
		assert.Equal(t, true, r.Get("skzi_accounting"))
		assert.Equal(t, float64(3), r.Num("secret_questions_required"))
		p2 := testutil.MustCreate(t, admin, "/api/v1/device-policies", map[string]any{"name": "Managers", "priority": 5,
			"group_ids": []string{g2}, "template_ids": []string{tc}}).Str("id")
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/device-policies", map[string]any{"name": "Other", "priority": 5}),
			409, "devicePolicy.priorityTaken")
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/device-policies", map[string]any{"name": "MANAGERS", "priority": 6}),
			409, "devicePolicy.nameTaken")

		l := admin.Do("GET", "/api/v1/device-policies", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, []string{"Managers", "Accounting"}, []string{l.Str("items.0.name"), l.Str("items.1.name")}, "by priority")
		assert.Equal(t, tc, l.Str("items.0.template_ids.0"))
		l = admin.Do("GET", "/api/v1/device-policies?q=account&sort=name", nil)
		assert.Equal(t, float64(1), l.Num("total"), l.String())

		// The effective policy: lowest priority number among the user's groups' policies.
		u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "anna", "password": "password-123",
			"group_ids": []string{g1, g2}})
		eff := func() *testutil.Resp {
			r := a.As("operators").Do("GET", "/api/v1/users/"+u.Str("id")+"/device-policy", nil)
			require.Equal(t, 200, r.Status, r.String())
			return r
		}
		e := eff()
		assert.Equal(t, p2, e.Str("policy.id"))
		assert.Equal(t, "managers", e.Str("group.code"))
		up := admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 1, "group_ids": []string{g1}})
		require.Equal(t, 200, up.Status, up.String())
		e = eff()
		assert.Equal(t, p1, e.Str("policy.id"), "a membership change moves the user to the next policy")
		assert.Equal(t, "accountants", e.Str("group.code"))
		pp := admin.Do("PATCH", "/api/v1/device-policies/"+p2, map[string]any{"version": 1, "group_ids": []string{g1}})
		require.Equal(t, 200, pp.Status, pp.String())
		assert.Equal(t, p2, eff().Str("policy.id"), "a policy change applies at once")
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/device-policies/"+p2, map[string]any{"version": 1, "priority": 1}),
			409, "resource.versionConflict")
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/device-policies/"+p2, map[string]any{"version": 2, "priority": 10}),
			409, "devicePolicy.priorityTaken")
		up = admin.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 2, "group_ids": []string{}})
		require.Equal(t, 200, up.Status, up.String())
		e = eff()
		assert.Nil(t, e.Get("policy"), e.String())
		assert.Nil(t, e.Get("group"))
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/users/01a236c5-4ed2-709b-92e8-5d7fcfafa361/device-policy", nil), 404, "resource.notFound")

		// A template in use is not deleted: 409 naming the policies; the bulk delete reports it.
		del := admin.Do("DELETE", "/api/v1/certificate-templates/"+tc, nil)
		testutil.AssertProblem(t, del, 409, "certificateTemplate.inUse")
		assert.Contains(t, del.Str("detail"), "«Managers»")
		assert.Contains(t, del.Str("detail"), "«Accounting»")
		assert.Equal(t, 2, del.Len("current.policies"))
		b := admin.Do("POST", "/api/v1/certificate-templates/bulk-delete", map[string]any{"ids": []string{tq, tc}})
		require.Equal(t, 200, b.Status, b.String())
		assert.Equal(t, "certificateTemplate.inUse", b.Str("results.0.code"))
		assert.Equal(t, "certificateTemplate.inUse", b.Str("results.1.code"))

		// A deleted group drops out of its policies.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/groups/"+g1, nil).Status)
		assert.Empty(t, testutil.Strings(admin.Do("GET", "/api/v1/device-policies/"+p1, nil).Get("group_ids")))

		// Writers only; audited; delete frees the templates.
		testutil.AssertProblem(t, a.As("auditors").Do("POST", "/api/v1/device-policies", map[string]any{"name": "x", "priority": 3}),
			403, "authz.denied")
		testutil.AssertProblem(t, a.As("auditors").Do("POST", "/api/v1/device-policies/bulk-delete", map[string]any{"ids": []string{p1}}),
			403, "authz.denied")
		assert.Contains(t, deviceAudit(t, admin, "device_policy", p2), g1)
		b = admin.Do("POST", "/api/v1/device-policies/bulk-delete", map[string]any{"ids": []string{p1, p2}})
		require.Equal(t, 200, b.Status, b.String())
		assert.Equal(t, true, b.Get("results.1.ok"))
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/certificate-templates/"+tc, nil).Status)
		assert.Equal(t, int64(0), testutil.Count(t, a, "device_policy_templates", ""))
	})
}

func TestDevicePoliciesBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		tpl := newTemplate(t, admin, "T", false)
		unknown := "01a236c5-4ed2-709b-92e8-5d7fcfafa361"
		ok := func(over map[string]any) map[string]any {
			b := map[string]any{"name": "p", "priority": 1}
			for k, v := range over {
				b[k] = v
			}
			return b
		}
		cases := []struct {
			name  string
			body  map[string]any
			field string
			code  string
		}{
			{"no name", ok(map[string]any{"name": " "}), "name", "required"},
			{"priority 0", ok(map[string]any{"priority": 0}), "priority", "outOfRange"},
			{"group format", ok(map[string]any{"group_ids": []string{"admins"}}), "group_ids.0", "invalidFormat"},
			{"group unknown", ok(map[string]any{"group_ids": []string{unknown}}), "group_ids.0", "notFound"},
			{"template unknown", ok(map[string]any{"template_ids": []string{tpl, unknown}}), "template_ids.1", "notFound"},
			{"self-issuance without templates", ok(map[string]any{"self_issuance_allowed": true}), "template_ids", "required"},
			{"pin length", ok(map[string]any{"random_user_pin": map[string]any{"enabled": true, "length": 2, "show_once": true}}), "random_user_pin.length", "outOfRange"},
			{"pin nobody learns", ok(map[string]any{"random_user_pin": map[string]any{"enabled": true, "length": 8}}), "random_user_pin", "unreachable"},
			{"questions", ok(map[string]any{"secret_questions_required": 11}), "secret_questions_required", "outOfRange"},
			{"smev editable alone", ok(map[string]any{"smev_form_editable": true}), "smev_form_editable", "needsSmevCheck"},
		}
		for _, tc := range cases {
			r := admin.Do("POST", "/api/v1/device-policies", tc.body)
			require.Equal(t, 400, r.Status, "%s: %s", tc.name, r)
			assert.Equal(t, tc.code, testutil.FieldCode(r, tc.field), "%s: %s", tc.name, r)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "device_policies", ""))
		r := admin.Do("POST", "/api/v1/device-policies", map[string]any{"name": "p", "priority": "high"})
		require.Equal(t, 400, r.Status, r.String())
		assert.Contains(t, testutil.FieldsOf(r), "priority")
	})
}
