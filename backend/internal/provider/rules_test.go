package provider_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/identity"
	"custos/internal/platform/db"
	"custos/internal/provider"
	"custos/internal/testutil"
)

func jsonRoundTrip(v any, dst any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

func localProvider(t *testing.T, e *env) provider.Provider {
	t.Helper()
	var id string
	require.NoError(t, e.d.W.Table("providers").Where("type = ?", "local").Pluck("id", &id).Error)
	p, err := e.svc.Get(ctx(), id)
	require.NoError(t, err)
	return p
}

// TestRules walks SPEC §4.4 rule by rule: each case may prepare the database, then
// runs one operation and names the code (and field) it must be refused with — or ""
// when it must pass.
func TestRules(t *testing.T) {
	type tc struct {
		name  string
		run   func(t *testing.T, e *env) error
		code  string
		field string
	}
	create := func(in func(t *testing.T, e *env) provider.Input) func(t *testing.T, e *env) error {
		return func(t *testing.T, e *env) error { _, err := e.svc.Create(ctx(), in(t, e)); return err }
	}
	active := func(in provider.Input) provider.Input { in.Active = true; return in }
	mustCreate := func(t *testing.T, e *env, in provider.Input) provider.Provider {
		p, err := e.svc.Create(ctx(), in)
		require.NoError(t, err)
		return p
	}
	cases := []tc{
		// Exactly one local provider.
		{"second local", create(func(t *testing.T, e *env) provider.Input {
			return provider.Input{Name: "AW", Type: provider.TypeLocal}
		}), "provider.localExists", "type"},
		// At most one active of oidc_cookie, ldap, ldap_kerberos.
		{"second active ldap", func(t *testing.T, e *env) error {
			mustCreate(t, e, active(ldapIn(t, "a")))
			_, err := e.svc.Create(ctx(), active(ldapIn(t, "b")))
			return err
		}, "provider.activeTypeExists", "active"},
		{"second active oidc_cookie", func(t *testing.T, e *env) error {
			mustCreate(t, e, active(oidc(t, "a", provider.TypeOIDCCookie)))
			_, err := e.svc.Create(ctx(), active(oidc(t, "b", provider.TypeOIDCCookie)))
			return err
		}, "provider.activeTypeExists", "active"},
		{"second active kerberos by update", func(t *testing.T, e *env) error {
			mustCreate(t, e, provider.Input{Name: "k1", Type: provider.TypeLDAPKerberos, Active: true})
			p := mustCreate(t, e, provider.Input{Name: "k2", Type: provider.TypeLDAPKerberos})
			_, err := e.svc.Update(ctx(), p.ID, provider.Patch{Version: 1, Active: bp(true)})
			return err
		}, "provider.activeTypeExists", "active"},
		{"second active ldap by bulk", func(t *testing.T, e *env) error {
			a := mustCreate(t, e, ldapIn(t, "a"))
			b := mustCreate(t, e, ldapIn(t, "b"))
			r, err := e.svc.BulkSetActive(ctx(), []string{a.ID, b.ID}, true)
			require.NoError(t, err)
			assert.True(t, r.Results[0].OK)
			assert.Equal(t, "provider.activeTypeExists", r.Results[1].Code)
			return nil
		}, "", ""},
		{"many active oidc and rest", func(t *testing.T, e *env) error {
			for _, n := range []string{"a", "b", "c"} {
				mustCreate(t, e, active(oidc(t, n, provider.TypeOIDC)))
				mustCreate(t, e, active(oidc(t, n+"-token", provider.TypeOIDCToken)))
			}
			return nil
		}, "", ""},
		{"reactivating the same provider", func(t *testing.T, e *env) error {
			p := mustCreate(t, e, active(ldapIn(t, "a")))
			_, err := e.svc.Update(ctx(), p.ID, provider.Patch{Version: 1, Active: bp(true), Name: sp("a2")})
			return err
		}, "", ""},
		// Deletion.
		{"delete active", func(t *testing.T, e *env) error {
			return e.svc.Delete(ctx(), mustCreate(t, e, active(oidc(t, "a", provider.TypeOIDC))).ID)
		}, "provider.activeCannotBeDeleted", ""},
		{"delete local", func(t *testing.T, e *env) error { return e.svc.Delete(ctx(), localProvider(t, e).ID) },
			"provider.localCannotBeDeleted", ""},
		{"delete inactive local", func(t *testing.T, e *env) error {
			l := localProvider(t, e)
			_, err := e.svc.Update(ctx(), l.ID, provider.Patch{Version: l.Version, Active: bp(false)})
			require.NoError(t, err)
			return e.svc.Delete(ctx(), l.ID)
		}, "provider.localCannotBeDeleted", ""},
		{"delete inactive", func(t *testing.T, e *env) error {
			return e.svc.Delete(ctx(), mustCreate(t, e, oidc(t, "a", provider.TypeOIDC)).ID)
		}, "", ""},
		// Button label: oidc only.
		{"button label on oidc", create(func(t *testing.T, e *env) provider.Input {
			in := oidc(t, "a", provider.TypeOIDC)
			in.ButtonLabel = "Войти через ЕСИА"
			return in
		}), "", ""},
		// User type only with creation; creation never under cloud.
		{"user type without creation", create(func(t *testing.T, e *env) provider.Input {
			in := oidc(t, "a", provider.TypeOIDC)
			in.UserTypeID = &e.userType
			return in
		}), "provider.userTypeNeedsCreation", "user_type_id"},
		{"user type with creation", create(func(t *testing.T, e *env) provider.Input {
			in := oidc(t, "a", provider.TypeOIDC)
			in.UserTypeID, in.AllowUserCreation = &e.userType, true
			return in
		}), "", ""},
		{"creation under cloud", func(t *testing.T, e *env) error {
			e.dir.licence = identity.Cloud
			in := oidc(t, "a", provider.TypeOIDC)
			in.AllowUserCreation = true
			_, err := e.svc.Create(ctx(), in)
			return err
		}, "provider.creationForbiddenCloud", "allow_user_creation"},
		{"enabling creation under cloud", func(t *testing.T, e *env) error {
			p := mustCreate(t, e, oidc(t, "a", provider.TypeOIDC))
			e.dir.licence = identity.Cloud
			_, err := e.svc.Update(ctx(), p.ID, provider.Patch{Version: 1, AllowUserCreation: bp(true)})
			return err
		}, "provider.creationForbiddenCloud", "allow_user_creation"},
		{"creation kept when the licence turns cloud", func(t *testing.T, e *env) error {
			in := oidc(t, "a", provider.TypeOIDC)
			in.AllowUserCreation = true
			p := mustCreate(t, e, in)
			e.dir.licence = identity.Cloud
			_, err := e.svc.Update(ctx(), p.ID, provider.Patch{Version: 1, Name: sp("renamed")})
			return err
		}, "", ""},
		// The type is fixed; names are unique; references must exist.
		{"type change", func(t *testing.T, e *env) error {
			p := mustCreate(t, e, oidc(t, "a", provider.TypeOIDC))
			_, err := e.svc.Update(ctx(), p.ID, provider.Patch{Version: 1, Type: sp(provider.TypeOIDCCookie)})
			return err
		}, "provider.typeImmutable", "type"},
		{"name taken ignoring case", func(t *testing.T, e *env) error {
			mustCreate(t, e, oidc(t, "Keycloak", provider.TypeOIDC))
			_, err := e.svc.Create(ctx(), oidc(t, " KEYCLOAK ", provider.TypeOIDCToken))
			return err
		}, "validation.failed", "name"},
		{"unknown base group", create(func(t *testing.T, e *env) provider.Input {
			in := oidc(t, "a", provider.TypeOIDC)
			in.BaseGroupIDs = []string{e.group, "0190b3a0-0000-7000-8000-000000000000"}
			return in
		}), "validation.failed", "base_group_ids"},
		{"unknown mapping attribute", create(func(t *testing.T, e *env) provider.Input {
			in := oidc(t, "a", provider.TypeOIDC)
			in.Mappings = []provider.Mapping{{Attribute: "department"}, {Attribute: "shoe_size"}}
			return in
		}), "validation.failed", "mappings.1.attribute"},
		{"invalid LDAP filter", create(func(t *testing.T, e *env) provider.Input {
			return provider.Input{Name: "l", Type: provider.TypeLDAP, Params: params(t, map[string]any{
				"host": "h", "base_dn": "dc=x", "filter": "(|(uid=a)(uid=b)"})}
		}), "provider.invalidLdapFilter", "params.filter"},
	}
	// Button label on every other type.
	for _, typ := range []string{provider.TypeOIDCToken, provider.TypeOIDCCookie, provider.TypeLDAP,
		provider.TypeLDAPKerberos, provider.TypeREST} {
		cases = append(cases, tc{"button label on " + typ, create(func(t *testing.T, e *env) provider.Input {
			in := validInput(t, typ)
			in.ButtonLabel = "Go"
			return in
		}), "provider.buttonLabelOnlyOidc", "button_label"})
	}
	// Required fields per type.
	for typ, req := range map[string][]string{
		provider.TypeOIDC: {"client_id", "client_secret", "external_url"}, provider.TypeOIDCToken: {"client_id", "client_secret", "external_url"},
		provider.TypeOIDCCookie: {"client_id", "client_secret", "external_url"}, provider.TypeREST: {"external_url"},
		provider.TypeLDAP: {"host", "base_dn"},
	} {
		for _, key := range req {
			cases = append(cases, tc{typ + " needs " + key, create(func(t *testing.T, e *env) provider.Input {
				in := validInput(t, typ)
				var m map[string]any
				require.NoError(t, jsonRoundTrip(in.Params, &m))
				delete(m, key)
				in.Params = params(t, nonNull(m))
				return in
			}), "validation.failed", "params." + key})
		}
	}
	for _, typ := range provider.Types[1:] {
		cases = append(cases, tc{typ + " valid", create(func(t *testing.T, e *env) provider.Input { return validInput(t, typ) }), "", ""})
	}
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		for _, c := range cases {
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				t.Parallel() // each case has its own database
				e := newEnv(t, testutil.NewDB(t, d.Dialect))
				wantErr(t, c.run(t, e), c.code, c.field)
			})
		}
	})
}

// validInput is a minimal valid provider of typ.
func validInput(t *testing.T, typ string) provider.Input {
	switch typ {
	case provider.TypeOIDC, provider.TypeOIDCToken, provider.TypeOIDCCookie:
		return oidc(t, "p-"+typ, typ)
	case provider.TypeLDAP:
		return ldapIn(t, "p-ldap")
	case provider.TypeREST:
		return provider.Input{Name: "p-rest", Type: typ, Params: params(t, map[string]any{"external_url": "http://r.local:8080/auth"})}
	}
	return provider.Input{Name: "p-" + typ, Type: typ}
}

func nonNull(m map[string]any) map[string]any {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}
