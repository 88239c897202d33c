package apitest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/app"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

const replicaEnv = "CUSTOS_TEST_REPLICA"

// runReplica serves Custos over DATABASE_URL until stdin closes, printing its address.
func runReplica() int {
	cfg, err := config.Load(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cfg.Addr, cfg.LogLevel = "127.0.0.1:0", "error"
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
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
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); cancel() }()
	if err := a.Serve(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startReplica runs a second Custos process over databaseURL and returns its base URL.
func startReplica(t *testing.T, databaseURL string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), replicaEnv+"=1", "DATABASE_URL="+databaseURL,
		"CUSTOS_DATA_DIR="+t.TempDir(), "CUSTOS_ADMIN_PASSWORD="+testutil.AdminPassword)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close() // graceful stop
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the replica process did not start")
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "LISTEN ")
	require.True(t, ok, line)
	return "http://" + addr
}

// A permission taken from a group on one replica is gone on another process sharing
// the database within a second, without a restart and without a request to the first.
func TestPolicyChangeReachesOtherReplicaWithinASecond(t *testing.T) {
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			var d *db.DB
			var url string
			if dialect == db.SQLite {
				dir := t.TempDir()
				url = "sqlite:" + filepath.Join(dir, "custos.db")
				d = testutil.NewDBAt(t, url)
			} else {
				url = testutil.PostgresURL(t, true)
				d = testutil.NewDBAt(t, url)
			}
			key := appKey(t)
			t.Setenv("CUSTOS_APP_KEY", key) // replicas share the application key (the CA's key is sealed with it)
			a := testutil.NewApp(t, d, func(c *config.Config) { c.AppKey = key })
			admin := a.Admin()
			g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "helpdesk", "name": "Help desk",
				"permissions": []string{"users.read"}})
			testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "olga", "password": "Olive-Harbor-19",
				"group_ids": []string{g.Str("id")}})

			b := testutil.Remote(t, startReplica(t, url))
			olga := b.Login("olga", "Olive-Harbor-19")
			require.Equal(t, 200, olga.Do("GET", "/api/v1/users", nil).Status)

			r := admin.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": g.Num("version"),
				"permissions": []string{"audit.read"}})
			require.Equal(t, 200, r.Status, r.String())
			changed := time.Now()
			require.Eventually(t, func() bool {
				return olga.Do("GET", "/api/v1/users", nil).Status == 403
			}, time.Second, 20*time.Millisecond, "the other replica still allows users.read")
			t.Logf("%s: the other replica denied users.read %v after the change", dialect, time.Since(changed).Round(time.Millisecond))
			assert.Equal(t, 200, olga.Do("GET", "/api/v1/audit", nil).Status, "the new permission is granted there too")
		})
	}
}
