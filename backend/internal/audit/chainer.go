package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// Chainer links committed events into the hash chain, one batch at a time, in the
// order they became visible. On PostgreSQL an advisory lock keeps replicas from
// chaining at once.
type Chainer struct {
	db    *db.DB
	store store
	log   *slog.Logger
	kick  chan struct{}
	mu    sync.Mutex
}

// NewChainer makes a chainer.
func NewChainer(d *db.DB, log *slog.Logger) *Chainer {
	return &Chainer{db: d, store: store{db: d}, log: log, kick: make(chan struct{}, 1)}
}

// Kick asks for a pass soon (after a commit that wrote events).
func (c *Chainer) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Job is the chainer's background job: a pass every half second, at once after a commit
// that wrote events (Kick), and a last one at shutdown so nothing is left unchained.
// App adds it first, so it stops last, after every job that may write events.
func (c *Chainer) Job() worker.Job {
	return worker.Job{Name: "audit chain", Every: 500 * time.Millisecond, Wake: c.kick, Run: c.Flush, Final: c.Flush}
}

// Flush chains every committed, unchained event.
func (c *Chainer) Flush(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		n, err := c.pass(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (c *Chainer) pass(ctx context.Context) (int, error) {
	n := 0
	// A pass records no event, so its commit notifies no listener: it never wakes itself.
	err := c.db.Tx(ctx, func(ctx context.Context) error {
		if err := c.store.lockChain(ctx); err != nil {
			return err
		}
		prev, seq, err := c.store.lastLink(ctx)
		if err != nil {
			return err
		}
		batch, err := c.store.unchained(ctx, 500)
		if err != nil {
			return err
		}
		for i := range batch {
			seq++
			s := seq
			e := &batch[i]
			e.Seq, e.PrevHash = &s, prev
			e.Hash = hashOf(prev, e)
			if err := c.store.link(ctx, e); err != nil {
				return err
			}
			prev = e.Hash
		}
		n = len(batch)
		return nil
	})
	return n, err
}
