package apitest

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/app"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// statsReplicaEnv makes this test binary a Custos process that stops on SIGTERM, as a
// real server does under a process manager.
const statsReplicaEnv = "CUSTOS_TEST_STATS_REPLICA"

func init() {
	if os.Getenv(statsReplicaEnv) != "" {
		os.Exit(runSignalReplica())
	}
}

func runSignalReplica() int {
	cfg, err := config.Load(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg.Addr = "127.0.0.1:0"
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("LISTEN %s\n", ln.Addr())
	if err := a.Serve(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startSignalReplica runs a second Custos process over databaseURL and returns its base
// URL and a function that stops it with SIGTERM and waits for its exit.
func startSignalReplica(t *testing.T, databaseURL, key string) (string, func() error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), statsReplicaEnv+"=1", "DATABASE_URL="+databaseURL, "CUSTOS_APP_KEY="+key,
		"CUSTOS_DATA_DIR="+t.TempDir(), "CUSTOS_ADMIN_PASSWORD="+testutil.AdminPassword)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	stop := func() error {
		stopped = true
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			return fmt.Errorf("the replica did not stop on SIGTERM")
		}
	}
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the replica process did not start")
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "LISTEN ")
	require.True(t, ok, line)
	return "http://" + addr, stop
}

// burst sends n requests of each path concurrently with c and returns the statuses seen.
func burst(t *testing.T, c *testutil.Client, n int, paths ...string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	seen := map[int]int{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := 0; i < n; i++ {
		for _, p := range paths {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				st := c.Do("GET", p, nil).Status
				mu.Lock()
				seen[st]++
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	return seen
}

// byStatus reads a token's figures grouped by status.
func byStatus(t *testing.T, admin *testutil.Client, path string) (map[int]int, int) {
	t.Helper()
	r := admin.Do("GET", path+"?group_by=status", nil)
	require.Equal(t, 200, r.Status, r.String())
	out := map[int]int{}
	for i := 0; i < r.Len("rows"); i++ {
		out[int(r.Num(fmt.Sprintf("rows.%d.status", i)))] = int(r.Num(fmt.Sprintf("rows.%d.count", i)))
	}
	return out, int(r.Num("total"))
}

const missingUser = "/api/v1/users/00000000-0000-4000-8000-000000000000"

// A burst of concurrent token requests with mixed statuses is counted exactly: on a
// second process stopped with SIGTERM (its last flush writes what it held) and on this
// one, both adding to the same rows.
func TestStatsBurstSurvivesSIGTERMAndReplicasAddUp(t *testing.T) {
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
			a := testutil.NewApp(t, d, func(c *config.Config) { c.AppKey = key })
			admin := a.Admin()
			id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "counted", "scopes": []string{"users.read"}})
			base, stop := startSignalReplica(t, url, key)

			const n = 25
			paths := []string{"/api/v1/users", "/api/v1/audit", missingUser}
			onB := burst(t, testutil.TokenClient(testutil.Remote(t, base), tok), n, paths...)
			require.Equal(t, map[int]int{200: n, 403: n, 404: n}, onB)
			onA := burst(t, testutil.TokenClient(a, tok), n, paths...)
			require.Equal(t, map[int]int{200: n, 403: n, 404: n}, onA)

			require.NoError(t, stop(), "the replica's graceful stop")
			require.NoError(t, a.Stats.Counter().Flush(context.Background()))
			got, total := byStatus(t, admin, "/api/v1/tokens/"+id+"/stats")
			assert.Equal(t, map[int]int{200: 2 * n, 403: 2 * n, 404: 2 * n}, got)
			assert.Equal(t, 6*n, total)
		})
	}
}

// An in-process server stopped by cancelling Serve's context flushes at its stop.
func TestStatsGracefulServeStopFlushes(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		key := appKey(t)
		withKey := func(c *config.Config) { c.AppKey = key }
		a := testutil.NewApp(t, d, withKey)
		admin := a.Admin()
		id, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "served", "scopes": []string{"users.read"}})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func(a *app.App) { served <- a.Serve(ctx, ln) }(a.App)
		c := testutil.TokenClient(testutil.Remote(t, "http://"+ln.Addr().String()), tok)
		require.Equal(t, map[int]int{200: 10, 403: 10}, burst(t, c, 10, "/api/v1/users", "/api/v1/audit"))
		cancel()
		select {
		case err := <-served:
			require.NoError(t, err)
		case <-time.After(20 * time.Second):
			t.Fatal("Serve did not return")
		}
		assert.Equal(t, int64(0), a.Stats.Counter().Pending(), "the last pass wrote everything")
		b := testutil.NewApp(t, d, withKey) // a fresh process's view: nothing in memory
		got, total := byStatus(t, b.Admin(), "/api/v1/tokens/"+id+"/stats")
		assert.Equal(t, map[int]int{200: 10, 403: 10}, got)
		assert.Equal(t, 20, total)
	})
}

