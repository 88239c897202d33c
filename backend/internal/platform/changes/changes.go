// Package changes tells every replica that shared state changed (policies, revoked
// tokens, disabled certificates), so caches built from the database are dropped within
// a second everywhere, not only on the replica that made the change.
//
// A change bumps a per-topic counter in the change_versions table inside the change's
// own transaction. Every replica polls that tiny table (one indexed read of a handful
// of rows) and, on PostgreSQL, also LISTENs: the NOTIFY sent in the same transaction is
// delivered at commit, so other replicas react in milliseconds, and the poll covers a
// dropped listener connection or SQLite files shared by several processes.
package changes

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// Channel is the PostgreSQL NOTIFY channel.
const Channel = "custos_changes"

// PollInterval bounds how late a replica may learn of a change when NOTIFY is unavailable.
const PollInterval = 500 * time.Millisecond

// Bus publishes changes and runs the handlers subscribed to them.
type Bus struct {
	st   store
	wake chan struct{}
	log  *slog.Logger
	mu   sync.Mutex
	subs map[string][]func(context.Context)
	seen map[string]int64
}

// New returns a bus over d. Its Jobs receive the changes.
func New(d *db.DB, log *slog.Logger) *Bus {
	return &Bus{st: store{db: d}, wake: make(chan struct{}, 1), log: log, subs: map[string][]func(context.Context){}, seen: map[string]int64{}}
}

// Subscribe registers fn to run (on the bus's goroutine) after topic changes on any
// replica, this one included.
func (b *Bus) Subscribe(topic string, fn func(context.Context)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs[topic] = append(b.subs[topic], fn)
}

// Publish records a change of topic inside the transaction ctx carries; it becomes
// visible when that transaction commits.
func (b *Bus) Publish(ctx context.Context, topic string) error { return b.st.bump(ctx, topic) }

// Prime records the current versions so Run fires only for later changes.
func (b *Bus) Prime(ctx context.Context) error {
	_, err := b.poll(ctx, false)
	return err
}

// Jobs are what receives changes, on every replica: a poll of the counters (nudged by
// NOTIFY on PostgreSQL) and, on PostgreSQL, the LISTEN connection.
func (b *Bus) Jobs() []worker.Job {
	jobs := []worker.Job{{Name: "change poll", Every: PollInterval, Wake: b.wake, Run: func(ctx context.Context) error {
		_, err := b.poll(ctx, true)
		return err
	}}}
	if b.st.db.Dialect == db.Postgres {
		jobs = append(jobs, worker.Job{Name: "change listener", Loop: b.listen})
	}
	return jobs
}

// poll reads the counters and, when fire is set, runs the handlers of changed topics.
func (b *Bus) poll(ctx context.Context, fire bool) ([]string, error) {
	versions, err := b.st.versions(ctx)
	if err != nil {
		return nil, err
	}
	var changed []string
	var run []func(context.Context)
	b.mu.Lock()
	for topic, v := range versions {
		if b.seen[topic] != v {
			b.seen[topic] = v
			changed = append(changed, topic)
			run = append(run, b.subs[topic]...)
		}
	}
	b.mu.Unlock()
	if fire {
		for _, fn := range run {
			fn(ctx)
		}
	}
	return changed, nil
}

// listen holds one pooled connection in LISTEN and nudges the poll on each notification.
// A lost connection is retried; the poll keeps working meanwhile.
func (b *Bus) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := b.st.listenOnce(ctx, b.wake)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("change listener lost its connection; retrying", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}
