package apitest

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/platform/validate"
	"custos/internal/testutil"
)

// What a hostile or broken peer puts in its answers: a NUL (PostgreSQL refuses it in
// text), terminal escapes and a bell, bytes that are not UTF-8, and 100 KB.
const (
	nul     = "\x00"
	ctl     = "\x1b[31m\x07"
	invalid = "\xff\xfe"
)

var huge = strings.Repeat("h", 100<<10)

// hostileLogins are logins no cleaning can make usable: each is a refused sign-in.
var hostileLogins = map[string]string{"NUL": "ali" + nul + "ce", "control characters": "ali" + ctl + "ce",
	"invalid UTF-8": "ali" + invalid + "ce", "100 KB": huge}

// failures counts the audited refused sign-ins.
func failures(t *testing.T, a *testutil.TestApp) int64 {
	return testutil.Count(t, a, "audit_events", "action = ?", "login.failure")
}

// assertRefusedAudited checks that one more refusal was audited since before, with
// the reason, and a resource name that is clean text within its column.
func assertRefusedAudited(t *testing.T, a *testutil.TestApp, before int64, reason, name string) {
	t.Helper()
	assert.Equal(t, before+1, failures(t, a), "%s: one refusal audited", name)
	f := lastAudit(t, a.Admin(), "login.failure")
	require.Equal(t, 1, f.Len("items"), name)
	assert.Equal(t, reason, f.Str("items.0.diff.reason"), name)
	rn := f.Str("items.0.resource_name")
	assert.True(t, utf8.ValidString(rn) && !strings.ContainsRune(rn, 0) && utf8.RuneCountInString(rn) <= 200,
		"%s: the audited login is clean: %q", name, rn)
}

// controlInJSON is a control character (other than tab and newline) escaped in JSON.
var controlInJSON = regexp.MustCompile(`\\u00[01][0-9a-fA-F]|\\u007[fF]`)

// assertStoredClean checks that no user and no audit event holds a NUL, a control
// character (raw or escaped in JSON) or invalid UTF-8: what the database holds.
func assertStoredClean(t *testing.T, a *testutil.TestApp) {
	t.Helper()
	for table, cols := range map[string]string{
		"users":        "login, email, display_name, extra_attributes, attributes",
		"audit_events": "resource_name, diff",
	} {
		var rows []map[string]any
		require.NoError(t, a.DB.W.Table(table).Select(cols).Find(&rows).Error)
		for _, r := range rows {
			for col, v := range r {
				s, _ := v.(string)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				bad := !utf8.ValidString(s) || controlInJSON.MatchString(s) ||
					strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f }) >= 0
				assert.False(t, bad, "%s.%s holds %q", table, col, s[:min(len(s), 300)])
			}
		}
	}
}

// storedUser reads a user's profile through the API, as an administrator sees it.
func storedUser(t *testing.T, a *testutil.TestApp, login string) *testutil.Resp {
	t.Helper()
	r := a.Admin().Do("GET", "/api/v1/users/"+testutil.UserID(t, a, login), nil)
	require.Equal(t, 200, r.Status, r.String())
	return r
}

// hostileClaims are an OpenID user whose login is fine and everything else is not;
// big is the size of the large values.
func hostileClaims(sub, login string, big int) map[string]any {
	huge := strings.Repeat("h", big)
	return map[string]any{"sub": sub, "preferred_username": login, "email": "h" + nul + "@example.com",
		"name": "Host" + nul + "ile" + ctl + " User" + invalid, "dept": "R&D" + nul, "phone": huge,
		"ph" + nul + "one": "x" + ctl, "bad" + invalid + "key": "v",
		"resource_access": map[string]any{"custos": map[string]any{"roles": []any{"analysts" + nul, "analysts" + invalid,
			huge, "analysts"}}}}
}

// assertCleanOpenIDUser checks what a sign-in with hostileClaims stored.
func assertCleanOpenIDUser(t *testing.T, s *oidcSetup, login string) {
	t.Helper()
	u := storedUser(t, s.a, login)
	assert.Equal(t, "Host\uFFFDile\uFFFD[31m\uFFFD User\uFFFD\uFFFD", u.Str("display_name"), "replaced, never a NUL")
	assert.Equal(t, "", u.Str("email"), "an address with a NUL is no address")
	assert.Equal(t, []any{s.analysts}, u.Get("group_ids"), "only the clean role matches a group")
	assert.Equal(t, "R&D\uFFFD", u.Str("attributes.department"), "the mapped attribute, cleaned")
	assert.Equal(t, "x\uFFFD[31m\uFFFD", u.Str("extra_attributes.ph\uFFFDone"), "keys and values cleaned")
	assert.Equal(t, "v", u.Str("extra_attributes.bad\uFFFD\uFFFDkey"))
	assert.Nil(t, u.Get("extra_attributes.phone"), "a 100 KB value is not kept")
	assertStoredClean(t, s.a)
}

