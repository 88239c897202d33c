package apitest

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// with returns a copy of body with params (or top-level keys) changed.
func with(body map[string]any, top map[string]any, params map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for k, v := range top {
		out[k] = v
	}
	if params != nil {
		p := map[string]any{}
		if old, ok := body["params"].(map[string]any); ok {
			for k, v := range old {
				p[k] = v
			}
		}
		for k, v := range params {
			if v == nil {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		out["params"] = p
	}
	return out
}

func TestProviderBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		oidc, ldap := provOIDCBody("X"), provLDAPBody("Y")
		cases := []struct {
			name   string
			body   any
			status int
			code   string
			field  string
		}{
			{"unknown type", with(oidc, map[string]any{"type": "saml"}, nil), 400, "validation.failed", "type"},
			{"type of wrong JSON type", with(oidc, map[string]any{"type": 7}, nil), 400, "validation.failed", "type"},
			{"param of another type", with(oidc, nil, map[string]any{"host": "ldap.example.org"}), 400, "validation.failed", "params.host"},
			{"unknown param", with(oidc, nil, map[string]any{"tenant": "x"}), 400, "validation.failed", "params.tenant"},
			{"params not an object", with(oidc, map[string]any{"params": "client_id=x"}, nil), 400, "validation.failed", "params"},
			{"params on kerberos", map[string]any{"name": "K", "type": "ldap_kerberos", "params": map[string]any{"host": "h"}},
				400, "validation.failed", "params.host"},
			{"port zero", with(ldap, nil, map[string]any{"port": 0}), 400, "validation.failed", "params.port"},
			{"port too big", with(ldap, nil, map[string]any{"port": 65536}), 400, "validation.failed", "params.port"},
			{"port as text", with(ldap, nil, map[string]any{"port": "389"}), 400, "validation.failed", "params.port"},
			{"port fraction", with(ldap, nil, map[string]any{"port": 389.5}), 400, "validation.failed", "params.port"},
			{"unparsable URL", with(oidc, nil, map[string]any{"external_url": "https://exa mple.org/%zz"}), 400, "validation.failed", "params.external_url"},
			{"URL without scheme", with(oidc, nil, map[string]any{"external_url": "id.example.org"}), 400, "validation.failed", "params.external_url"},
			{"URL with password", with(oidc, nil, map[string]any{"external_url": "https://u:p@id.example.org"}), 400, "validation.failed", "params.external_url"},
			{"invalid LDAP filter", with(ldap, nil, map[string]any{"filter": "(&(uid=a)"}), 400, "provider.invalidLdapFilter", "params.filter"},
			{"filter without parentheses", with(ldap, nil, map[string]any{"filter": "uid=a"}), 400, "provider.invalidLdapFilter", "params.filter"},
			{"bad base DN", with(ldap, nil, map[string]any{"base_dn": "not a dn"}), 400, "validation.failed", "params.base_dn"},
			{"bad host", with(ldap, nil, map[string]any{"host": "ldap://h:389"}), 400, "validation.failed", "params.host"},
			{"bad connection", with(ldap, nil, map[string]any{"connection": "tls"}), 400, "validation.failed", "params.connection"},
			{"bad CA", with(ldap, nil, map[string]any{"ca_cert": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}), 400, "validation.failed", "params.ca_cert"},
			{"missing client id", with(oidc, nil, map[string]any{"client_id": nil}), 400, "validation.failed", "params.client_id"},
			{"missing secret", with(oidc, nil, map[string]any{"client_secret": nil}), 400, "validation.failed", "params.client_secret"},
			{"missing base DN", with(ldap, nil, map[string]any{"base_dn": nil}), 400, "validation.failed", "params.base_dn"},
			{"missing REST URL", map[string]any{"name": "R", "type": "rest"}, 400, "validation.failed", "params.external_url"},
			{"oidc_token needs the IA id (seed)", map[string]any{"name": "T", "type": "oidc_token",
				"params": map[string]any{"external_url": "https://id.example.org", "client_secret": "x"}}, 400, "validation.failed", "params.client_id"},
			{"10 KB name", with(oidc, map[string]any{"name": strings.Repeat("я", 10240)}, nil), 400, "validation.failed", "name"},
			{"blank name", with(oidc, map[string]any{"name": "   "}, nil), 400, "validation.failed", "name"},
			{"control characters", with(oidc, map[string]any{"name": "a\u0007b"}, nil), 400, "validation.failed", "name"},
			{"button label on ldap", with(ldap, map[string]any{"button_label": "Go"}, nil), 400, "provider.buttonLabelOnlyOidc", "button_label"},
			{"user type without creation", with(oidc, map[string]any{"user_type_id": uuid.NewString()}, nil), 400, "provider.userTypeNeedsCreation", "user_type_id"},
			{"unknown user type", with(oidc, map[string]any{"allow_user_creation": true, "user_type_id": uuid.NewString()}, nil), 400, "validation.failed", "user_type_id"},
			{"unknown group", with(oidc, map[string]any{"base_group_ids": []string{uuid.NewString()}}, nil), 400, "validation.failed", "base_group_ids"},
			{"group id not a UUID", with(oidc, map[string]any{"base_group_ids": []string{"admins"}}, nil), 400, "validation.failed", "base_group_ids"},
			{"duplicate rules", with(oidc, map[string]any{"mappings": []any{map[string]any{"attribute": "user_roles", "source": "app.roles",
				"rules": []any{map[string]any{"from": "a", "to": "x"}, map[string]any{"from": "a", "to": "y"}}}}}, nil),
				400, "validation.failed", "mappings.0.rules.1.from"},
			{"attribute mapped twice", with(oidc, map[string]any{"mappings": []any{map[string]any{"attribute": "user_roles"},
				map[string]any{"attribute": "user_roles"}}}, nil), 400, "validation.failed", "mappings.1.attribute"},
			{"unknown mapping attribute", with(oidc, map[string]any{"mappings": []any{map[string]any{"attribute": "shoe_size", "source": "x"}}}, nil),
				400, "validation.failed", "mappings.0.attribute"},
			{"rule without target", with(oidc, map[string]any{"mappings": []any{map[string]any{"attribute": "user_roles",
				"rules": []any{map[string]any{"from": "a"}}}}}, nil), 400, "validation.failed", "mappings.0.rules.0.to"},
			{"unknown top-level field", with(oidc, map[string]any{"colour": "red"}, nil), 400, "request.unknownField", "colour"},
			{"second local provider", map[string]any{"name": "Local 2", "type": "local"}, 409, "provider.localExists", "type"},
			{"malformed JSON", `{"name": "x", "type": "oidc"`, 400, "request.malformedJson", ""},
			{"invalid UTF-8", []byte("{\"name\": \"\xff\", \"type\": \"rest\"}"), 400, "request.invalidUtf8", ""},
		}
		before := testutil.Count(t, a, "providers", "")
		events := testutil.Count(t, a, "audit_events", "")
		for _, tc := range cases {
			r := c.Do("POST", "/api/v1/providers", tc.body)
			testutil.AssertProblem(t, r, tc.status, tc.code)
			if tc.field != "" {
				assert.Contains(t, testutil.FieldsOf(r), tc.field, "%s: %s", tc.name, r)
			}
		}
		assert.Equal(t, before, testutil.Count(t, a, "providers", ""), "nothing written")
		assert.Equal(t, events, testutil.Count(t, a, "audit_events", ""), "no audit event for a refusal")

		// The same on update, and a stale version.
		p := testutil.MustCreate(t, c, "/api/v1/providers", provLDAPBody("Corp"))
		id := p.Str("id")
		for _, tc := range []struct {
			body  map[string]any
			code  string
			field string
		}{
			{map[string]any{"version": 1, "params": map[string]any{"port": 70000}}, "validation.failed", "params.port"},
			{map[string]any{"version": 1, "params": map[string]any{"client_id": "x"}}, "validation.failed", "params.client_id"},
			{map[string]any{"version": 1, "params": map[string]any{"filter": "(cn=*"}}, "provider.invalidLdapFilter", "params.filter"},
			{map[string]any{"version": 1, "name": strings.Repeat("x", 201)}, "validation.failed", "name"},
			{map[string]any{"version": 1, "type": "oidc"}, "provider.typeImmutable", "type"},
			{map[string]any{"name": "no version"}, "validation.failed", "version"},
		} {
			testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/providers/"+id, tc.body), 400, tc.code)
		}
		testutil.AssertProblem(t, c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 7, "name": "n"}), 409, "resource.versionConflict")
		g := c.Do("GET", "/api/v1/providers/"+id, nil)
		assert.Equal(t, 1.0, g.Num("version"), "nothing written")
		assert.Equal(t, 389.0, g.Num("params.port"))
	})
}

