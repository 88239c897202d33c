package faulttest

import (
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
)

// The primary dies under a steady write load and its synchronous standby is promoted.
// While there is no primary every request is answered at once with 503 db.unavailable
// and Retry-After; after the promotion the same Custos process (no restart) writes
// again through the multi-host URL, every write it acknowledged is on the new primary
// with its audit event, and the audit chain verifies.
func TestFailoverKeepsEveryAcknowledgedWrite(t *testing.T) {
	requirePeers(t)
	p := startPG(t, false)
	env := custosEnv(t, p.URL, t.TempDir())
	c := startCustos(t, env)
	cl := login(t, c.base)

	l := startLoad(cl, 3, "fo")
	time.Sleep(1500 * time.Millisecond)
	require.Positive(t, l.ackedCount(), "writes succeed before the fault")

	killedAt := time.Now()
	p.ctl(t, "kill-primary")
	time.Sleep(2 * time.Second) // no primary: every answer must be a fast 503
	promotedAt := time.Now()
	p.ctl(t, "promote")
	recoveredAt := l.waitOK(t, promotedAt, 20*time.Second)
	time.Sleep(time.Second)
	l.stop()

	select {
	case <-c.exited:
		t.Fatalf("custos exited during the failover: %v", c.exitErr)
	default:
	}
	s := l.check(t, maxAnswer)
	assert.Positive(t, s.unavailable, "requests made while there was no primary got 503")

	// Every acknowledged write is on the new primary, with its audit event.
	d, err := db.Open(p.URL, "")
	require.NoError(t, err)
	defer d.Close()
	var inRecovery bool
	require.NoError(t, d.R.Raw("SELECT pg_is_in_recovery()").Scan(&inRecovery).Error)
	require.False(t, inRecovery, "the URL reaches the promoted standby, a primary now")
	lost, found := l.lost(t, d, "fo")
	ids := make([]string, 0, len(l.acked))
	for _, id := range l.acked {
		ids = append(ids, id)
	}
	assert.Empty(t, lost, "acknowledged writes missing on the new primary")
	var audited int64
	require.NoError(t, d.R.Table("audit_events").Where("resource_type = 'group' AND action = 'create' AND resource_id IN ?", ids).
		Count(&audited).Error)
	assert.Equal(t, int64(len(ids)), audited, "each acknowledged write has its audit event")

	figure(t, "no primary for %s (kill → promote), first write after promotion %s later; requests %d: %d ok, %d × 503 db.unavailable "+
		"(first %s after the kill, last %s after the promotion); slowest answer %s; writes acknowledged %d, found on the new primary %d (of %d committed)",
		promotedAt.Sub(killedAt).Round(time.Millisecond), recoveredAt.Sub(promotedAt).Round(time.Millisecond), s.total, s.ok, s.unavailable,
		s.firstUnavailable.Sub(killedAt).Round(time.Millisecond), s.lastUnavailable.Sub(promotedAt).Round(time.Millisecond),
		s.maxTook.Round(time.Millisecond), len(l.acked), len(l.acked)-len(lost), found)

	// The running Custos chains the events written since the promotion by itself …
	chained(t, d)
	// … the audit chain verifies once it has stopped …
	c.signal(t, syscall.SIGTERM, 20*time.Second)
	rc, out := custosCLI(t, env, "audit", "verify")
	require.Equal(t, 0, rc, out)
	assert.Contains(t, out, "audit chain intact")

	// … and `custos audit verify` names the first broken link once an event is changed.
	require.NoError(t, d.W.Exec(`UPDATE audit_events SET resource_name = 'tampered'
		WHERE seq = (SELECT min(seq) FROM audit_events WHERE resource_type = 'group' AND action = 'create')`).Error)
	var seq int64
	require.NoError(t, d.R.Raw("SELECT seq FROM audit_events WHERE resource_name = 'tampered'").Scan(&seq).Error)
	rc, out = custosCLI(t, env, "audit", "verify")
	assert.Equal(t, 1, rc, out)
	assert.True(t, strings.Contains(out, "BROKEN at event seq "+strconv.FormatInt(seq, 10)), out)
}

// chained waits until the running Custos has linked every audit event into the chain
// (its chainer came back after the fault without a restart).
func chained(t *testing.T, d *db.DB) {
	t.Helper()
	var pending int64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		require.NoError(t, d.R.Table("audit_events").Where("seq IS NULL").Count(&pending).Error)
		if pending == 0 {
			return
		}
	}
	t.Fatalf("%d audit events still unchained 10 s after the load: the chainer did not recover", pending)
}
