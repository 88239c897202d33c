package federation

import (
	"context"
	"time"

	"custos/internal/platform/db"
)

// flowRow is an OpenID Connect round trip in progress (migration 006). The state is
// stored as its hash; the row is consumed (deleted) by the first callback that
// presents it, so a replayed state — or the nonce bound to it — is refused.
type flowRow struct {
	ID          string `gorm:"primaryKey"`
	ProviderID  string
	Nonce       string
	Verifier    string
	BrowserHash string
	RedirectURI string
	Next        string
	Silent      bool
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (flowRow) TableName() string { return "signin_flows" }

// store is the only code touching sign-in's tables.
type store struct{ db *db.DB }

// tx runs fn in a write transaction carried by the context fn receives; every store
// call made with that context (the audit event's included) joins it.
func (s store) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

// dropExpiredFlows deletes the round trips that expired before now.
func (s store) dropExpiredFlows(ctx context.Context, now time.Time) error {
	return s.db.Write(ctx).Where("expires_at < ?", now).Delete(&flowRow{}).Error
}

func (s store) insertFlow(ctx context.Context, f *flowRow) error {
	return s.db.Write(ctx).Create(f).Error
}

// flow returns the round trip with id, or nil. flow and deleteFlow use the writer pool,
// outside any transaction in ctx, so a consumed round trip is gone at once for every
// callback racing this one.
func (s store) flow(ctx context.Context, id string) (*flowRow, error) {
	var rows []flowRow
	if err := s.db.W.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// deleteFlow deletes the round trip with id and reports whether this call deleted it.
func (s store) deleteFlow(ctx context.Context, id string) (bool, error) {
	res := s.db.W.WithContext(ctx).Where("id = ?", id).Delete(&flowRow{})
	return res.RowsAffected == 1, res.Error
}
