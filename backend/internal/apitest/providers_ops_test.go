package apitest

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// steps returns "name:ok" for each step of a connection test.
func steps(r *testutil.Resp) []string {
	var out []string
	for i := 0; i < r.Len("steps"); i++ {
		p := "steps." + strconv.Itoa(i)
		out = append(out, r.Str(p+".step")+":"+strconv.FormatBool(r.Get(p+".ok") == true))
	}
	return out
}

// oidcServer serves a discovery document and a key set; issuer overrides the
// issuer it claims ("" = its own URL).
func oidcServer(t *testing.T, issuer string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/realms/main/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		iss := issuer
		if iss == "" {
			iss = srv.URL + "/realms/main"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "jwks_uri": srv.URL + "/realms/main/certs",
			"authorization_endpoint": srv.URL + "/auth", "token_endpoint": srv.URL + "/token"})
	})
	mux.HandleFunc("/realms/main/certs", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"keys":[{"kid":"k1","kty":"RSA","alg":"RS256","n":"AQAB","e":"AQAB"}]}`))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestProviderConnectionTestOIDCAndREST(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		create := func(name, typ, url string) string {
			body := map[string]any{"name": name, "type": typ, "params": map[string]any{"external_url": url}}
			if typ != "rest" {
				body["params"].(map[string]any)["client_id"] = "custos"
				body["params"].(map[string]any)["client_secret"] = "s"
			}
			return testutil.MustCreate(t, c, "/api/v1/providers", body).Str("id")
		}
		test := func(id string) *testutil.Resp {
			r := c.Do("POST", "/api/v1/providers/"+id+"/test", nil)
			require.Equal(t, 200, r.Status, r.String())
			return r
		}
		good := oidcServer(t, "")
		r := test(create("Good", "oidc", good.URL+"/realms/main"))
		assert.Equal(t, true, r.Get("ok"), r.String())
		assert.Equal(t, []string{"discovery:true", "issuer:true", "jwks:true"}, steps(r))
		assert.Contains(t, r.Str("steps.2.message"), "RS256")
		assert.GreaterOrEqual(t, r.Num("steps.0.duration_ms"), 0.0)

		liar := oidcServer(t, "https://elsewhere.example.org/realms/main")
		r = test(create("Liar", "oidc_token", liar.URL+"/realms/main"))
		assert.Equal(t, false, r.Get("ok"))
		assert.Equal(t, []string{"discovery:true", "issuer:false"}, steps(r), "stops at the first failure")
		assert.Contains(t, r.Str("steps.1.message"), "elsewhere.example.org")

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		dead := "http://" + ln.Addr().String()
		require.NoError(t, ln.Close())
		r = test(create("Dead", "oidc_cookie", dead+"/realms/main"))
		assert.Equal(t, []string{"discovery:false"}, steps(r))
		assert.Contains(t, r.Str("steps.0.message"), "refused")

		r = test(create("REST up", "rest", good.URL+"/anything"))
		assert.Equal(t, []string{"dns:true", "reachability:true"}, steps(r), r.String())
		assert.Contains(t, r.Str("steps.1.message"), "HTTP 404")
		r = test(create("REST down", "rest", dead+"/login"))
		assert.Equal(t, []string{"dns:true", "reachability:false"}, steps(r))

		r = test(provLocalID(t, a))
		assert.Equal(t, []string{"local:true"}, steps(r))
		k := testutil.MustCreate(t, c, "/api/v1/providers", map[string]any{"name": "Kerberos", "type": "ldap_kerberos"}).Str("id")
		r = test(k)
		assert.Equal(t, []string{"ldap_provider:false"}, steps(r), "Kerberos needs an active LDAP provider")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/00000000-0000-0000-0000-000000000000/test", nil), 404, "resource.notFound")
	})
}

func TestProviderConnectionTestAgainstSlapd(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	c := a.Admin()
	base := map[string]any{"host": srv.Host, "port": srv.Port, "bind_dn": srv.AdminDN, "bind_password": srv.AdminPassword,
		"base_dn": srv.BaseDN, "server_type": "openldap", "filter": "(objectClass=inetOrgPerson)"}
	create := func(name string, params map[string]any) string {
		return testutil.MustCreate(t, c, "/api/v1/providers", with(map[string]any{"name": name, "type": "ldap", "params": base},
			nil, params)).Str("id")
	}
	test := func(id string) *testutil.Resp {
		r := c.Do("POST", "/api/v1/providers/"+id+"/test", nil)
		require.Equal(t, 200, r.Status, r.String())
		return r
	}
	r := test(create("plain", nil))
	assert.Equal(t, []string{"dns:true", "tcp:true", "bind:true", "search:true"}, steps(r), r.String())
	assert.Contains(t, r.Str("steps.3.message"), "ou=people,dc=custos,dc=test")

	r = test(create("ldaps", map[string]any{"connection": "ssl", "port": srv.TLSPort, "ca_cert": srv.CACert}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "tls:true", "bind:true", "search:true"}, steps(r), r.String())
	assert.Contains(t, r.Str("steps.2.message"), "TLS 1.")

	r = test(create("starttls", map[string]any{"connection": "starttls", "ca_cert": srv.CACert}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "starttls:true", "bind:true", "search:true"}, steps(r), r.String())

	r = test(create("untrusted", map[string]any{"connection": "ssl", "port": srv.TLSPort}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "tls:false"}, steps(r), "the test CA is not a system root")

	r = test(create("wrong password", map[string]any{"bind_password": "nope"}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "bind:false"}, steps(r))
	assert.Contains(t, r.Str("steps.2.message"), "Invalid Credentials")

	r = test(create("anonymous", map[string]any{"bind_dn": nil, "bind_password": nil}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "bind:true", "search:true"}, steps(r), r.String())

	r = test(create("no match", map[string]any{"filter": "(uid=nobody-at-all)"}))
	assert.Equal(t, []string{"dns:true", "tcp:true", "bind:true", "search:false"}, steps(r))

	// Dry run: fetch alice's entry and map it.
	testutil.MustCreate(t, c, "/api/v1/attributes", map[string]any{"code": "department", "name": "Отдел", "type": "string"})
	users := testutil.GroupID(t, a, "users")
	id := testutil.MustCreate(t, c, "/api/v1/providers", with(map[string]any{"name": "dry", "type": "ldap", "params": base,
		"base_group_ids": []string{users}, "mappings": []any{map[string]any{"attribute": "department", "source": "departmentNumber",
			"rules": []any{map[string]any{"from": "R&D", "to": "rnd"}}}}}, nil, nil)).Str("id")
	r = c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"login": "alice"})
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, "alice", r.Str("login"))
	assert.Equal(t, "alice@custos.test", r.Str("email"))
	assert.Equal(t, "Alice Liddell", r.Str("display_name"))
	assert.Equal(t, "rnd", r.Str("attributes.department"))
	assert.Equal(t, "engineer", r.Str("extra_attributes.title"))
	assert.Nil(t, r.Get("claims.userPassword"), "passwords never leave the directory")
	assert.Equal(t, []string{"users"}, provEach(r, "groups", "code"), "LDAP gives the base groups")
	r = c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"login": "carol"})
	testutil.AssertProblem(t, r, 422, "provider.entryNotFound")
	r = c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"login": "*)(uid=*"})
	testutil.AssertProblem(t, r, 422, "provider.entryNotFound")
}

// provEach collects field of every element of the array at path.
func provEach(r *testutil.Resp, path, field string) []string {
	var out []string
	for i := 0; i < r.Len(path); i++ {
		out = append(out, r.Str(path+"."+strconv.Itoa(i)+"."+field))
	}
	return out
}

func TestProviderDryRunClaims(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/attributes", map[string]any{"code": "department", "name": "Отдел", "type": "string"})
		testutil.MustCreate(t, c, "/api/v1/attributes", map[string]any{"code": "region", "name": "Регион", "type": "string"})
		body := with(provOIDCBody("Keycloak"), map[string]any{"base_group_ids": []string{testutil.GroupID(t, a, "users")},
			"mappings": []any{
				map[string]any{"attribute": "user_roles", "rules": []any{
					map[string]any{"from": "covid19_test.roles.covid19_fdkc", "to": "fdkc_operator"}}},
				map[string]any{"attribute": "region", "source": "address.region",
					"rules": []any{map[string]any{"from": "77", "to": "Moscow"}}},
			}}, nil)
		id := testutil.MustCreate(t, c, "/api/v1/providers", body).Str("id")
		claims := map[string]any{"sub": "f81d4fae", "preferred_username": "ivan", "email": "ivan@example.org",
			"name": "Иван Петров", "department": "IT", "shoe_size": 42, "address": map[string]any{"region": "77"},
			"resource_access": map[string]any{
				"custos":       map[string]any{"roles": []any{"auditors", "no_such_group"}},
				"covid19_test": map[string]any{"roles": []any{"covid19_fdkc"}}}}
		r := c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"claims": claims})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "ivan", r.Str("login"))
		assert.Equal(t, "ivan@example.org", r.Str("email"))
		assert.Equal(t, "Иван Петров", r.Str("display_name"))
		assert.Equal(t, []string{"auditors", "users"}, provEach(r, "groups", "code"), "matching roles plus base groups")
		assert.Equal(t, []any{"auditors", "no_such_group"}, r.Get("roles"))
		assert.Equal(t, []any{"no_such_group"}, r.Get("unmatched_roles"))
		assert.Equal(t, []any{"fdkc_operator", "custos.roles.auditors", "custos.roles.no_such_group"}, r.Get("attributes.user_roles"))
		assert.Equal(t, "Moscow", r.Str("attributes.region"), "mapped from a claim path through a rule")
		assert.Equal(t, "IT", r.Str("attributes.department"), "an unmapped schema attribute takes its own claim")
		assert.Equal(t, 42.0, r.Num("extra_attributes.shoe_size"), "claims the schema lacks are kept (soft mapping)")
		assert.Nil(t, r.Get("extra_attributes.sub"))
		assert.Nil(t, r.Get("extra_attributes.address"), "consumed by a mapping")

		payload, _ := json.Marshal(claims)
		tok := "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(payload) + ".c2ln"
		r2 := c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"token": tok})
		require.Equal(t, 200, r2.Status, r2.String())
		assert.Equal(t, r.Get("attributes"), r2.Get("attributes"), "a pasted ID token maps like its claims")

		for _, bad := range []map[string]any{{}, {"token": "not.a-jwt"}, {"login": "ivan"},
			{"claims": claims, "token": tok}} {
			testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/"+id+"/dry-run", bad), 400, "validation.failed")
		}
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/providers/"+id+"/dry-run", map[string]any{"claims": "x"}), 400, "validation.failed")
		assert.Equal(t, int64(0), testutil.Count(t, a, "users", "login = ?", "ivan"), "a dry run saves nothing")
	})
}
