package apitest

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// provOIDCBody is a valid OpenID provider to create.
func provOIDCBody(name string) map[string]any {
	return map[string]any{"name": name, "type": "oidc", "button_label": "Войти через " + name,
		"params": map[string]any{"client_id": "custos", "client_secret": "s3cr3t-" + name,
			"external_url": "https://id.example.org/realms/main"}}
}

// provLDAPBody is a valid LDAP provider to create.
func provLDAPBody(name string) map[string]any {
	return map[string]any{"name": name, "type": "ldap", "params": map[string]any{"host": "ldap.example.org",
		"bind_dn": "cn=reader,dc=example,dc=org", "bind_password": "bind-pw-" + name, "base_dn": "ou=people,dc=example,dc=org",
		"server_type": "openldap", "filter": "(objectClass=inetOrgPerson)"}}
}

func provLocalID(t *testing.T, a *testutil.TestApp) string {
	t.Helper()
	var id string
	require.NoError(t, a.DB.W.Table("providers").Where("type = ?", "local").Pluck("id", &id).Error)
	require.NotEmpty(t, id)
	return id
}

func TestProviderCRUD(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()

		// The migration made the one local provider.
		l := c.Do("GET", "/api/v1/providers", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, 1.0, l.Num("total"))
		assert.Equal(t, "Custos", l.Str("items.0.name"))
		assert.Equal(t, "local", l.Str("items.0.type"))
		assert.Equal(t, true, l.Get("items.0.active"))
		assert.Equal(t, map[string]any{}, l.Get("items.0.params"), "the local provider has no parameters")

		p := testutil.MustCreate(t, c, "/api/v1/providers", provOIDCBody("Keycloak"))
		id := p.Str("id")
		assert.Equal(t, false, p.Get("active"), "new providers are inactive unless asked")
		assert.Equal(t, "custos", p.Str("params.client_id"))
		assert.Equal(t, true, p.Get("params.client_secret_set"))
		assert.Nil(t, p.Get("params.client_secret"), "secrets are write-only")
		assert.Nil(t, p.Get("params.host"), "only the type's parameters")
		assert.NotContains(t, string(p.Body), "s3cr3t-Keycloak")
		assert.Equal(t, []any{}, p.Get("mappings"))
		assert.Equal(t, []any{}, p.Get("base_group_ids"))
		assert.Equal(t, 1.0, p.Num("version"))

		// Stored encrypted: the raw column is a sealed box, not the secret.
		var sealed string
		require.NoError(t, a.DB.W.Table("providers").Where("id = ?", id).Pluck("client_secret_sealed", &sealed).Error)
		assert.True(t, strings.HasPrefix(sealed, "v1:"), sealed)
		assert.NotContains(t, sealed, "s3cr3t")
		plain, err := a.Box.Open(sealed)
		require.NoError(t, err)
		assert.Equal(t, "s3cr3t-Keycloak", plain)
		var paramsCol string
		require.NoError(t, a.DB.W.Table("providers").Where("id = ?", id).Pluck("params", &paramsCol).Error)
		assert.NotContains(t, paramsCol, "s3cr3t")

		g := c.Do("GET", "/api/v1/providers/"+id, nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Equal(t, 0.0, g.Num("users_count"))
		assert.Equal(t, "Войти через Keycloak", g.Str("button_label"))
		// Users who came through the provider are counted for the delete confirmation.
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "via-keycloak"})
		require.NoError(t, a.DB.W.Table("users").Where("login = ?", "via-keycloak").Update("source_provider_id", id).Error)
		assert.Equal(t, 1.0, c.Do("GET", "/api/v1/providers/"+id, nil).Num("users_count"))
		assert.Nil(t, c.Do("GET", "/api/v1/providers", nil).Get("items.0.users_count"), "counted on GET of one only")

		// PATCH with the version; absent fields stay; the secret survives an edit without it.
		r := c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 1, "name": "Keycloak SSO",
			"params": map[string]any{"external_url": "https://sso.example.org/realms/main"}})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 2.0, r.Num("version"))
		assert.Equal(t, "custos", r.Str("params.client_id"))
		assert.Equal(t, "https://sso.example.org/realms/main", r.Str("params.external_url"))
		assert.Equal(t, true, r.Get("params.client_secret_set"))

		stale := c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 1, "name": "Overwritten"})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		assert.Equal(t, "Keycloak SSO", stale.Str("current.name"))
		assert.Equal(t, 2.0, stale.Num("current.version"))
		assert.Nil(t, stale.Get("current.params.client_secret"))

		r = c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 2, "type": "oidc_cookie"})
		testutil.AssertProblem(t, r, 400, "provider.typeImmutable")
		assert.Equal(t, []string{"type"}, testutil.FieldsOf(r))
		r = c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 2, "type": "oidc", "active": true})
		require.Equal(t, 200, r.Status, "the same type is fine: %s", r)

		// An active provider cannot be deleted; deactivate first.
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/providers/"+id, nil), 422, "provider.activeCannotBeDeleted")
		r = c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 3, "active": false})
		require.Equal(t, 200, r.Status, r.String())
		require.Equal(t, 204, c.Do("DELETE", "/api/v1/providers/"+id, nil).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/providers/"+id, nil), 404, "resource.notFound")

		// The local provider can be deactivated, never deleted.
		lid := provLocalID(t, a)
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/providers/"+lid, nil), 422, "provider.localCannotBeDeleted")
		r = c.Do("PATCH", "/api/v1/providers/"+lid, map[string]any{"version": 1, "active": false})
		require.Equal(t, 200, r.Status, r.String())
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/providers/"+lid, nil), 422, "provider.localCannotBeDeleted")
	})
}

