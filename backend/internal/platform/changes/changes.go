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
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"custos/internal/platform/db"
)

// Channel is the PostgreSQL NOTIFY channel.
const Channel = "custos_changes"

// PollInterval bounds how late a replica may learn of a change when NOTIFY is unavailable.
const PollInterval = 500 * time.Millisecond

type versionRow struct {
	Topic   string `gorm:"primaryKey;size:100"`
	Version int64  `gorm:"not null"`
}

func (versionRow) TableName() string { return "change_versions" }

// Bus publishes changes and runs the handlers subscribed to them.
type Bus struct {
	db   *db.DB
	log  *slog.Logger
	mu   sync.Mutex
	subs map[string][]func(context.Context)
	seen map[string]int64
}

// New returns a bus over d. Call Run to start receiving.
func New(d *db.DB, log *slog.Logger) *Bus {
	return &Bus{db: d, log: log, subs: map[string][]func(context.Context){}, seen: map[string]int64{}}
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
func (b *Bus) Publish(ctx context.Context, topic string) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "topic"}},
		DoUpdates: clause.Assignments(map[string]any{"version": gorm.Expr("change_versions.version + 1")})}).
		Create(&versionRow{Topic: topic, Version: 1}).Error
	if err != nil {
		return err
	}
	if b.db.Dialect == db.Postgres {
		return tx.Exec("SELECT pg_notify(?, ?)", Channel, topic).Error
	}
	return nil
}

// Prime records the current versions so Run fires only for later changes.
func (b *Bus) Prime(ctx context.Context) error {
	_, err := b.poll(ctx, false)
	return err
}

// Run receives changes until ctx ends.
func (b *Bus) Run(ctx context.Context) {
	wake := make(chan struct{}, 1)
	if b.db.Dialect == db.Postgres {
		go b.listen(ctx, wake)
	}
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		if _, err := b.poll(ctx, true); err != nil && ctx.Err() == nil {
			b.log.Warn("change poll", "err", err)
		}
	}
}

// poll reads the counters and, when fire is set, runs the handlers of changed topics.
func (b *Bus) poll(ctx context.Context, fire bool) ([]string, error) {
	var rows []versionRow
	if err := b.db.R.WithContext(ctx).Find(&rows).Error; err != nil {
		return nil, err
	}
	var changed []string
	var run []func(context.Context)
	b.mu.Lock()
	for _, r := range rows {
		if b.seen[r.Topic] != r.Version {
			b.seen[r.Topic] = r.Version
			changed = append(changed, r.Topic)
			run = append(run, b.subs[r.Topic]...)
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

// listen holds one pooled connection in LISTEN and nudges Run on each notification.
// A lost connection is retried; the poll keeps working meanwhile.
func (b *Bus) listen(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		err := b.listenOnce(ctx, wake)
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

func (b *Bus) listenOnce(ctx context.Context, wake chan<- struct{}) error {
	sqlDB, err := b.db.W.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		pc := c.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+Channel); err != nil {
			return err
		}
		defer func() {
			// The connection goes back to the pool: stop listening on it first.
			uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, _ = pc.Exec(uctx, "UNLISTEN "+Channel)
		}()
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	})
}
