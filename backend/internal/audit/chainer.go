package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Chainer links committed events into the hash chain, one batch at a time, in the
// order they became visible. On PostgreSQL an advisory lock keeps replicas from
// chaining at once.
type Chainer struct {
	db   *db.DB
	log  *slog.Logger
	kick chan struct{}
	mu   sync.Mutex
}

// NewChainer makes a chainer.
func NewChainer(d *db.DB, log *slog.Logger) *Chainer {
	return &Chainer{db: d, log: log, kick: make(chan struct{}, 1)}
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
	// Its own transaction, not db.Tx: a pass must not notify the audit topic it serves.
	err := c.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if c.db.Dialect == db.Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7212024)").Error; err != nil {
				return err
			}
		}
		var last Event
		prev, seq := "", int64(0)
		err := tx.Where("seq IS NOT NULL").Order("seq DESC").Limit(1).Find(&last).Error
		if err != nil {
			return err
		}
		if last.Seq != nil {
			prev, seq = last.Hash, *last.Seq
		}
		var batch []Event
		if err := tx.Where("seq IS NULL").Order("at, id").Limit(500).Find(&batch).Error; err != nil {
			return err
		}
		for i := range batch {
			seq++
			s := seq
			e := &batch[i]
			e.Seq, e.PrevHash = &s, prev
			e.Hash = hashOf(prev, e)
			if err := tx.Model(&Event{}).Where("id = ?", e.ID).
				Updates(map[string]any{"seq": s, "prev_hash": prev, "hash": e.Hash}).Error; err != nil {
				return err
			}
			prev = e.Hash
		}
		n = len(batch)
		return nil
	})
	return n, err
}

// Verification is the result of walking the chain.
type Verification struct {
	OK       bool   `json:"ok"`
	Checked  int64  `json:"checked"`
	BrokenAt *int64 `json:"broken_at_seq,omitempty"`
} //	@name	AuditVerification

// Verify recomputes every link; the first mismatch is reported.
func Verify(ctx context.Context, tx *gorm.DB) (Verification, error) {
	v := Verification{OK: true}
	prev := ""
	var after int64
	for {
		var batch []Event
		if err := tx.WithContext(ctx).Where("seq > ?", after).Order("seq").Limit(1000).Find(&batch).Error; err != nil {
			return v, err
		}
		if len(batch) == 0 {
			return v, nil
		}
		for i := range batch {
			e := &batch[i]
			if e.PrevHash != prev || hashOf(prev, e) != e.Hash || *e.Seq != v.Checked+1 {
				v.OK, v.BrokenAt = false, e.Seq
				return v, nil
			}
			prev = e.Hash
			v.Checked++
			after = *e.Seq
		}
	}
}