func TestProviderAuditRedactsSecrets(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		p := testutil.MustCreate(t, c, "/api/v1/providers", provLDAPBody("Corp AD"))
		id := p.Str("id")
		r := c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": 1,
			"params": map[string]any{"bind_password": "second-bind-pw"}})
		require.Equal(t, 200, r.Status, r.String())

		var diffs []string
		require.NoError(t, a.DB.W.Table("audit_events").Where("resource_type = ? AND resource_id = ?", "provider", id).
			Order("at").Pluck("diff", &diffs).Error)
		require.Len(t, diffs, 2, "create and update, written with the change")
		for _, d := range diffs {
			assert.NotContains(t, d, "bind-pw-Corp AD")
			assert.NotContains(t, d, "second-bind-pw")
			assert.Contains(t, d, `"bind_password":"[redacted]"`, "the diff says a secret was written")
		}
		ev := c.Do("GET", "/api/v1/audit?resource_type=provider&resource_id="+id, nil)
		require.Equal(t, 200, ev.Status, ev.String())
		assert.NotContains(t, string(ev.Body), "second-bind-pw")

		// A refused write leaves no event.
		before := testutil.Count(t, a, "audit_events", "resource_type = ?", "provider")
		testutil.AssertProblem(t, c.Do("DELETE", "/api/v1/providers/"+provLocalID(t, a), nil), 422, "provider.localCannotBeDeleted")
		assert.Equal(t, before, testutil.Count(t, a, "audit_events", "resource_type = ?", "provider"))
	})
}

