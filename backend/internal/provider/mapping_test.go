package provider

import (
	"encoding/json"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func claimsOf(t *testing.T, s string) Claims {
	t.Helper()
	var c Claims
	require.NoError(t, json.Unmarshal([]byte(s), &c))
	return c
}

func TestMapClaims(t *testing.T) {
	token := `{"sub": "1", "iss": "https://id", "preferred_username": "ivan", "email": "ivan@example.org",
		"name": "Иван", "department": "IT", "groups": ["a", "b"], "org": {"unit": {"code": "U-1"}},
		"resource_access": {"custos": {"roles": ["admins", "viewers"]}, "covid19_test": {"roles": ["covid19_fdkc", "x"]}}}`
	schema := map[string]string{"user_roles": "list", "department": "string", "unit": "string", "teams": "list"}
	cases := []struct {
		name     string
		spec     MapSpec
		attrs    map[string]any
		extra    []string
		roles    []string
		login    string
		claimSrc string
	}{
		{name: "no mapping: same-named claims only",
			spec:  MapSpec{Type: TypeOIDC, ClientID: "custos", Schema: schema},
			attrs: map[string]any{"department": "IT"}, extra: []string{"groups", "org"}, roles: []string{"admins", "viewers"}, login: "ivan"},
		{name: "user_roles default: every system role, with rules",
			spec: MapSpec{Type: TypeOIDC, ClientID: "custos", Schema: schema, Mappings: []Mapping{{Attribute: "user_roles",
				Rules: []Rule{{From: "covid19_test.roles.covid19_fdkc", To: "fdkc"}}}}},
			attrs: map[string]any{"department": "IT", "user_roles": []string{"fdkc", "covid19_test.roles.x",
				"custos.roles.admins", "custos.roles.viewers"}},
			extra: []string{"groups", "org"}, roles: []string{"admins", "viewers"}, login: "ivan"},
		{name: "per-system role detail [system].roles.[role]",
			spec: MapSpec{Type: TypeOIDC, Schema: schema, Mappings: []Mapping{{Attribute: "user_roles",
				Source: "covid19_test.roles.covid19_fdkc", Rules: []Rule{{From: "covid19_fdkc", To: "operator"}}}}},
			attrs: map[string]any{"department": "IT", "user_roles": []string{"operator"}},
			extra: []string{"groups", "org"}, login: "ivan"},
		{name: "nested path, list source into a string attribute, rules pass others through",
			spec: MapSpec{Type: TypeOIDC, Schema: schema, Mappings: []Mapping{
				{Attribute: "unit", Source: "org.unit.code", Rules: []Rule{{From: "U-1", To: "first"}}},
				{Attribute: "teams", Source: "groups", Rules: []Rule{{From: "a", To: "alpha"}}},
				{Attribute: "department", Source: "missing_claim"}}},
			attrs: map[string]any{"unit": "first", "teams": []string{"alpha", "b"}},
			extra: []string{"department"}, login: "ivan"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := MapClaims(c.spec, claimsOf(t, token))
			assert.Equal(t, c.login, m.Login)
			assert.Equal(t, "ivan@example.org", m.Email)
			assert.Equal(t, "Иван", m.DisplayName)
			assert.Equal(t, c.attrs, m.Attributes)
			var extra []string
			for k := range m.ExtraAttributes {
				extra = append(extra, k)
			}
			assert.ElementsMatch(t, c.extra, extra, "protocol claims and consumed claims are not extra")
			assert.Equal(t, c.roles, m.Roles)
		})
	}
}

func TestMapLDAPEntry(t *testing.T) {
	entry := Claims{"dn": "uid=alice,ou=people,dc=x", "UID": "alice", "mail": "alice@x", "cn": "Alice L",
		"objectClass": []any{"top", "inetOrgPerson"}, "memberOf": []any{"cn=a,dc=x", "cn=b,dc=x"}, "title": "eng"}
	m := MapClaims(MapSpec{Type: TypeLDAP, UsernameAttribute: "uid", Schema: map[string]string{"teams": "list"},
		Mappings: []Mapping{{Attribute: "teams", Source: "memberof"}}}, entry)
	assert.Equal(t, "alice", m.Login, "attribute names ignore case")
	assert.Equal(t, "alice@x", m.Email)
	assert.Equal(t, "Alice L", m.DisplayName)
	assert.Equal(t, []string{"cn=a,dc=x", "cn=b,dc=x"}, m.Attributes["teams"])
	assert.Equal(t, map[string]any{"title": "eng"}, m.ExtraAttributes)
	assert.Empty(t, m.Roles)
}

