package apitest

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestBearerTokensOfAnOpenIDTokenProvider(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		s.provider(t, "oidc_token", map[string]any{"allow_user_creation": true, "user_type_id": s.typeID})
		claims := map[string]any{"sub": "svc-1", "preferred_username": "svc.reporter", "email": "svc@example.com",
			"resource_access": map[string]any{"custos": map[string]any{"roles": []any{"analysts"}}}}
		bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
		tok := s.idp.Sign(claims, testutil.TokenOptions{})

		me := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer(tok))
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, "svc.reporter", me.Str("user.login"))
		assert.Equal(t, s.typeID, me.Str("user.user_type_id"))
		assert.Equal(t, []string{"analysts"}, groupCodes(me))
		assert.Equal(t, 200, testutil.Raw(t, s.a, "GET", "/api/v1/users", nil, bearer(tok)).Status, "groups decide")
		// Not ambient, so no CSRF header is needed; the permission check still applies.
		denied := testutil.Raw(t, s.a, "POST", "/api/v1/users/bulk-delete", []byte(`{"ids":["x"]}`), bearer(tok))
		testutil.AssertProblem(t, denied, 403, "authz.denied")
		assert.Equal(t, int64(1), testutil.Count(t, s.a, "audit_events", "action = ? AND resource_name = ?", "login.success", "svc.reporter"),
			"one token, one sign-in")
		skewed := s.idp.Sign(claims, testutil.TokenOptions{ExpiresIn: -20 * time.Second})
		assert.Equal(t, 200, testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer(skewed)).Status, "within the clock skew")

		users := testutil.Count(t, s.a, "users", "")
		other := claims
		other["preferred_username"] = "intruder"
		for name, bad := range map[string]string{
			"expired":      s.idp.Sign(other, testutil.TokenOptions{ExpiresIn: -3 * time.Minute}),
			"wrong key":    s.idp.Sign(other, testutil.TokenOptions{WrongKey: true}),
			"wrong aud":    s.idp.Sign(other, testutil.TokenOptions{Audience: "another-system"}),
			"other issuer": s.idp.Sign(other, testutil.TokenOptions{Issuer: "https://evil.example"}),
			"tampered":     tok[:len(tok)-4] + "AAAA",
			"alg none":     noneJWT(s.idp.URL, other),
			"oversized":    strings.Split(tok, ".")[0] + "." + strings.Repeat("b", 20_000) + ".c",
		} {
			r := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer(bad))
			testutil.AssertProblem(t, r, 401, "signin.invalidToken")
			assert.Equal(t, "signin.invalidToken", lastAudit(t, s.admin, "login.failure").Str("items.0.diff.reason"), name)
		}
		// A Bearer credential that is no JWT belongs to some other scheme: the call is anonymous.
		testutil.AssertProblem(t, testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer("abc.def")), 401, "auth.unauthenticated")
		assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "nothing created")
		r := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, map[string]string{"Authorization": "Bearer " + tok,
			"Cookie": "custos_session=whatever"})
		assert.Equal(t, 200, r.Status, "the token decides, not a cookie")

		// Seamless entry: the token becomes a browser session.
		b := s.a.Anonymous()
		sess := b.Do("POST", "/api/v1/auth/oidc-token/session", map[string]any{"token": tok})
		require.Equal(t, 200, sess.Status, sess.String())
		assert.Equal(t, "svc.reporter", sess.Str("user.login"))
		require.NotNil(t, testutil.Cookie(sess, "custos_session"))
		assert.Equal(t, 200, b.Do("GET", "/api/v1/auth/me", nil).Status)
		testutil.AssertProblem(t, s.a.Anonymous().Do("POST", "/api/v1/auth/oidc-token/session",
			map[string]any{"token": s.idp.Sign(other, testutil.TokenOptions{WrongKey: true})}), 401, "signin.invalidToken")
		testutil.AssertProblem(t, s.a.Anonymous().Do("POST", "/api/v1/auth/oidc-token/session", map[string]any{}), 400, "validation.failed")

		// A deactivated account's token stops working at once.
		uid := me.Str("user.id")
		u := s.admin.Do("GET", "/api/v1/users/"+uid, nil)
		require.Equal(t, 200, s.admin.Do("PATCH", "/api/v1/users/"+uid, map[string]any{"version": u.Num("version"),
			"active": false}).Status)
		testutil.AssertProblem(t, testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, bearer(tok)), 401, "signin.invalidToken")
	})
}

