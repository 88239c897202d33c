package apitest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestHangingPeersAreCutOffAtTheProviderTimeout: an identity provider, directory or
// REST service that accepts the connection and then never answers costs a sign-in
// CUSTOS_PROVIDER_TIMEOUT, not a hung request: the person gets providerUnavailable,
// nothing is created, and the refusal is audited.
func TestHangingPeersAreCutOffAtTheProviderTimeout(t *testing.T) {
	t.Parallel()
	const limit = 600 * time.Millisecond
	s := newOIDCSetup(t, testutil.NewDB(t, db.SQLite), func(c *config.Config) { c.ProviderTimeout = limit })
	users := testutil.Count(t, s.a, "users", "")
	// timed runs fn and checks it waited for the timeout, and not much longer.
	timed := func(name string, fn func()) {
		t.Helper()
		start := time.Now()
		fn()
		took := time.Since(start)
		assert.GreaterOrEqual(t, took, limit, "%s: refused before the timeout, so not by it", name)
		assert.Less(t, took, limit+5*time.Second, "%s: the timeout did not cut the wait", name)
	}
	lastReason := func() string {
		return lastAudit(t, s.admin, "login.failure").Str("items.0.diff.reason")
	}

	// OpenID: discovery hangs.
	s.idp.Set(func(p *testutil.IdP) { p.Hang = "discovery" })
	button := s.provider(t, "oidc", map[string]any{"allow_user_creation": true})
	timed("discovery", func() {
		v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + button + "/start")
		assert.Equal(t, "signin.providerUnavailable", loginError(v), "%v", v.Chain)
	})
	assert.Equal(t, "signin.providerUnavailable", lastReason())

	// OpenID: discovery answers, the browser comes back with a code, and the token
	// endpoint hangs during the exchange.
	s.idp.Set(func(p *testutil.IdP) { p.Hang = "token" })
	timed("token exchange", func() {
		v := s.a.Anonymous().Navigate("/api/v1/auth/oidc/" + button + "/start")
		require.NotNil(t, v.Passed("/api/v1/auth/oidc/callback"), "the IdP sent the browser back: %v", v.Chain)
		assert.Equal(t, "signin.providerUnavailable", loginError(v), "%v", v.Chain)
	})
	assert.Equal(t, "signin.providerUnavailable", lastReason())

	// OpenID Token: the JWKS needed to check a bearer token hangs.
	s.provider(t, "oidc_token", map[string]any{"allow_user_creation": true})
	s.idp.Set(func(p *testutil.IdP) { p.Hang = "jwks" })
	tok := s.idp.Sign(map[string]any{"sub": "hang-1", "preferred_username": "bearer.hang"}, testutil.TokenOptions{})
	timed("jwks", func() {
		r := testutil.Raw(t, s.a, "GET", "/api/v1/auth/me", nil, map[string]string{"Authorization": "Bearer " + tok})
		testutil.AssertProblem(t, r, 401, "signin.providerUnavailable")
	})

	// LDAP: the directory accepts the connection and never answers the bind.
	host, port := testutil.SilentServer(t)
	testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "Silent directory", "type": "ldap", "active": true,
		"allow_user_creation": true, "params": map[string]any{"host": host, "port": port, "bind_dn": "cn=admin,dc=x",
			"bind_password": "x", "base_dn": "dc=x", "server_type": "openldap"}})
	timed("ldap", func() {
		testutil.AssertProblem(t, testutil.Login(s.a, "ldap.hang", "some-password"), 401, "signin.providerUnavailable")
	})
	assert.Equal(t, "signin.providerUnavailable", lastReason())

	// REST: the service reads the credentials and never answers.
	stop := make(chan struct{})
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); svc.Close() })
	rest := testutil.MustCreate(t, s.admin, "/api/v1/providers", map[string]any{"name": "Silent REST", "type": "rest", "active": true,
		"allow_user_creation": true, "params": map[string]any{"external_url": svc.URL}}).Str("id")
	timed("rest", func() {
		r := s.a.Anonymous().Do("POST", "/api/v1/auth/rest/"+rest+"/session",
			map[string]any{"login": "rest.hang", "password": "some-password"})
		testutil.AssertProblem(t, r, 401, "signin.providerUnavailable")
	})
	assert.Equal(t, "signin.providerUnavailable", lastReason())

	assert.Equal(t, users, testutil.Count(t, s.a, "users", ""), "no account was created by a sign-in that timed out")
}