func TestHostileOpenIDClaims(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		s.idp.Set(func(p *testutil.IdP) { p.Raw = true }) // bytes as they are, invalid UTF-8 too
		pid := s.provider(t, "oidc", map[string]any{"allow_user_creation": true})
		s.provider(t, "oidc_token", map[string]any{"allow_user_creation": true})

		// The code flow: user info carries the hostile claims.
		s.idp.Set(func(p *testutil.IdP) { p.User = hostileClaims("h-1", "hostile.oidc", len(huge)) })
		b := s.a.Anonymous()
		v := b.Navigate("/api/v1/auth/oidc/" + pid + "/start")
		require.Equal(t, "/", v.Final().Path, "signed in: %v", v.Chain)
		assert.Equal(t, "hostile.oidc", b.Do("GET", "/api/v1/auth/me", nil).Str("user.login"))
		assertCleanOpenIDUser(t, s, "hostile.oidc")

		// A bearer token of the oidc_token provider carries them in its signed payload
		// (5 KB for the large ones: a bearer token is at most 16 KiB).
		tok := s.idp.Sign(hostileClaims("h-2", "hostile.token", 5<<10), testutil.TokenOptions{})
		bearer := map[string]string{"Authorization": "Bearer " + tok}
		me := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer)
		require.Equal(t, 200, me.Status, me.String())
		assertCleanOpenIDUser(t, s, "hostile.token")

		users := testutil.Count(t, s.a, "users", "")
		for name, login := range hostileLogins {
			s.idp.Set(func(p *testutil.IdP) { p.User = hostileClaims("bad-"+name, login, len(huge)) })
			before := failures(t, s.a)
			v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + pid + "/start")
			assert.Equal(t, "signin.invalidProviderLogin", loginError(v), "%s: %v", name, v.Chain)
			assertRefusedAudited(t, s.a, before, "signin.invalidProviderLogin", "code flow, "+name)

			tok := s.idp.Sign(map[string]any{"sub": "bad-token-" + name, "preferred_username": login[:min(len(login), 8<<10)]},
				testutil.TokenOptions{})
			before = failures(t, s.a)
			r := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, map[string]string{"Authorization": "Bearer " + tok})
			testutil.AssertProblem(t, r, 403, "signin.invalidProviderLogin")
			assertRefusedAudited(t, s.a, before, "signin.invalidProviderLogin", "bearer token, "+name)
		}
		assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "no account for an unusable login")
		assertStoredClean(t, s.a)
	})
}

func TestHostileRESTAnswers(t *testing.T) {
	t.Parallel()
	answers := map[string]string{ // by the login typed, the service's answer, byte for byte
		"hostile": `{"login":"Rest.Hostile","email":"r\u0000@example.com","display_name":"Rest\u0000 \u001b[1mUser` + invalid + `",` +
			`"roles":["analysts\u0000","analysts","` + huge + `","analysts` + invalid + `"],` +
			`"attributes":{"dept":"R&D\u0000","k\u0000ey":"v\u0007","big":"` + huge + `","nested":{"a\u0000":["\u0001",1,true]}}}`,
		"nul":     `{"login":"a\u0000b"}`,
		"control": `{"login":"a\u001b[0mb"}`,
		"invalid": `{"login":"a` + invalid + `b"}`,
		"huge":    `{"login":"` + huge + `"}`,
		"only":    `{"login":"\u0000"}`,
	}
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Login string }
		_ = jsonDecode(r, &in)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answers[in.Login]))
	}))
	t.Cleanup(svc.Close)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		pid := testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "Partner REST", "type": "rest",
			"active": true, "allow_user_creation": true, "params": map[string]any{"external_url": svc.URL},
			"mappings": []map[string]any{{"attribute": "department", "source": "dept"}}}).Str("id")
		path := "/api/v1/auth/rest/" + pid + "/session"

		r := s.a.Anonymous().Do("POST", path, map[string]any{"login": "hostile", "password": "x"})
		require.Equal(t, 200, r.Status, r.String())
		u := storedUser(t, s.a, "rest.hostile")
		assert.Equal(t, "Rest\uFFFD \uFFFD[1mUser\uFFFD\uFFFD", u.Str("display_name"))
		assert.Equal(t, "", u.Str("email"))
		assert.Equal(t, []any{s.analysts}, u.Get("group_ids"), "only the clean role matches a group")
		assert.Equal(t, "R&D\uFFFD", u.Str("attributes.department"))
		assert.Equal(t, "v\uFFFD", u.Str("extra_attributes.k\uFFFDey"))
		assert.Equal(t, []any{"\uFFFD", 1.0, true}, u.Get("extra_attributes.nested.a\uFFFD"), "nested values too")
		assert.Nil(t, u.Get("extra_attributes.big"))
		assertStoredClean(t, s.a)

		users := testutil.Count(t, s.a, "users", "")
		for _, login := range []string{"nul", "control", "invalid", "huge", "only"} {
			before := failures(t, s.a)
			r := s.a.Anonymous().Do("POST", path, map[string]any{"login": login, "password": "x"})
			testutil.AssertProblem(t, r, 403, "signin.invalidProviderLogin")
			assertRefusedAudited(t, s.a, before, "signin.invalidProviderLogin", login)
		}
		assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "no account for an unusable login")
		assertStoredClean(t, s.a)
	})
}

