package faulttest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
)

// Faults on one node, on one private PostgreSQL (each scenario on its own database):
// kill -9 of Custos in the middle of a bulk delete, SIGTERM with requests in flight,
// PostgreSQL restarted under load.
func TestOneNodeFaults(t *testing.T) {
	requirePeers(t)
	p := startPG(t, true)
	t.Run("Kill9DuringBulkLeavesNoPartialRows", func(t *testing.T) { kill9DuringBulk(t, p) })
	t.Run("SIGTERMDrainsAndFlushes", func(t *testing.T) { sigtermDrains(t, p) })
	t.Run("FrozenPostgreSQLCostsTheRequestTimeout", func(t *testing.T) { frozen(t, p) })
	t.Run("PostgreSQLRestartUnderLoad", func(t *testing.T) { restartUnderLoad(t, p) })
}

// createGroups creates n groups with one permission each, from 4 clients at once.
func createGroups(t *testing.T, cl *client, prefix string, n int) map[string]string {
	t.Helper()
	var mu sync.Mutex
	ids := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				code := fmt.Sprintf("%s-%03d", prefix, i)
				a := cl.do(context.Background(), "POST", "/api/v1/groups",
					map[string]any{"code": code, "name": code, "permissions": []string{"users.read"}})
				if a.err != nil || a.status != 201 {
					errs <- fmt.Sprintf("%s: %v %d %s", code, a.err, a.status, a.body)
					continue
				}
				mu.Lock()
				ids[code] = a.str("id")
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal("create group:", e)
	}
	return ids
}