func TestProviderRules(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		// At most one active provider of ldap, oidc_cookie and ldap_kerberos; many of the others.
		for _, typ := range []string{"ldap", "oidc_cookie", "ldap_kerberos"} {
			body := map[string]any{"name": typ + " 1", "type": typ, "active": true}
			switch typ {
			case "ldap":
				body = with(provLDAPBody(typ+" 1"), map[string]any{"active": true}, nil)
			case "oidc_cookie":
				body = with(provOIDCBody(typ+" 1"), map[string]any{"active": true, "type": typ, "button_label": ""}, nil)
			}
			testutil.MustCreate(t, c, "/api/v1/providers", body)
			body["name"] = typ + " 2"
			r := c.Do("POST", "/api/v1/providers", body)
			testutil.AssertProblem(t, r, 409, "provider.activeTypeExists")
			assert.Equal(t, []string{"active"}, testutil.FieldsOf(r))
			body["active"] = false
			second := testutil.MustCreate(t, c, "/api/v1/providers", body)
			r = c.Do("PATCH", "/api/v1/providers/"+second.Str("id"), map[string]any{"version": 1, "active": true})
			testutil.AssertProblem(t, r, 409, "provider.activeTypeExists")
		}
		for _, n := range []string{"o1", "o2"} {
			testutil.MustCreate(t, c, "/api/v1/providers", with(provOIDCBody(n), map[string]any{"active": true}, nil))
		}
		r := c.Do("POST", "/api/v1/providers", with(provOIDCBody("O1"), nil, nil))
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "taken", testutil.FieldCode(r, "name"), "names are unique, ignoring case")

		// User type only with creation; creation refused under a cloud licence.
		ut := testutil.MustCreate(t, c, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff", "quota": 10}).Str("id")
		p := testutil.MustCreate(t, c, "/api/v1/providers", with(provOIDCBody("Creator"), map[string]any{"allow_user_creation": true, "user_type_id": ut}, nil))
		assert.Equal(t, ut, p.Str("user_type_id"))
		r = c.Do("PATCH", "/api/v1/providers/"+p.Str("id"), map[string]any{"version": 1, "allow_user_creation": false})
		require.Equal(t, 200, r.Status, r.String())
		assert.Nil(t, r.Get("user_type_id"), "switching creation off drops the user type")

		lic := c.Do("GET", "/api/v1/settings/licence", nil)
		require.Equal(t, 200, c.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "cloud",
			"version": lic.Num("version")}).Status)
		r = c.Do("POST", "/api/v1/providers", with(provOIDCBody("Cloudy"), map[string]any{"allow_user_creation": true}, nil))
		testutil.AssertProblem(t, r, 422, "provider.creationForbiddenCloud")
		assert.Equal(t, []string{"allow_user_creation"}, testutil.FieldsOf(r))
		r = c.Do("PATCH", "/api/v1/providers/"+p.Str("id"), map[string]any{"version": 2, "allow_user_creation": true})
		testutil.AssertProblem(t, r, 422, "provider.creationForbiddenCloud")
		testutil.MustCreate(t, c, "/api/v1/providers", provOIDCBody("Cloudy"))
	})
}