func TestKerberosHeaderFromTrustedProxiesOnly(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	trust := func(cidr string) func(*config.Config) {
		return func(c *config.Config) {
			_, n, _ := net.ParseCIDR(cidr)
			c.TrustedProxies = []*net.IPNet{n}
			c.KerberosHeader = "X-Remote-User"
		}
	}
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite), trust("127.0.0.1/32"))
	admin := a.Admin()
	ldapProvider(t, admin, srv, nil, nil)
	testutil.MustCreate(t, admin, "/api/v1/providers", map[string]any{"name": "Kerberos", "type": "ldap_kerberos", "active": true,
		"allow_user_creation": true, "base_group_ids": []string{testutil.GroupID(t, a, "users")}})

	b := a.Anonymous()
	v := b.Navigate("/api/v1/auth/kerberos?next=/users", "X-Remote-User", "alice@CUSTOS.TEST")
	require.Equal(t, "/users", v.Final().Path, "%v", v.Chain)
	me := b.Do("GET", "/api/v1/auth/me", nil)
	require.Equal(t, 200, me.Status, me.String())
	assert.Equal(t, "alice", me.Str("user.login"))
	assert.Equal(t, "alice@custos.test", me.Str("user.email"), "looked up in the directory")
	assert.Equal(t, []string{"users"}, groupCodes(me))

	assert.Equal(t, "signin.accountNotProvisioned",
		loginError(a.Anonymous().Navigate("/api/v1/auth/kerberos", "X-Remote-User", "mallory")), "not in the directory")
	assert.Equal(t, "signin.kerberosNoUser", loginError(a.Anonymous().Navigate("/api/v1/auth/kerberos")))
	assert.Equal(t, "signin.kerberosNoUser",
		loginError(a.Anonymous().Navigate("/api/v1/auth/kerberos", "X-Remote-User", "*)(uid=*")), "injection")

	// The same header from a peer that is not a trusted proxy is ignored.
	other := testutil.NewApp(t, testutil.NewDB(t, db.SQLite), trust("10.0.0.0/8"))
	oa := other.Admin()
	ldapProvider(t, oa, srv, nil, nil)
	testutil.MustCreate(t, oa, "/api/v1/providers", map[string]any{"name": "Kerberos", "type": "ldap_kerberos", "active": true,
		"allow_user_creation": true})
	users := testutil.Count(t, other, "users", "")
	v = other.Anonymous().Navigate("/api/v1/auth/kerberos", "X-Remote-User", "alice", "X-Forwarded-For", "10.1.2.3")
	assert.Equal(t, "signin.kerberosNoUser", loginError(v))
	assert.Equal(t, users, testutil.Count(t, other, "users", ""), "nothing created")
	f := lastAudit(t, oa, "login.failure")
	assert.Equal(t, "signin.kerberosNoUser", f.Str("items.0.diff.reason"))
	assert.Contains(t, f.Str("items.0.diff.after.detail"), "not a trusted proxy")
}

