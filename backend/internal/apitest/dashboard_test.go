package apitest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestDashboard(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		soon := time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)
		later := time.Now().Add(60 * 24 * time.Hour).UTC().Format(time.RFC3339)
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "reporting", "scopes": []string{"users.read"}, "expires_at": soon})
		testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "later", "scopes": []string{"users.read"}, "expires_at": later})
		sys := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "Archive"}).Str("id")
		issueCSR(t, admin, sys, 10)
		issueCSR(t, admin, sys, 90)

		c := testutil.TokenClient(a, tok)
		for i := 0; i < 3; i++ {
			require.Equal(t, 200, c.Do("GET", "/api/v1/users?page_size=1", nil).Status)
		}
		require.Equal(t, 404, c.Do("GET", "/api/v1/users/0190a0a0-0000-7000-8000-000000000000", nil).Status)
		require.NoError(t, a.Stats.Counter().Flush(testutil.Ctx()))

		r := admin.Do("GET", "/api/v1/dashboard", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 30, r.Len("requests.days"), "every day of the month, quiet ones too")
		assert.Equal(t, time.Now().UTC().Format("2006-01-02"), r.Str("requests.days.29.day"))
		assert.Equal(t, float64(4), r.Num("requests.days.29.total"), r.String())
		assert.Equal(t, float64(1), r.Num("requests.days.29.errors"))
		assert.Equal(t, float64(4), r.Num("requests.total"))
		assert.Equal(t, float64(1), r.Num("expiring_certificates.count"), "the 90-day certificate is not soon")
		assert.Equal(t, "Archive", r.Str("expiring_certificates.items.0.system_name"))
		assert.Equal(t, sys, r.Str("expiring_certificates.items.0.system_id"))
		assert.Equal(t, float64(1), r.Num("expiring_tokens.count"))
		assert.Equal(t, "reporting", r.Str("expiring_tokens.items.0.name"))
		assert.Equal(t, float64(0), r.Num("failed_deliveries.count"))
		assert.NotNil(t, r.Get("failed_deliveries"))

		// A self-service user reads none of it: every section is absent.
		u := a.As("users").Do("GET", "/api/v1/dashboard", nil)
		require.Equal(t, 200, u.Status, u.String())
		assert.Equal(t, map[string]any{}, u.JSON)
	})
}

func TestPersonalTokenStats(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		anna := a.As("users", "auditors")
		id, tok := testutil.NewToken(t, anna, "/api/v1/me/tokens", map[string]any{"name": "laptop", "scopes": []string{"users.read"}})
		c := testutil.TokenClient(a, tok)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users?page_size=1", nil).Status)
		require.Equal(t, 403, c.Do("GET", "/api/v1/audit", nil).Status)
		require.NoError(t, a.Stats.Counter().Flush(testutil.Ctx()))

		s := anna.Do("GET", "/api/v1/me/tokens/"+id+"/stats?group_by=status", nil)
		require.Equal(t, 200, s.Status, s.String())
		assert.Equal(t, float64(2), s.Num("total"))
		assert.Equal(t, []any{map[string]any{"status": float64(200), "count": float64(1)},
			map[string]any{"status": float64(403), "count": float64(1)}}, s.Get("rows"))
		// Someone else's personal token is not found; an organisation token's id neither.
		testutil.AssertProblem(t, a.As("users").Do("GET", "/api/v1/me/tokens/"+id+"/stats", nil), 404, "resource.notFound")
		org, _ := testutil.NewToken(t, a.Admin(), "/api/v1/tokens", map[string]any{"name": "org", "scopes": []string{"users.read"}})
		testutil.AssertProblem(t, anna.Do("GET", "/api/v1/me/tokens/"+org+"/stats", nil), 404, "resource.notFound")
		testutil.AssertProblem(t, anna.Do("GET", "/api/v1/me/tokens/"+id+"/stats?group_by=week", nil), 400, "validation.failed")
	})
}

// TestRefusedCredentialsAreCounted: a credential that proved itself but is refused
// counts its 401s under its own id (a client debugging its integration sees them); a
// token with a wrong secret adds nothing to the figures of the token it names.
func TestRefusedCredentialsAreCounted(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "t", "scopes": []string{"users.read"}})
		c := testutil.TokenClient(a, tok)
		require.Equal(t, 200, c.Do("GET", "/api/v1/users?page_size=1", nil).Status)
		require.Equal(t, 200, admin.Do("POST", "/api/v1/tokens/"+id+"/revoke", nil).Status)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users?page_size=1", nil), 401, "auth.tokenRevoked")
		forged := tok[:len(tok)-4] + "AAAA"
		if forged == tok {
			forged = tok[:len(tok)-4] + "BBBB"
		}
		require.Equal(t, 401, testutil.TokenClient(a, forged).Do("GET", "/api/v1/users?page_size=1", nil).Status)

		sys := testutil.MustCreate(t, admin, "/api/v1/systems", map[string]any{"name": "S", "allowed_services": []string{"users.read"}}).Str("id")
		cid, cert, _, _ := issueCSR(t, admin, sys, 30)
		addr := serveMTLS(t, a.App)
		m := newMTLSClient(t, a, addr, cert)
		require.Equal(t, 200, m.get("/api/v1/users?page_size=1").Status)
		require.Equal(t, 200, admin.Do("POST", "/api/v1/systems/"+sys+"/certificates/"+cid+"/revoke",
			map[string]any{"reason": "keyCompromise"}).Status)
		require.Eventually(t, func() bool { return newMTLSClient(t, a, addr, cert).get("/api/v1/users?page_size=1").Status == 401 },
			5*time.Second, 50*time.Millisecond)
		require.NoError(t, a.Stats.Counter().Flush(testutil.Ctx()))

		ts := admin.Do("GET", "/api/v1/tokens/"+id+"/stats?group_by=status", nil)
		require.Equal(t, 200, ts.Status, ts.String())
		assert.Equal(t, []any{map[string]any{"status": float64(200), "count": float64(1)},
			map[string]any{"status": float64(401), "count": float64(1)}}, ts.Get("rows"), "the forged secret is not counted")
		ss := admin.Do("GET", "/api/v1/systems/"+sys+"/stats?group_by=status", nil)
		require.Equal(t, 200, ss.Status, ss.String())
		assert.Equal(t, float64(200), ss.Num("rows.0.status"))
		assert.Equal(t, float64(401), ss.Num("rows.1.status"), ss.String())
		assert.GreaterOrEqual(t, ss.Num("rows.1.count"), float64(1))
	})
}