func TestProviderBulk(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		l1 := testutil.MustCreate(t, c, "/api/v1/providers", provLDAPBody("L1")).Str("id")
		l2 := testutil.MustCreate(t, c, "/api/v1/providers", provLDAPBody("L2")).Str("id")
		o1 := testutil.MustCreate(t, c, "/api/v1/providers", provOIDCBody("O1")).Str("id")
		unknown := uuid.NewString()

		r := c.Do("POST", "/api/v1/providers/bulk-activate", map[string]any{"ids": []string{l1, l2, o1, unknown, "nope"}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, []any{true, false, true, false, false}, []any{r.Get("results.0.ok"), r.Get("results.1.ok"),
			r.Get("results.2.ok"), r.Get("results.3.ok"), r.Get("results.4.ok")})
		assert.Equal(t, "provider.activeTypeExists", r.Str("results.1.code"))
		assert.Equal(t, l2, r.Str("results.1.id"))
		assert.Equal(t, "resource.notFound", r.Str("results.3.code"))
		assert.Equal(t, "resource.notFound", r.Str("results.4.code"))

		local := provLocalID(t, a)
		r = c.Do("POST", "/api/v1/providers/bulk-delete", map[string]any{"ids": []string{l1, l2, local, unknown}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "provider.activeCannotBeDeleted", r.Str("results.0.code"))
		assert.Equal(t, true, r.Get("results.1.ok"))
		assert.Equal(t, "provider.localCannotBeDeleted", r.Str("results.2.code"))
		assert.Equal(t, "resource.notFound", r.Str("results.3.code"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "providers", "id = ?", l2))
		assert.Equal(t, int64(1), testutil.Count(t, a, "providers", "id = ?", l1))

		r = c.Do("POST", "/api/v1/providers/bulk-deactivate", map[string]any{"ids": []string{l1, o1, local}})
		require.Equal(t, 200, r.Status, r.String())
		for i := 0; i < 3; i++ {
			assert.Equal(t, true, r.Get("results."+string(rune('0'+i))+".ok"), r.String())
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "providers", "active = ?", true))
		r = c.Do("POST", "/api/v1/providers/bulk-activate", map[string]any{"ids": []string{local}, "active": true})
		assert.Equal(t, true, r.Get("results.0.ok"), r.String())
		r = c.Do("POST", "/api/v1/providers/bulk-delete", map[string]any{"ids": []string{l1, o1}})
		assert.Equal(t, []any{true, true}, []any{r.Get("results.0.ok"), r.Get("results.1.ok")}, r.String())

		testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/bulk-delete", map[string]any{"ids": []string{}}), 400, "validation.failed")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/bulk-activate", map[string]any{"ids": "x"}), 400, "validation.failed")
	})
}