func TestRESTProviderSignIn(t *testing.T) {
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Login, Password string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		switch {
		case in.Login == "boom":
			w.WriteHeader(http.StatusBadGateway)
		case in.Login == "garbage":
			_, _ = w.Write([]byte(`not json`))
		case in.Login == "dora" && in.Password == "dora-password":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"login":"Dora","email":"dora@example.com","display_name":"Dora E.",` +
				`"roles":["analysts","ghost"],"attributes":{"dept":"R&D","badge":"42"}}`))
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(svc.Close)
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	pid := testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "Partner REST", "type": "rest", "active": true,
		"allow_user_creation": true, "params": map[string]any{"external_url": svc.URL},
		"mappings": []map[string]any{{"attribute": "department", "source": "dept"}}}).Str("id")
	path := "/api/v1/auth/rest/" + pid + "/session"

	b := s.a.Anonymous()
	r := b.Do("POST", path, map[string]any{"login": "dora", "password": "dora-password"})
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, "dora", r.Str("user.login"))
	assert.Equal(t, []string{"analysts"}, groupCodes(r))
	assert.Equal(t, "R&D", r.Str("user.attributes.department"))
	assert.Equal(t, "42", r.Str("user.extra_attributes.badge"))
	assert.Nil(t, r.Get("user.extra_attributes.roles"), "the roles are consumed as roles, not kept as an attribute")
	assert.Equal(t, 200, b.Do("GET", "/api/v1/auth/me", nil).Status)

	users := testutil.Count(t, s.a, "users", "")
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", path, map[string]any{"login": "dora", "password": "wrong"}), 401, "auth.invalidCredentials")
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", path, map[string]any{"login": "boom", "password": "x"}), 401, "signin.providerUnavailable")
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", path, map[string]any{"login": "garbage", "password": "x"}), 401, "signin.idpError")
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", path, map[string]any{"login": "dora", "password": strings.Repeat("x", 1025)}),
		400, "validation.failed")
	assert.Equal(t, "validation.failed", lastAudit(t, s.admin, "login.failure").Str("items.0.diff.reason"))
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", "/api/v1/auth/rest/"+s.analysts+"/session",
		map[string]any{"login": "dora", "password": "dora-password"}), 404, "signin.providerNotFound")
	assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "nothing created")
	assert.Equal(t, "invalidCredentials", count0(t, s))

	svc.Close()
	testutil.AssertProblem(t, s.a.Anonymous().Do("POST", path, map[string]any{"login": "dora", "password": "dora-password"}),
		401, "signin.providerUnavailable")
}

// count0 returns the reason of the first failure audited for dora.
func count0(t *testing.T, s *oidcSetup) string {
	t.Helper()
	r := s.admin.Do("GET", "/api/v1/audit?action=login.failure&sort=at&order=asc&page_size=200", nil)
	require.Equal(t, 200, r.Status, r.String())
	for i := 0; i < r.Len("items"); i++ {
		if r.Str("items."+strconv.Itoa(i)+".resource_name") == "dora" {
			return r.Str("items." + strconv.Itoa(i) + ".diff.reason")
		}
	}
	return ""
}

// noneJWT is an unsigned token (alg none) with claims.
func noneJWT(iss string, claims map[string]any) string {
	c := map[string]any{"iss": iss, "aud": "custos", "exp": time.Now().Add(time.Minute).Unix()}
	for k, v := range claims {
		c[k] = v
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString(b) + "."
}

func TestConcurrentFirstSignInsMakeOneAccount(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		s.provider(t, "oidc_token", map[string]any{"allow_user_creation": true})
		const n = 4
		status := make(chan int, n)
		for i := 0; i < n; i++ {
			tok := s.idp.Sign(map[string]any{"sub": "race", "preferred_username": "racer", "jti": strconv.Itoa(i)},
				testutil.TokenOptions{})
			go func() {
				req, _ := http.NewRequest("GET", s.a.URL+"/api/v1/auth/me", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					status <- 0
					return
				}
				_ = res.Body.Close()
				status <- res.StatusCode
			}()
		}
		for i := 0; i < n; i++ {
			assert.Equal(t, 200, <-status)
		}
		assert.Equal(t, int64(1), testutil.Count(t, s.a, "users", "login = ?", "racer"))
	})
}