func TestCheckFilter(t *testing.T) {
	for _, ok := range []string{"(uid=a)", "(uidNumber=1101)", "(&(objectClass=organizationalPerson)(memberOf=CN=awgroup01,CN=Users,DC=proj,DC=corp,DC=local))",
		"(|(cn=a*)(!(sn=b)))", `(cn=a\29b)`, "(mail=*@example.org)", "(cn:caseExactMatch:=Fred)",
		"(cn:dn:2.4.6.8.10:=Dino)", "(:1.2.3:=x)", "(2.5.4.3=x)", "(cn;lang-ru=Иван)", "(age>=18)", "(cn~=jon)",
		"(cn=)", "(cn=*a*b*)", "(o=Parens R Us \\28for all your parenthetical needs\\29)"} {
		assert.Empty(t, CheckFilter(ok), ok)
	}
	for _, bad := range []string{"", "uid=a", "(uid=a", "(&(uid=a)", "(uid=a))", " (uid=a)", "(uid=a)(uid=b)",
		"(=a)", `(cn=a\zz)`, "((uid=a))", "(&)x", "(&)", "(!)", "(cn>=a*)", "(:=x)", "(cn:=)x", "(1cn=a)",
		"(cn;=a)", "(01.2=a)", "(cn=a(b)", "(uid=a)\n"} {
		assert.NotEmpty(t, CheckFilter(bad), "%q", bad)
	}
}

func FuzzCheckFilter(f *testing.F) {
	for _, s := range []string{"(uid=a)", "(&(a=b)(|(c=d)(!(e=f))))", "(cn=*x*)", `(cn=\2a)`, "(", ")", "(&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if validateFilter(s) == "" { // what we accept, the library that sends it accepts too
			if _, err := ldap.CompileFilter(s); err != nil {
				t.Errorf("%q passes RFC 4515 but not go-ldap: %v", s, err)
			}
		}
		_ = CheckFilter(s) // must never panic or hang
		_ = userFilter(stored{UsernameAttribute: "uid", Filter: s}, s)
	})
}

func TestMergeDefaults(t *testing.T) {
	in := func(kv map[string]any) *ParamsInput {
		var p ParamsInput
		b, _ := json.Marshal(kv)
		require.NoError(t, json.Unmarshal(b, &p))
		return &p
	}
	s, errs := merge(TypeLDAP, stored{}, in(map[string]any{"host": "h", "base_dn": "dc=x"}))
	require.Empty(t, errs)
	assert.Equal(t, stored{Host: "h", BaseDN: "dc=x", Port: 389, Connection: ConnPlain, ServerType: ServerAD,
		UsernameAttribute: "sAMAccountName"}, s)
	s2, _ := merge(TypeLDAP, s, in(map[string]any{"connection": "ssl", "server_type": "openldap"}))
	assert.Equal(t, 636, s2.Port)
	assert.Equal(t, "uid", s2.UsernameAttribute)
	s3, _ := merge(TypeLDAP, stored{Port: 10389, Connection: ConnPlain, ServerType: ServerAD, UsernameAttribute: "cn"},
		in(map[string]any{"connection": "ssl", "server_type": "openldap"}))
	assert.Equal(t, 10389, s3.Port, "a port chosen by hand stays")
	assert.Equal(t, "cn", s3.UsernameAttribute, "an attribute chosen by hand stays")
	s4, _ := merge(TypeLDAP, s3, in(map[string]any{"port": nil}))
	assert.Equal(t, 636, s4.Port, "null asks for the default port")
	s5, _ := merge(TypeLDAP, s3, in(map[string]any{"port": 0}))
	assert.Equal(t, 0, s5.Port, "an explicit 0 stays, to be refused")

	_, errs = merge(TypeREST, stored{}, in(map[string]any{"external_url": "https://x", "client_id": "c", "nope": 1, "port": "x"}))
	var names []string
	for _, e := range errs {
		names = append(names, e.Field+":"+e.Code)
	}
	assert.ElementsMatch(t, []string{"params.client_id:notForType", "params.nope:unknown", "params.port:wrongType"}, names)
}

func TestJWTClaims(t *testing.T) {
	c, ok := jwtClaims("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZXMiOlsiYSJdfQ.")
	require.True(t, ok)
	assert.Equal(t, "1", c["sub"])
	for _, bad := range []string{"", "a.b", "a.!!!.c", "a." + "bm90IGpzb24" + ".c", "a.bnVsbA.c"} {
		_, ok := jwtClaims(bad)
		assert.False(t, ok, bad)
	}
}