func TestProviderLDAPParams(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		p := testutil.MustCreate(t, c, "/api/v1/providers", map[string]any{"name": "AD", "type": "ldap",
			"params": map[string]any{"host": "dc1.corp.local", "base_dn": "DC=corp,DC=local"}})
		assert.Equal(t, 389.0, p.Num("params.port"), "plain LDAP defaults to 389")
		assert.Equal(t, "plain", p.Str("params.connection"))
		assert.Equal(t, "ad", p.Str("params.server_type"))
		assert.Equal(t, "sAMAccountName", p.Str("params.username_attribute"))
		assert.Equal(t, "", p.Str("params.bind_dn"), "anonymous")
		assert.Equal(t, false, p.Get("params.bind_password_set"))
		id := p.Str("id")

		patch := func(v float64, params map[string]any) *testutil.Resp {
			r := c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": v, "params": params})
			require.Equal(t, 200, r.Status, r.String())
			return r
		}
		r := patch(1, map[string]any{"connection": "ssl", "server_type": "openldap"})
		assert.Equal(t, 636.0, r.Num("params.port"), "the default port follows the connection type")
		assert.Equal(t, "uid", r.Str("params.username_attribute"), "the default attribute follows the server type")
		r = patch(2, map[string]any{"bind_dn": "CORP\\reader", "bind_password": "pw-1"})
		assert.Equal(t, true, r.Get("params.bind_password_set"))
		r = patch(3, map[string]any{"filter": "(memberOf=CN=g,CN=Users,DC=corp,DC=local)"})
		assert.Equal(t, true, r.Get("params.bind_password_set"), "other changes keep the password")

		// A new host or bind login clears the stored password unless a new one comes along.
		r = patch(4, map[string]any{"host": "dc2.corp.local"})
		assert.Equal(t, false, r.Get("params.bind_password_set"))
		r = patch(5, map[string]any{"bind_password": "pw-2"})
		assert.Equal(t, true, r.Get("params.bind_password_set"))
		r = patch(6, map[string]any{"bind_dn": "reader@corp.local", "bind_password": "pw-3"})
		assert.Equal(t, true, r.Get("params.bind_password_set"), "a new password given with the change stays")
		var sealed string
		require.NoError(t, a.DB.W.Table("providers").Where("id = ?", id).Pluck("bind_password_sealed", &sealed).Error)
		plain, err := a.Box.Open(sealed)
		require.NoError(t, err)
		assert.Equal(t, "pw-3", plain)
		r = patch(7, map[string]any{"bind_dn": "reader2@corp.local"})
		assert.Equal(t, false, r.Get("params.bind_password_set"))
		r = patch(8, map[string]any{"port": 3269})
		assert.Equal(t, 3269.0, r.Num("params.port"))
	})
}

func TestProviderList(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/providers", provOIDCBody("Банк ИА"))
		testutil.MustCreate(t, c, "/api/v1/providers", provOIDCBody("Alpha"))
		lp := provLDAPBody("Zeta LDAP")
		lp["active"] = true
		testutil.MustCreate(t, c, "/api/v1/providers", lp)
		testutil.MustCreate(t, c, "/api/v1/providers", map[string]any{"name": "REST gate", "type": "rest",
			"params": map[string]any{"external_url": "https://rest.example.org/auth"}})

		names := func(q string) []string {
			r := c.Do("GET", "/api/v1/providers?"+q, nil)
			require.Equal(t, 200, r.Status, r.String())
			var out []string
			for i := 0; i < r.Len("items"); i++ {
				out = append(out, r.Str("items."+strconv.Itoa(i)+".name"))
			}
			return out
		}
		assert.Equal(t, []string{"Alpha", "Custos", "REST gate", "Zeta LDAP", "Банк ИА"}, names(""))
		assert.Equal(t, []string{"Банк ИА", "Zeta LDAP", "REST gate", "Custos", "Alpha"}, names("sort=name&order=desc"))
		assert.Equal(t, []string{"Alpha", "Банк ИА"}, names("type=oidc"))
		assert.Equal(t, []string{"Custos", "Zeta LDAP"}, names("active=true"))
		assert.Equal(t, []string{"Alpha", "REST gate", "Банк ИА"}, names("active=false"))
		assert.Equal(t, []string{"Банк ИА"}, names("q="+url.QueryEscape("бАНК")), "case-insensitive, Cyrillic too")
		assert.Equal(t, []string{"Zeta LDAP"}, names("q=ldap&type=ldap&active=true"))
		// Ties break by id in the same direction: the newest first when descending.
		assert.Equal(t, []string{"Zeta LDAP", "Custos", "REST gate", "Alpha", "Банк ИА"}, names("sort=active&order=desc"))
		assert.Equal(t, []string{"Банк ИА", "Alpha"}, names("sort=type&order=asc&page=2&page_size=2"))
		r := c.Do("GET", "/api/v1/providers?page=2&page_size=2", nil)
		assert.Equal(t, 5.0, r.Num("total"))
		assert.Equal(t, 2, r.Len("items"))

		for _, q := range []string{"type=saml", "active=yes", "sort=params", "order=up", "page_size=201", "bogus=1"} {
			r := c.Do("GET", "/api/v1/providers?"+q, nil)
			assert.Equal(t, 400, r.Status, "%s: %s", q, r)
		}
	})
}
