package apitest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// cabinetSystems makes three systems: mine (owned by the clients group, description
// open to the cabinet), theirs (owned by another group) and nobody's (no owner group).
func cabinetSystems(t *testing.T, a *testutil.TestApp, admin *testutil.Client) (mine, theirs, nobodys string) {
	t.Helper()
	other := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "acme", "name": "Acme clients",
		"permissions": []string{"cabinet"}}).Str("id")
	mine = testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Mine", "description": "ours",
		"owner_group_id": testutil.GroupID(t, a, "clients"), "allowed_services": []string{"users.read", "audit.read"},
		"client_editable": []string{"description"}, "settings_texts": map[string]string{"ru": "Проверка", "en": "Check"}}).Str("id")
	theirs = testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Theirs", "owner_group_id": other,
		"client_editable": []string{"description", "settings_texts"}, "client_may_issue": true}).Str("id")
	nobodys = testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Nobody's"}).Str("id")
	return mine, theirs, nobodys
}

func TestCabinetShowsOnlyTheCallersSystems(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		mine, theirs, nobodys := cabinetSystems(t, a, admin)
		client := a.As("clients")

		l := client.Do("GET", "/api/v1/cabinet/systems", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, mine, l.Str("items.0.id"))
		assert.Equal(t, []string{"audit.read", "users.read"}, testutil.Strings(l.Get("items.0.allowed_services")))
		assert.Nil(t, l.Get("items.0.owner_group_id"), "the cabinet does not show the owner group")

		g := client.Do("GET", "/api/v1/cabinet/systems/"+mine, nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Equal(t, []string{"description"}, testutil.Strings(g.Get("client_editable")))
		assert.Equal(t, "Проверка", g.Str("settings_texts.ru"))
		for _, id := range []string{theirs, nobodys, "0190a0a0-0000-7000-8000-000000000000", "not-an-id"} {
			for _, p := range []string{"", "/stats", "/certificates"} {
				testutil.AssertProblem(t, client.Do("GET", "/api/v1/cabinet/systems/"+id+p, nil), 404, "resource.notFound")
			}
			testutil.AssertProblem(t, client.Do("PATCH", "/api/v1/cabinet/systems/"+id,
				map[string]any{"version": 1, "description": "x"}), 404, "resource.notFound")
		}
		unchanged := admin.Do("GET", "/api/v1/systems/"+theirs, nil)
		assert.Equal(t, float64(1), unchanged.Num("version"), "another system's PATCH wrote nothing")

		// Without the cabinet permission: refused; an organisation token is not a person.
		testutil.AssertProblem(t, a.As("users").Do("GET", "/api/v1/cabinet/systems", nil), 403, "authz.denied")
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "org", "scopes": []string{"cabinet"}})
		testutil.AssertProblem(t, testutil.TokenClient(a, tok).Do("GET", "/api/v1/cabinet/systems", nil), 403, "cabinet.personOnly")
	})
}

func TestCabinetEditsOnlyOpenedParameters(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		mine, _, _ := cabinetSystems(t, a, admin)
		client := a.As("clients")
		base := "/api/v1/cabinet/systems/" + mine

		p := client.Do("PATCH", base, map[string]any{"version": 1, "description": "Our archive of signed documents"})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, "Our archive of signed documents", p.Str("description"))
		assert.Equal(t, float64(2), p.Num("version"))
		assert.Equal(t, "Our archive of signed documents", admin.Do("GET", "/api/v1/systems/"+mine, nil).Str("description"))

		// A parameter the administrator did not open: 403 naming it, audited, nothing written.
		r := client.Do("PATCH", base, map[string]any{"version": 2, "description": "both",
			"settings_texts": map[string]string{"ru": "x", "en": "y"}})
		testutil.AssertProblem(t, r, 403, "cabinet.notEditable")
		assert.Equal(t, []string{"settings_texts"}, testutil.FieldsOf(r))
		after := admin.Do("GET", "/api/v1/systems/"+mine, nil)
		assert.Equal(t, float64(2), after.Num("version"))
		assert.Equal(t, "Проверка", after.Str("settings_texts.ru"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events",
			"action = ? AND resource_type = ? AND resource_id = ?", "access.denied", "system", mine))

		// A stale version: 409 with the current system as the cabinet shows it.
		stale := client.Do("PATCH", base, map[string]any{"version": 1, "description": "late"})
		testutil.AssertProblem(t, stale, 409, "resource.versionConflict")
		assert.Equal(t, float64(2), stale.Num("current.version"), stale.String())
		assert.Nil(t, stale.Get("current.owner_group_id"))

		// The change log names the client who changed the description.
		log := admin.Do("GET", "/api/v1/audit?resource_type=system&resource_id="+mine+"&action=update", nil)
		require.Equal(t, 200, log.Status, log.String())
		require.Equal(t, float64(1), log.Num("total"), log.String())
		me := client.Do("GET", "/api/v1/auth/me", nil)
		assert.Equal(t, me.Str("user.id"), log.Str("items.0.actor_id"), "the client, not an administrator")

		// Certificates: refused until the administrator allows it, then the CA signs.
		csr := map[string]any{"csr": csrPEM(t, p256(t)), "validity_days": 30}
		testutil.AssertProblem(t, client.Do("POST", base+"/certificates", csr), 403, "cabinet.issueNotAllowed")
		assert.Equal(t, int64(0), testutil.Count(t, a, "system_certificates", "system_id = ?", mine))
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+mine, map[string]any{"version": 2, "client_may_issue": true}).Status)
		c := client.Do("POST", base+"/certificates", csr)
		require.Equal(t, 201, c.Status, c.String())
		assert.Contains(t, c.Str("pem"), "BEGIN CERTIFICATE")
		certs := client.Do("GET", base+"/certificates", nil)
		require.Equal(t, 200, certs.Status, certs.String())
		assert.Equal(t, float64(1), certs.Num("total"))
		assert.Equal(t, "active", certs.Str("items.0.status"))
		testutil.AssertProblem(t, client.Do("POST", base+"/certificates", map[string]any{"csr": "nonsense"}), 400, "validation.failed")

		// The administrator opens only known parameters.
		bad := admin.Do("PATCH", "/api/v1/systems/"+mine, map[string]any{"version": 3, "client_editable": []string{"name"}})
		testutil.AssertProblem(t, bad, 400, "validation.failed")
		assert.Equal(t, []string{"client_editable"}, testutil.FieldsOf(bad))
	})
}