// addHostileEntry adds a directory user (password <uid>-password) whose attributes
// hold what a directory may: any bytes.
func addHostileEntry(t *testing.T, srv *testutil.LDAPServer, uid string) {
	t.Helper()
	conn, err := ldap.DialURL("ldap://" + net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Bind(srv.AdminDN, srv.AdminPassword))
	add := ldap.NewAddRequest("uid="+uid+",ou=people,"+srv.BaseDN, nil)
	for attr, v := range map[string]string{"objectClass": "inetOrgPerson", "uid": uid, "cn": "Mallory", "sn": "M",
		"userPassword": uid + "-password", "displayName": "Mall" + nul + "ory", "mail": uid + nul + "@custos.test",
		"description": "d" + ctl, "audio": "R&D" + invalid, // a text attribute refuses bad UTF-8
		"title": huge, "carLicense": "a\x01b"} {
		add.Attribute(attr, []string{v})
	}
	require.NoError(t, conn.Add(add))
}

// assertCleanDirectoryUser checks what a sign-in of a hostile entry stored.
func assertCleanDirectoryUser(t *testing.T, a *testutil.TestApp, login string) {
	t.Helper()
	u := storedUser(t, a, login)
	assert.Equal(t, "Mallory", u.Str("display_name"), "a value with a NUL is binary: the cn stands in")
	assert.Equal(t, "", u.Str("email"))
	assert.Equal(t, "d\uFFFD[31m\uFFFD", u.Str("extra_attributes.description"))
	assert.Equal(t, "a\uFFFDb", u.Str("extra_attributes.carLicense"))
	assert.Nil(t, u.Get("extra_attributes.audio"), "not UTF-8: not text")
	assert.Nil(t, u.Get("extra_attributes.title"), "a 100 KB value is not kept")
	assertStoredClean(t, a)
}

func TestHostileDirectoryEntriesAndKerberosHeaders(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	addHostileEntry(t, srv, "mallory")
	addHostileEntry(t, srv, "trudy")
	trust := func(c *config.Config) {
		_, n, _ := net.ParseCIDR("127.0.0.1/32")
		c.TrustedProxies, c.KerberosHeader = []*net.IPNet{n}, "X-Remote-User"
	}
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trust)
		admin := a.Admin()
		pid := ldapProvider(t, admin, srv, nil, map[string]any{"allow_user_creation": true})

		r := testutil.Login(a, "mallory", "mallory-password")
		require.Equal(t, 200, r.Status, r.String())
		assertCleanDirectoryUser(t, a, "mallory")

		dry := admin.Do("POST", "/api/v1/providers/"+pid+"/dry-run", map[string]any{"login": "mallory"})
		require.Equal(t, 200, dry.Status, dry.String())
		assert.Equal(t, "d\uFFFD[31m\uFFFD", dry.Str("claims.description"))
		assert.Equal(t, validate.ClaimTextMax, utf8.RuneCountInString(dry.Str("claims.title")), "cut")
		assert.Nil(t, dry.Get("claims.audio"))
		dry = admin.Do("POST", "/api/v1/providers/"+pid+"/dry-run", map[string]any{"login": "mal" + nul + "lory"})
		testutil.AssertProblem(t, dry, 400, "validation.failed")
		assert.Contains(t, testutil.FieldsOf(dry), "login")

		testutil.MustCreate(t, admin, "/api/v1/providers", map[string]any{"name": "Kerberos", "type": "ldap_kerberos",
			"active": true, "allow_user_creation": true})
		b := a.Anonymous()
		v := b.Navigate("/api/v1/auth/kerberos", "X-Remote-User", "trudy@CUSTOS.TEST")
		require.Equal(t, "/", v.Final().Path, "%v", v.Chain)
		assertCleanDirectoryUser(t, a, "trudy")

		users := testutil.Count(t, a, "users", "")
		for name, header := range map[string]string{"invalid UTF-8": "tru" + invalid + "dy@CUSTOS.TEST",
			"tab": "tru\tdy", "100 KB": huge, "obs-text": "trudy\x80"} {
			before := failures(t, a)
			v := a.Anonymous().Navigate("/api/v1/auth/kerberos", "X-Remote-User", header)
			assert.Equal(t, "signin.kerberosNoUser", loginError(v), "%s: %v", name, v.Chain)
			assertRefusedAudited(t, a, before, "signin.kerberosNoUser", name)
			detail := lastAudit(t, admin, "login.failure").Str("items.0.diff.after.detail")
			assert.Contains(t, detail, "named no usable user", name)
		}
		assert.Equal(t, users, testutil.Count(t, a, "users", ""))
		assertStoredClean(t, a)
	})
}

