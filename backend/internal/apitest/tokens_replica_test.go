package apitest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/app"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func appKey(t *testing.T) string {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(k)
}

// A token revoked on one replica is refused by another process sharing the database
// within a second, although that replica had it cached.
func TestRevokedTokenIsRefusedOnOtherReplicaWithinASecond(t *testing.T) {
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			var url string
			if dialect == db.SQLite {
				url = "sqlite:" + filepath.Join(t.TempDir(), "custos.db")
			} else {
				url = testutil.PostgresURL(t, true)
			}
			d := testutil.NewDBAt(t, url)
			key := appKey(t)
			t.Setenv("CUSTOS_APP_KEY", key) // replicas share the application key, hence the token pepper
			a := testutil.NewApp(t, d, func(c *config.Config) { c.AppKey = key })
			admin := a.Admin()
			id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "shared", "scopes": []string{"users.read"}})
			_, pat := testutil.NewToken(t, admin, "/api/v1/me/tokens", map[string]any{"name": "mine", "scopes": []string{"users.read"}})

			b := testutil.Remote(t, startReplica(t, url))
			onB, patOnB := testutil.TokenClient(b, tok), testutil.TokenClient(b, pat)
			require.Equal(t, 200, onB.Do("GET", "/api/v1/users", nil).Status, "the other replica accepts the token")
			require.Equal(t, 200, patOnB.Do("GET", "/api/v1/users", nil).Status)

			require.Equal(t, 200, admin.Do("POST", "/api/v1/tokens/"+id+"/revoke", nil).Status)
			revoked := time.Now()
			require.Eventually(t, func() bool { return onB.Do("GET", "/api/v1/users", nil).Status == 401 },
				time.Second, 10*time.Millisecond, "the other replica still accepts the revoked token")
			t.Logf("%s: the other replica refused the revoked token %v after the revoke", dialect,
				time.Since(revoked).Round(time.Millisecond))
			assert.Equal(t, "auth.tokenRevoked", onB.Do("GET", "/api/v1/users", nil).Str("code"))

			// A personal token's scopes narrowed on A: B applies the new scopes within a second.
			mine := admin.Do("GET", "/api/v1/me/tokens?page_size=1", nil)
			pid := mine.Str("items.0.id")
			r := admin.Do("PATCH", "/api/v1/me/tokens/"+pid, map[string]any{"version": mine.Num("items.0.version"),
				"scopes": []string{"audit.read"}})
			require.Equal(t, 200, r.Status, r.String())
			require.Eventually(t, func() bool { return patOnB.Do("GET", "/api/v1/users", nil).Status == 403 },
				time.Second, 10*time.Millisecond, "the other replica still applies the old scopes")
		})
	}
}

// Last-used times live in memory between flushes; a graceful shutdown writes them.
func TestLastUseIsWrittenOnShutdown(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		id, tok := testutil.NewToken(t, a.Admin(), "/api/v1/tokens", map[string]any{"name": "flushed", "scopes": []string{"users.read"}})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func(a *app.App) { served <- a.Serve(ctx, ln) }(a.App)
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/v1/users", nil)
		req.Header.Set("Authorization", "Api-Token "+tok)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, 200, res.StatusCode)
		assert.Equal(t, int64(0), testutil.Count(t, a, "api_tokens", "id = ? AND last_used_at IS NOT NULL", id),
			"no database write on the request path")
		cancel()
		select {
		case err := <-served:
			require.NoError(t, err)
		case <-time.After(20 * time.Second):
			t.Fatal("Serve did not return")
		}
		assert.Equal(t, int64(1), testutil.Count(t, a, "api_tokens", "id = ? AND last_used_at IS NOT NULL", id))
	})
}
