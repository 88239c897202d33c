package apitest

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// oidcSetup is an app with a test identity provider, a custom group, a user type and
// a mapped access-schema attribute.
type oidcSetup struct {
	a        *testutil.TestApp
	admin    *testutil.Client
	idp      *testutil.IdP
	analysts string // group id
	typeID   string
}

func newOIDCSetup(t *testing.T, d *db.DB, opts ...func(*config.Config)) *oidcSetup {
	t.Helper()
	s := &oidcSetup{a: testutil.NewApp(t, d, opts...), idp: testutil.NewIdP(t)}
	s.admin = s.a.Admin()
	s.analysts = testutil.MustCreate(t, s.admin, "/api/v1/groups", map[string]any{"code": "analysts", "name": "Analysts",
		"permissions": []string{"users.read"}}).Str("id")
	s.typeID = testutil.MustCreate(t, s.admin, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff",
		"quota": 0}).Str("id")
	testutil.MustCreate(t, s.admin, "/api/v1/attributes", map[string]any{"code": "department", "name": "Department", "type": "string"})
	s.idp.Set(func(p *testutil.IdP) {
		p.User = map[string]any{"sub": "u-1", "preferred_username": "Ivan.Petrov", "email": "ivan@example.com",
			"name": "Ivan Petrov", "dept": "R&D", "phone": "+7 900",
			"resource_access": map[string]any{"custos": map[string]any{"roles": []any{"analysts", "no-such-group"}},
				"other": map[string]any{"roles": []any{"operators"}}}}
	})
	return s
}

// provider creates a provider of typ pointing at the test IdP and returns its id.
func (s *oidcSetup) provider(t *testing.T, typ string, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"name": typ + " " + testutil.RandomID()[:6], "type": typ, "active": true,
		"params": map[string]any{"client_id": s.idp.ClientID, "client_secret": s.idp.ClientSecret, "external_url": s.idp.URL},
		"mappings": []map[string]any{{"attribute": "department", "source": "dept",
			"rules": []map[string]any{{"from": "R&D", "to": "research"}}}}}
	for k, v := range extra {
		body[k] = v
	}
	return testutil.MustCreate(t, s.admin, "/api/v1/providers", body).Str("id")
}

// loginError is the error code of a /login?error=… landing.
func loginError(v testutil.Visit) string {
	if v.Final().Path != "/login" {
		return ""
	}
	return v.Final().Query().Get("error")
}

func TestSignInButtonsListActiveOpenIDProvidersOnly(t *testing.T) {
	t.Parallel()
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	id := s.provider(t, "oidc", map[string]any{"button_label": "Corporate SSO"})
	s.provider(t, "oidc", map[string]any{"active": false})
	s.provider(t, "oidc_token", nil)
	r := s.a.Anonymous().Do("GET", "/api/v1/auth/providers", nil)
	require.Equal(t, 200, r.Status, r.String())
	require.Len(t, r.JSON, 1, r.String())
	assert.Equal(t, id, r.Str("0.id"))
	assert.Equal(t, "Corporate SSO", r.Str("0.label"))
	assert.Len(t, r.Get("0").(map[string]any), 2, "id and label only")
}