// rawJWT is an unsigned sample token whose payload is claims byte for byte.
func rawJWT(claims map[string]any) string {
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(testutil.RawJSON(claims)) + "."
}

func TestHostileProviderDryRunAndImport(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/attributes", map[string]any{"code": "department", "name": "Department", "type": "string"})
		id := testutil.MustCreate(t, c, "/api/v1/providers", with(provOIDCBody("Keycloak"), map[string]any{
			"mappings": []any{map[string]any{"attribute": "department", "source": "dept"}}}, nil)).Str("id")
		claims := map[string]any{"preferred_username": "ivan" + nul, "name": "Iv" + ctl + "an", "dept": "IT" + nul,
			"k" + nul + "ey": huge, "resource_access": map[string]any{"custos": map[string]any{
				"roles": []any{"auditors" + nul, "auditors", "r" + ctl}}}}
		for name, body := range map[string]any{
			"claims": map[string]any{"claims": claims},
			"token":  map[string]any{"token": rawJWT(with(claims, map[string]any{"name": "Iv" + ctl + "an" + invalid}, nil))},
		} {
			r := c.Do("POST", "/api/v1/providers/"+id+"/dry-run", body)
			require.Equal(t, 200, r.Status, "%s: %s", name, r.String())
			assert.Equal(t, "ivan\uFFFD", r.Str("login"), name)
			assert.True(t, strings.HasPrefix(r.Str("display_name"), "Iv\uFFFD[31m\uFFFDan"), name)
			assert.Equal(t, []any{"auditors\uFFFD", "auditors", "r\uFFFD[31m\uFFFD"}, r.Get("roles"), name)
			assert.Equal(t, []string{"auditors"}, provEach(r, "groups", "code"), name)
			assert.Equal(t, "IT\uFFFD", r.Str("attributes.department"), name)
			assert.Equal(t, validate.ClaimTextMax, utf8.RuneCountInString(r.Str("extra_attributes.k\uFFFDey")), name)
		}

		// An import file with such text is refused whole, naming each field; nothing is written.
		file := []map[string]any{
			with(provOIDCBody("Fine"), nil, nil),
			with(provLDAPBody("Directory"), map[string]any{"base_groups": []string{"users" + nul},
				"user_type": huge, "params": map[string]any{"host": "ldap" + ctl + ".example.org",
					"bind_password": "pw-s3cr3t" + nul, "base_dn": "dc=example", "filter": "(objectClass=*)"}}, nil),
			with(provOIDCBody("Bad"+nul+"name"), map[string]any{"button_label": "Sign" + ctl,
				"mappings": []any{map[string]any{"attribute": "department", "source": "dept",
					"rules": []any{map[string]any{"from": "a" + nul, "to": "b"}}}}}, nil),
		}
		for _, q := range []string{"?dry_run=true", ""} {
			before := rowCountsProviders(t, a)
			r := c.Do("POST", "/api/v1/providers/import"+q, file)
			testutil.AssertProblem(t, r, 400, "validation.failed")
			assert.ElementsMatch(t, []string{"providers[1].base_groups.0", "providers[1].user_type",
				"providers[1].params.host", "providers[1].params.bind_password", "providers[2].name",
				"providers[2].button_label", "providers[2].params.client_secret", "providers[2].mappings.0.rules.0.from"}, testutil.FieldsOf(r), r.String())
			assert.NotContains(t, string(r.Body), "s3cr3t", "never a secret in the answer")
			assert.Equal(t, before, rowCountsProviders(t, a), "nothing half-written")
		}
		assertStoredClean(t, a)
	})
}

// jsonDecode reads a request's JSON body.
func jsonDecode(r *http.Request, dst any) error {
	defer r.Body.Close()
	return json.NewDecoder(r.Body).Decode(dst)
}