// A system's request over mTLS is counted under its certificate and its system.
func TestStatsCountSystemRequestsOverMTLS(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		sysID := newSystem(t, admin, "Counted", "users.read")
		cid, cert, _, _ := issueCSR(t, admin, sysID, 30)
		c := newMTLSClient(t, a, serveMTLS(t, a.App), cert)
		// A run across midnight UTC counts on two days: the day rows are checked only when
		// the whole run fell on one; totals and statuses always.
		first := time.Now().UTC().Format("2006-01-02")
		for i := 0; i < 3; i++ {
			require.Equal(t, 200, c.get("/api/v1/users").Status)
		}
		for i := 0; i < 2; i++ {
			require.Equal(t, 403, c.get("/api/v1/audit").Status)
		}
		require.NoError(t, a.Stats.Counter().Flush(context.Background()))

		r := admin.Do("GET", "/api/v1/systems/"+sysID+"/stats", nil)
		require.Equal(t, 200, r.Status, r.String())
		today := time.Now().UTC().Format("2006-01-02")
		oneDay := first == today
		assert.Equal(t, float64(5), r.Num("total"))
		assert.Equal(t, today, r.Str("to"))
		if oneDay {
			require.Equal(t, 2, r.Len("rows"), r.String())
			assert.Equal(t, today, r.Str("rows.0.day"))
		}
		st := admin.Do("GET", "/api/v1/systems/"+sysID+"/stats?group_by=status&from="+first+"&to="+today, nil)
		require.Equal(t, 200, st.Status, st.String())
		require.Equal(t, 2, st.Len("rows"), st.String())
		assert.Equal(t, float64(200), st.Num("rows.0.status"))
		assert.Equal(t, float64(3), st.Num("rows.0.count"))
		assert.Equal(t, float64(403), st.Num("rows.1.status"))
		assert.Equal(t, float64(2), st.Num("rows.1.count"))

		g := admin.Do("GET", "/api/v1/systems/"+sysID+"/stats?group_by=credential", nil)
		require.Equal(t, 200, g.Status, g.String())
		require.Equal(t, 1, g.Len("rows"), g.String())
		assert.Equal(t, cid, g.Str("rows.0.credential_id"))
		assert.Equal(t, "certificate", g.Str("rows.0.credential_type"))
		assert.Equal(t, float64(5), g.Num("rows.0.count"))

		byDay := admin.Do("GET", "/api/v1/systems/"+sysID+"/stats?group_by=day&from="+first+"&to="+today, nil)
		require.Equal(t, 200, byDay.Status, byDay.String())
		if oneDay {
			assert.Equal(t, float64(5), byDay.Num("rows.0.count"))
		}
		assert.Equal(t, float64(0), byDay.Num("rows.0.status"), "grouped by day: no status")
	})
}

func TestStatsRefuseBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.StatsRetentionDays = 90 })
		admin := a.Admin()
		sysID := newSystem(t, admin, "Queried")
		tokID, _ := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "queried", "scopes": []string{"users.read"}})
		for _, base := range []string{"/api/v1/systems/" + sysID + "/stats", "/api/v1/tokens/" + tokID + "/stats"} {
			for _, tc := range []struct{ query, field, code string }{
				{"from=2026-02-10&to=2026-02-01", "from", "stats.fromAfterTo"},
				{"from=2025-01-01&to=2026-01-01", "from", "stats.rangeOverRetention"},
				{"to=2026-06-30&from=2026-04-01", "from", "stats.rangeOverRetention"}, // 91 days
				{"group_by=hour", "group_by", "stats.badGroupBy"},
				{"from=2026-13-01", "from", "stats.badDate"},
				{"from=yesterday", "from", "stats.badDate"},
				{"to=2026-02-30", "to", "stats.badDate"},
			} {
				r := admin.Do("GET", base+"?"+tc.query, nil)
				testutil.AssertProblem(t, r, 400, "validation.failed")
				assert.Equal(t, tc.code, testutil.FieldCode(r, tc.field), "%s?%s: %s", base, tc.query, r.String())
			}
			ok := admin.Do("GET", base+"?from=2026-04-01&to=2026-06-29", nil) // 90 days
			require.Equal(t, 200, ok.Status, ok.String())
			assert.Equal(t, float64(0), ok.Num("total"))
			assert.Equal(t, 0, ok.Len("rows"))
		}
		for _, p := range []string{"/api/v1/systems/00000000-0000-4000-8000-000000000000/stats",
			"/api/v1/tokens/00000000-0000-4000-8000-000000000000/stats", "/api/v1/tokens/not-a-uuid/stats"} {
			testutil.AssertProblem(t, admin.Do("GET", p, nil), 404, "resource.notFound")
		}
		// Without stats.read: 403.
		testutil.AssertProblem(t, a.As("operators").Do("GET", "/api/v1/systems/"+sysID+"/stats", nil), 403, "authz.denied")
	})
}