func TestOpenIDCodeFlowProvisionsAndRefreshesTheAccount(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		usersGroup := testutil.GroupID(t, s.a, "users")
		pid := s.provider(t, "oidc", map[string]any{"allow_user_creation": true, "user_type_id": s.typeID,
			"base_group_ids": []string{usersGroup}})

		b := s.a.Anonymous()
		v := b.Navigate("/api/v1/auth/oidc/" + pid + "/start?next=" + url.QueryEscape("/users?page=2"))
		require.Equal(t, "/users", v.Final().Path, "back in the SPA where the user was going: %v", v.Chain)
		assert.Equal(t, "page=2", v.Final().RawQuery)
		assert.NotNil(t, v.Passed("/authorize"), "went through the provider")

		me := b.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, "ivan.petrov", me.Str("user.login"), "logins are stored lower-cased")
		assert.Equal(t, "ivan@example.com", me.Str("user.email"))
		assert.Equal(t, "Ivan Petrov", me.Str("user.display_name"))
		assert.Equal(t, s.typeID, me.Str("user.user_type_id"), "the provider's user type")
		assert.Equal(t, pid, me.Str("user.source_provider_id"))
		assert.False(t, me.Get("user.ldap_precheck").(bool))
		assert.ElementsMatch(t, []string{"analysts", "users"}, groupCodes(me),
			"roles of this system that match group codes, plus the base groups; other systems' roles give nothing")
		assert.Equal(t, "research", me.Str("user.attributes.department"), "the mapping and its value rule")
		assert.Equal(t, "+7 900", me.Str("user.extra_attributes.phone"), "unmapped claims are kept")
		assert.Nil(t, me.Get("user.extra_attributes.resource_access"), "protocol claims are not")
		assert.Contains(t, testutil.Strings(me.Get("permissions")), "users.read")

		ok := s.admin.Do("GET", "/api/v1/audit?action=login.success&page_size=5", nil)
		require.Equal(t, 200, ok.Status, ok.String())
		assert.Equal(t, "ivan.petrov", ok.Str("items.0.resource_name"))
		assert.Equal(t, "oidc", ok.Str("items.0.diff.after.provider_type"))

		// An administrator adds a group by hand; the next sign-in writes the groups again.
		uid := me.Str("user.id")
		u := s.admin.Do("GET", "/api/v1/users/"+uid, nil)
		ops := testutil.GroupID(t, s.a, "operators")
		p := s.admin.Do("PATCH", "/api/v1/users/"+uid, map[string]any{"version": u.Num("version"),
			"group_ids": []string{ops, s.analysts, usersGroup}})
		require.Equal(t, 200, p.Status, p.String())
		s.idp.Set(func(p *testutil.IdP) {
			p.User["resource_access"] = map[string]any{"custos": map[string]any{"roles": []any{}}}
			p.User["email"] = "ivan.petrov@example.com"
			p.User["dept"] = "Sales"
		})
		b2 := s.a.Anonymous()
		v = b2.Navigate("/api/v1/auth/oidc/" + pid + "/start")
		require.Equal(t, "/", v.Final().Path, "%v", v.Chain)
		me = b2.Do("GET", "/api/v1/auth/me", nil)
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, uid, me.Str("user.id"), "the same account")
		assert.Equal(t, []string{"users"}, groupCodes(me), "hand-added and no-longer-sent groups are removed")
		assert.Equal(t, "ivan.petrov@example.com", me.Str("user.email"), "the profile is refreshed")
		assert.Equal(t, "Sales", me.Str("user.attributes.department"), "a value without a rule passes unchanged")
		assert.Equal(t, int64(1), testutil.Count(t, s.a, "users", "login = ?", "ivan.petrov"))
	})
}

func TestOpenIDRefusals(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newOIDCSetup(t, d)
		closed := s.provider(t, "oidc", nil) // creation off
		users := testutil.Count(t, s.a, "users", "")

		v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + closed + "/start")
		assert.Equal(t, "signin.accountNotProvisioned", loginError(v), "%v", v.Chain)
		assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "nothing created")
		fail := s.admin.Do("GET", "/api/v1/audit?action=login.failure&page_size=1", nil)
		assert.Equal(t, "signin.accountNotProvisioned", fail.Str("items.0.diff.reason"), fail.String())
		assert.Equal(t, "ivan.petrov", fail.Str("items.0.resource_name"))

		// Quota used up: the account is created inactive and the sign-in refused.
		full := testutil.MustCreate(t, s.admin, "/api/v1/user-types", map[string]any{"code": "full", "name": "Full", "quota": 1}).Str("id")
		testutil.MustCreate(t, s.admin, "/api/v1/users", map[string]any{"login": "holder", "user_type_id": full})
		open := s.provider(t, "oidc", map[string]any{"allow_user_creation": true, "user_type_id": full})
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + open + "/start")
		assert.Equal(t, "signin.quotaExceeded", loginError(v), "%v", v.Chain)
		assert.Equal(t, int64(1), testutil.Count(t, s.a, "users", "login = ? AND active = ?", "ivan.petrov", false))
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + open + "/start")
		assert.Equal(t, "auth.accountDisabled", loginError(v), "the inactive account stays refused")

		// The built-in administrator never signs in through a provider.
		s.idp.Set(func(p *testutil.IdP) { p.User["preferred_username"] = "tech_admin" })
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + open + "/start")
		assert.Equal(t, "signin.techAdminLocalOnly", loginError(v))

		// The provider refuses; the ID token carries a foreign nonce.
		s.idp.Set(func(p *testutil.IdP) { p.Deny = "access_denied" })
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + open + "/start")
		assert.Equal(t, "signin.idpError", loginError(v))
		s.idp.Set(func(p *testutil.IdP) { p.Deny, p.BadNonce, p.User["preferred_username"] = "", true, "nonce.user" })
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + open + "/start")
		assert.Equal(t, "signin.idpError", loginError(v))
		assert.Equal(t, int64(0), testutil.Count(t, s.a, "users", "login = ?", "nonce.user"))

		// Unknown or inactive providers, and an unreachable one.
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/00000000-0000-0000-0000-000000000000/start")
		assert.Equal(t, "signin.providerNotFound", loginError(v))
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/not-a-uuid/start")
		assert.Equal(t, "signin.providerNotFound", loginError(v))
		dead := s.provider(t, "oidc", map[string]any{"params": map[string]any{"client_id": "c", "client_secret": "s",
			"external_url": "http://127.0.0.1:1/realm"}})
		v = s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + dead + "/start")
		assert.Equal(t, "signin.providerUnavailable", loginError(v))
	})
}