// Two administrators activate two LDAP providers at the same moment: exactly one wins,
// on both databases, however the requests interleave.
func TestProviderConcurrentActivation(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admins := []*testutil.Client{a.Admin(), a.Admin()}
		for round := 0; round < 5; round++ {
			ids := []string{
				testutil.MustCreate(t, admins[0], "/api/v1/providers", provLDAPBody("race "+uuid.NewString())).Str("id"),
				testutil.MustCreate(t, admins[0], "/api/v1/providers", provLDAPBody("race "+uuid.NewString())).Str("id"),
			}
			var wg sync.WaitGroup
			res := make([]*testutil.Resp, 2)
			start := make(chan struct{})
			for i := range ids {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					res[i] = admins[i].Do("PATCH", "/api/v1/providers/"+ids[i], map[string]any{"version": 1, "active": true})
				}(i)
			}
			close(start)
			wg.Wait()
			var won, lost int
			for _, r := range res {
				switch r.Status {
				case 200:
					won++
				case 409:
					assert.Equal(t, "provider.activeTypeExists", r.Str("code"), r.String())
					lost++
				default:
					t.Errorf("unexpected answer %s", r)
				}
			}
			assert.Equal(t, 1, won, "round %d", round)
			assert.Equal(t, 1, lost, "round %d", round)
			require.Equal(t, int64(1), testutil.Count(t, a, "providers", "type = ? AND active = ?", "ldap", true))
			winner := ids[0]
			if res[1].Status == 200 {
				winner = ids[1]
			}
			r := admins[0].Do("POST", "/api/v1/providers/bulk-deactivate", map[string]any{"ids": []string{winner}})
			require.Equal(t, true, r.Get("results.0.ok"), r.String())
		}
	})
}
