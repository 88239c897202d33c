package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"custos/internal/platform/db"
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

// Run chains until ctx ends, then does a last pass so nothing is left unchained.
func (c *Chainer) Run(ctx context.Context) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := c.Flush(context.Background()); err != nil {
				c.log.Error("audit chain final pass", "err", err)
			}
			return
		case <-t.C:
		case <-c.kick:
		}
		if err := c.Flush(ctx); err != nil && ctx.Err() == nil {
			c.log.Error("audit chain", "err", err)
		}
	}
}

// Kicks delivers when a transaction that wrote events has committed (Kick): the chain
// job's nudge.
func (c *Chainer) Kicks() <-chan struct{} { return c.kick }

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