func TestOpenIDStateIsOneTimeAndBoundToTheBrowser(t *testing.T) {
	t.Parallel()
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	pid := s.provider(t, "oidc", map[string]any{"allow_user_creation": true})
	b := s.a.Anonymous()
	v := b.Navigate("/api/v1/auth/oidc/" + pid + "/start")
	cb := v.Passed("/api/v1/auth/oidc/callback")
	require.NotNil(t, cb, "%v", v.Chain)
	require.Equal(t, "/", v.Final().Path)

	// Replaying the callback (same state and code) in the same browser is refused.
	again := b.Navigate(cb.String())
	assert.Equal(t, "signin.invalidState", loginError(again))

	// A callback delivered to another browser than the one that started is refused.
	jar, _ := cookiejar.New(nil)
	b1 := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := b1.Get(s.a.URL + "/api/v1/auth/oidc/" + pid + "/start")
	require.NoError(t, err)
	_ = res.Body.Close()
	authURL, err := url.Parse(res.Header.Get("Location"))
	require.NoError(t, err)
	st := authURL.Query().Get("state")
	require.NotEmpty(t, st)
	assert.Equal(t, "S256", authURL.Query().Get("code_challenge_method"))
	assert.NotEmpty(t, authURL.Query().Get("nonce"))
	b2 := s.a.Anonymous()
	forged := b2.Navigate("/api/v1/auth/oidc/callback?state=" + url.QueryEscape(st) + "&code=x")
	assert.Equal(t, "signin.invalidState", loginError(forged))
	assert.Equal(t, "signin.invalidState", loginError(b2.Navigate("/api/v1/auth/oidc/callback")))
	assert.Equal(t, "signin.invalidState", loginError(b2.Navigate("/api/v1/auth/oidc/callback?state=nope&code=x")))
	assert.Equal(t, int64(0), testutil.Count(t, s.a, "signin_flows", "id <> ''"), "used and refused flows are gone")
}

func TestSilentEntryThroughTheOpenIDCookieProvider(t *testing.T) {
	t.Parallel()
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	// Without an oidc_cookie provider the silent entry lands on the login page.
	v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/silent?next=/groups")
	assert.Equal(t, "/login", v.Final().Path)
	assert.Equal(t, "/groups", v.Final().Query().Get("next"))

	s.provider(t, "oidc_cookie", map[string]any{"allow_user_creation": true})
	b := s.a.Anonymous()
	v = b.Navigate("/api/v1/auth/oidc/silent?next=/groups")
	require.Equal(t, "/groups", v.Final().Path, "%v", v.Chain)
	assert.Equal(t, "none", v.Passed("/authorize").Query().Get("prompt"))
	assert.Equal(t, 200, b.Do("GET", "/api/v1/auth/me", nil).Status)

	// No session at the provider: login_required → the login page, no error, no loop.
	s.idp.Set(func(p *testutil.IdP) { p.LoggedIn = false })
	b = s.a.Anonymous()
	v = b.Navigate("/api/v1/auth/oidc/silent?next=/groups")
	assert.Equal(t, "/login", v.Final().Path, "%v", v.Chain)
	assert.Empty(t, v.Final().Query().Get("error"))
	assert.Equal(t, "/groups", v.Final().Query().Get("next"))
	again := b.Navigate("/api/v1/auth/oidc/silent?next=/groups")
	assert.Equal(t, "/login", again.Final().Path)
	assert.Nil(t, again.Passed("/authorize"), "a second silent attempt goes straight to the login page")
}

func groupCodes(me *testutil.Resp) []string {
	var out []string
	for i := 0; i < me.Len("groups"); i++ {
		out = append(out, me.Str("groups."+strconv.Itoa(i)+".code"))
	}
	return out
}

func TestCloudLicenceRefusesCreationAtSignIn(t *testing.T) {
	t.Parallel()
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite))
	pid := s.provider(t, "oidc", map[string]any{"allow_user_creation": true}) // allowed while on premise
	lic := s.admin.Do("GET", "/api/v1/settings/licence", nil)
	require.Equal(t, 200, lic.Status, lic.String())
	r := s.admin.Do("PUT", "/api/v1/settings/licence", map[string]any{"access_type": "cloud", "version": lic.Num("version")})
	require.Equal(t, 200, r.Status, r.String())
	v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + pid + "/start")
	assert.Equal(t, "signin.accountNotProvisioned", loginError(v), "a cloud licence never creates accounts")
	assert.Equal(t, int64(0), testutil.Count(t, s.a, "users", "login = ?", "ivan.petrov"))
}
