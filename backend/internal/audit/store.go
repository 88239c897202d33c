package audit

import (
	"context"
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// Event is one audit row.
type Event struct {
	ID           string `gorm:"primaryKey"`
	Seq          *int64
	At           time.Time
	ActorType    string
	ActorID      string
	ActorName    string
	IP           string
	RequestID    string
	Action       string
	ResourceType string
	ResourceID   string
	ResourceName string
	Diff         string
	PrevHash     string
	Hash         string
}

// TableName binds Event to its table.
func (Event) TableName() string { return "audit_events" }

// insert writes ev in the transaction ctx carries (db.ErrNoTx without one).
func insert(ctx context.Context, ev *Event) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	return tx.Create(ev).Error
}

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

// lockChain takes the chain's advisory lock for the transaction in ctx (PostgreSQL;
// SQLite's single writer serialises the passes anyway).
func (st store) lockChain(ctx context.Context) error {
	if st.db.Dialect != db.Postgres {
		return nil
	}
	return st.db.Write(ctx).Exec("SELECT pg_advisory_xact_lock(7212024)").Error
}

// lastLink returns the hash and sequence number of the last chained event ("" and 0
// when none is chained yet).
func (st store) lastLink(ctx context.Context) (string, int64, error) {
	var last Event
	if err := st.db.Write(ctx).Where("seq IS NOT NULL").Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return "", 0, err
	}
	if last.Seq == nil {
		return "", 0, nil
	}
	return last.Hash, *last.Seq, nil
}

// unchained returns up to limit committed events without a sequence number, oldest first.
func (st store) unchained(ctx context.Context, limit int) ([]Event, error) {
	var batch []Event
	err := st.db.Write(ctx).Where("seq IS NULL").Order("at, id").Limit(limit).Find(&batch).Error
	return batch, err
}

// link writes e's place in the chain.
func (st store) link(ctx context.Context, e *Event) error {
	return st.db.Write(ctx).Model(&Event{}).Where("id = ?", e.ID).
		Updates(map[string]any{"seq": *e.Seq, "prev_hash": e.PrevHash, "hash": e.Hash}).Error
}

// chained returns up to limit chained events after sequence number after, in order.
func (st store) chained(ctx context.Context, after int64, limit int) ([]Event, error) {
	var batch []Event
	err := st.db.Read(ctx).Where("seq > ?", after).Order("seq").Limit(limit).Find(&batch).Error
	return batch, err
}

// list lists events with the list conventions.
func (st store) list(ctx context.Context, p list.Params) (list.Page[Event], error) {
	custom := map[string]list.Apply{"actor": func(q *gorm.DB, v any) *gorm.DB {
		return q.Where("actor_id = ? OR actor_name = ?", v, v)
	}}
	return list.Run[Event](st.db.Read(ctx).Model(&Event{}), p, Spec, custom)
}