// TestCabinetOverMTLS: with CUSTOS_CABINET_REQUIRE_MTLS the cabinet opens only on the
// mTLS entry, and there only for the system whose certificate the browser presents.
func TestCabinetOverMTLS(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts, func(c *config.Config) { c.CabinetRequireMTLS = true })
		admin := a.Admin()
		clients := testutil.GroupID(t, a, "clients")
		mine := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Mine", "owner_group_id": clients,
			"allowed_services": []string{"users.read"}}).Str("id")
		second := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Second", "owner_group_id": clients}).Str("id")
		_, cert, _, _ := issueCSR(t, admin, mine, 30)
		addr := serveMTLS(t, a.App)

		person := a.As("clients")
		testutil.AssertProblem(t, person.Do("GET", "/api/v1/cabinet/systems", nil), 403, "cabinet.mtlsRequired")

		roots := x509.NewCertPool()
		require.True(t, roots.AppendCertsFromPEM([]byte(anonGet(t, a, "/pki/ca.crt"))))
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "localhost",
			Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}}
		browser := a.ClientAt("https://"+addr, tr)
		var login string
		require.NoError(t, a.DB.R.Table("users").Order("created_at DESC").Limit(1).Pluck("login", &login).Error)
		r := browser.Do("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": "password-123"})
		require.Equal(t, 200, r.Status, r.String())

		l := browser.Do("GET", "/api/v1/cabinet/systems", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"), "only the certificate's system, though the group owns two")
		assert.Equal(t, mine, l.Str("items.0.id"))
		testutil.AssertProblem(t, browser.Do("GET", "/api/v1/cabinet/systems/"+second, nil), 404, "resource.notFound")

		// The certificate's own requests are counted for the system; the person sees them.
		// (The sign-in above came with the certificate and no session yet: the system's too.)
		today := time.Now().UTC().Format("2006-01-02")
		statsURL := "/api/v1/cabinet/systems/" + mine + "/stats?group_by=status&from=" + today + "&to=" + today
		require.NoError(t, a.Stats.Counter().Flush(testutil.Ctx()))
		before := browser.Do("GET", statsURL, nil).Num("total")
		for i := 0; i < 3; i++ {
			plain := a.ClientAt("https://"+addr, tr)
			require.Equal(t, 200, plain.Do("GET", "/api/v1/users?page_size=1", nil).Status)
			// The console's page and the CA certificate are not API requests: not counted.
			require.Equal(t, 200, plain.Do("GET", "/pki/ca.crt", nil).Status)
			plain.Do("GET", "/cabinet", nil)
		}
		require.NoError(t, a.Stats.Counter().Flush(testutil.Ctx()))
		s := browser.Do("GET", statsURL, nil)
		require.Equal(t, 200, s.Status, s.String())
		assert.Equal(t, before+3, s.Num("total"), "the person's own cabinet requests are not the system's, nor are pages: %s", s)
		assert.Equal(t, float64(200), s.Num("rows.0.status"))
	})
}