// kill -9 while a bulk delete of 300 groups runs: each group is wholly there (row,
// policies, no delete event) or wholly gone (no row, no policies, its delete event):
// every id is its own transaction with its audit event. The audit chain verifies, and
// a restarted Custos finishes the job.
func kill9DuringBulk(t *testing.T, p *pg) {
	url := p.database(t, "kill9")
	env := custosEnv(t, url, t.TempDir())
	c := startCustos(t, env)
	cl := login(t, c.base)
	const n = 300 // the deletions after the first one take ~1 s: the kill lands mid-bulk even on a starved machine
	groups := createGroups(t, cl, "k9", n)
	ids := make([]string, 0, n)
	for _, id := range groups {
		ids = append(ids, id)
	}
	d, err := db.Open(strings.Replace(p.PrimaryURL, "/postgres?", "/kill9?", 1), "")
	require.NoError(t, err)
	defer d.Close()
	left := func() int64 {
		var k int64
		require.NoError(t, d.R.Table("groups").Where("code LIKE 'k9-%'").Count(&k).Error)
		return k
	}

	done := make(chan answer, 1)
	go func() {
		done <- cl.do(context.Background(), "POST", "/api/v1/groups/bulk-delete", map[string]any{"ids": ids})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for left() == n && time.Now().Before(deadline) { // kill once the first deletions are in

		time.Sleep(5 * time.Millisecond)
	}
	c.signal(t, syscall.SIGKILL, 5*time.Second)
	a := <-done
	require.Error(t, a.err, "the bulk request was cut by the kill, not finished: %d %s", a.status, a.body)
	remaining := left()
	require.Less(t, remaining, int64(n), "the kill came after some deletions")
	require.Positive(t, remaining, "the kill came before the last deletion")

	// Each group all there or all gone.
	var partial []string
	for code, id := range groups {
		var rows, rules, deleted int64
		require.NoError(t, d.R.Table("groups").Where("id = ?", id).Count(&rows).Error)
		require.NoError(t, d.R.Table("casbin_rule").Where("ptype = 'p' AND v0 = ?", code).Count(&rules).Error)
		require.NoError(t, d.R.Table("audit_events").Where("resource_type = 'group' AND action = 'delete' AND resource_id = ?", id).
			Count(&deleted).Error)
		there := rows == 1 && rules == 1 && deleted == 0
		gone := rows == 0 && rules == 0 && deleted == 1
		if !there && !gone {
			partial = append(partial, fmt.Sprintf("%s: row %d, policies %d, delete events %d", code, rows, rules, deleted))
		}
	}
	assert.Empty(t, partial, "groups half-deleted by the kill")
	rc, out := custosCLI(t, env, "audit", "verify")
	assert.Equal(t, 0, rc, out)
	figure(t, "kill -9 after %d of %d deletions: %d groups wholly gone, %d wholly there, %d partial; %s",
		n-int(remaining), n, n-int(remaining), remaining, len(partial), strings.TrimSpace(out))

	// A restarted Custos finishes the job.
	c = startCustos(t, env)
	cl = login(t, c.base)
	a = cl.do(context.Background(), "POST", "/api/v1/groups/bulk-delete", map[string]any{"ids": ids})
	require.NoError(t, a.err)
	require.Equal(t, 200, a.status, string(a.body))
	assert.Zero(t, left())
}

// SIGTERM with sign-ins in flight (a password check takes a while) and token-authenticated
// reads just made: every request in flight is answered, and the request statistics and
// the token's last use, gathered in memory and flushed every 5 s, are written at the stop.
func sigtermDrains(t *testing.T, p *pg) {
	url := p.database(t, "sigterm")
	env := custosEnv(t, url, t.TempDir())
	c := startCustos(t, env)
	admin := login(t, c.base)
	a := admin.do(context.Background(), "POST", "/api/v1/tokens", map[string]any{"name": "drain", "scopes": []string{"users.read"}})
	require.NoError(t, a.err)
	require.Equal(t, 201, a.status, string(a.body))
	tokenID, secret := a.str("id"), a.str("token")
	require.NotEmpty(t, secret)

	// Token reads; the statistics count each answer.
	tc := tokenClient(c.base, secret)
	const reads = 40
	for i := 0; i < reads; i++ {
		r := tc.do(context.Background(), "GET", "/api/v1/users?page_size=1", nil)
		require.NoError(t, r.err)
		require.Equal(t, 200, r.status, string(r.body))
	}
	// Sign-ins in flight when the signal comes.
	const inflight = 3
	answers := make(chan answer, inflight)
	for i := 0; i < inflight; i++ {
		go func() {
			anon := &client{base: c.base, hc: tc.hc, hdr: map[string][]string{}}
			answers <- anon.do(context.Background(), "POST", "/api/v1/auth/login",
				map[string]string{"login": "tech_admin", "password": adminPassword})
		}()
	}
	time.Sleep(30 * time.Millisecond)
	signalled := time.Now()
	c.signal(t, syscall.SIGTERM, 20*time.Second)
	stopped := time.Since(signalled)
	var drained int
	for i := 0; i < inflight; i++ {
		r := <-answers
		if assert.NoError(t, r.err, "a request in flight at SIGTERM was dropped") {
			assert.Equal(t, 200, r.status, string(r.body))
			drained++
		}
	}

	d, err := db.Open(strings.Replace(p.PrimaryURL, "/postgres?", "/sigterm?", 1), "")
	require.NoError(t, err)
	defer d.Close()
	var counted int64
	require.NoError(t, d.R.Raw("SELECT COALESCE(SUM(count), 0) FROM request_stats WHERE credential_id = ?", tokenID).Scan(&counted).Error)
	assert.Equal(t, int64(reads), counted, "every token request is in the statistics after the stop")
	var used int64
	require.NoError(t, d.R.Table("api_tokens").Where("id = ? AND last_used_at IS NOT NULL", tokenID).Count(&used).Error)
	assert.Equal(t, int64(1), used, "the token's last use is written at the stop")
	figure(t, "SIGTERM: %d of %d sign-ins in flight answered 200, stopped in %s; token requests %d, counted %d after the stop",
		drained, inflight, stopped.Round(time.Millisecond), reads, counted)
}

// PostgreSQL restarted (pg_ctl restart -m fast) under a write load: fast 503s while it
// is down, then writes resume in the same Custos process, none acknowledged is lost.
func restartUnderLoad(t *testing.T, p *pg) {
	url := p.database(t, "restart")
	env := custosEnv(t, url, t.TempDir())
	c := startCustos(t, env)
	cl := login(t, c.base)
	l := startLoad(cl, 3, "rs")
	time.Sleep(time.Second)
	require.Positive(t, l.ackedCount())
	restartAt := time.Now()
	p.ctl(t, "restart")
	restarted := time.Since(restartAt)
	recovered := l.waitOK(t, restartAt.Add(restarted), 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	l.stop()
	select {
	case <-c.exited:
		t.Fatalf("custos exited during the restart: %v", c.exitErr)
	default:
	}
	s := l.check(t, maxAnswer)
	assert.Positive(t, s.unavailable, "requests made while PostgreSQL was down got 503")

	d, err := db.Open(strings.Replace(p.PrimaryURL, "/postgres?", "/restart?", 1), "")
	require.NoError(t, err)
	defer d.Close()
	missing, _ := l.lost(t, d, "rs")
	lost := len(missing)
	assert.Zero(t, lost, "acknowledged writes lost by the restart")
	figure(t, "pg_ctl restart took %s; first write after it %s later; requests %d: %d ok, %d × 503 db.unavailable; slowest answer %s; writes acknowledged %d, found %d",
		restarted.Round(time.Millisecond), recovered.Sub(restartAt.Add(restarted)).Round(time.Millisecond), s.total, s.ok, s.unavailable,
		s.maxTook.Round(time.Millisecond), len(l.acked), len(l.acked)-lost)
	chained(t, d)
	c.signal(t, syscall.SIGTERM, 20*time.Second)
	rc, out := custosCLI(t, env, "audit", "verify")
	assert.Equal(t, 0, rc, out)
}

// PostgreSQL stops answering (its processes SIGSTOPped: a hung server, a partition that
// leaves connections open) under load: no request is held longer than
// CUSTOS_REQUEST_TIMEOUT (2 s here), each is answered 503 db.unavailable, and once the
// server answers again the same process carries on, no acknowledged write lost.
func frozen(t *testing.T, p *pg) {
	const timeout = 2 * time.Second
	url := p.database(t, "frozen")
	env := append(custosEnv(t, url, t.TempDir()), "CUSTOS_REQUEST_TIMEOUT="+timeout.String())
	c := startCustos(t, env)
	cl := login(t, c.base)
	l := startLoad(cl, 3, "fz")
	time.Sleep(time.Second)
	require.Positive(t, l.ackedCount())
	frozenAt := time.Now()
	p.ctl(t, "freeze")
	thawed := false
	defer func() {
		if !thawed {
			p.ctl(t, "thaw")
		}
	}()
	time.Sleep(4 * time.Second)
	p.ctl(t, "thaw")
	thawed = true
	thawedAt := time.Now()
	recovered := l.waitOK(t, thawedAt, 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	l.stop()
	select {
	case <-c.exited:
		t.Fatalf("custos exited while PostgreSQL was frozen: %v", c.exitErr)
	default:
	}
	s := l.check(t, timeout+1500*time.Millisecond)
	assert.Positive(t, s.unavailable, "requests made while PostgreSQL was frozen got 503")

	d, err := db.Open(strings.Replace(p.PrimaryURL, "/postgres?", "/frozen?", 1), "")
	require.NoError(t, err)
	defer d.Close()
	missing, _ := l.lost(t, d, "fz")
	lost := len(missing)
	assert.Zero(t, lost, "acknowledged writes lost")
	figure(t, "PostgreSQL frozen for %s with CUSTOS_REQUEST_TIMEOUT=%s: requests %d: %d ok, %d × 503 db.unavailable; slowest answer %s; "+
		"first write after the thaw %s later; writes acknowledged %d, found %d",
		thawedAt.Sub(frozenAt).Round(time.Millisecond), timeout, s.total, s.ok, s.unavailable, s.maxTook.Round(time.Millisecond),
		recovered.Sub(thawedAt).Round(time.Millisecond), len(l.acked), len(l.acked)-lost)
	chained(t, d)
	c.signal(t, syscall.SIGTERM, 20*time.Second)
	rc, out := custosCLI(t, env, "audit", "verify")
	assert.Equal(t, 0, rc, out)
}
