package notify

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
)

type settingsRow struct {
	ID          int `gorm:"primaryKey"`
	Host        string
	Port        int
	FromAddress string
	TLSMode     string `gorm:"column:tls_mode"`
	Username    string
	Password    string // sealed
	TLSCAPEM    string `gorm:"column:tls_ca_pem"`
	Version     int
	UpdatedAt   time.Time
}

func (settingsRow) TableName() string { return "smtp_settings" }

func (r settingsRow) toAPI() Settings {
	return Settings{Host: r.Host, Port: r.Port, From: r.FromAddress, TLSMode: r.TLSMode, Username: r.Username, TLSCAPEM: r.TLSCAPEM,
		HasPassword: r.Password != "", Configured: r.Host != "" && r.FromAddress != "", Version: r.Version, UpdatedAt: r.UpdatedAt}
}

type outboxRow struct {
	ID            string `gorm:"primaryKey"`
	Kind          string
	ToAddress     string
	Subject       string
	Body          string // the language, a newline, the text
	State         string
	Attempts      int
	LastError     string
	NextAttemptAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (outboxRow) TableName() string { return "mail_outbox" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) settings(ctx context.Context, lock bool) (settingsRow, error) {
	var r settingsRow
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	err := q.Where("id = 1").Take(&r).Error
	return r, err
}

func (st store) updateSettings(ctx context.Context, version int, fields map[string]any) error {
	res := st.db.Write(ctx).Model(&settingsRow{}).Where("id = 1 AND version = ?", version).Updates(fields)
	if res.Error == nil && res.RowsAffected == 0 {
		return apperr.Conflict(nil)
	}
	return res.Error
}

func (st store) enqueue(ctx context.Context, r *outboxRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// claim takes up to n due pending mails and leases them until lease (FOR UPDATE SKIP
// LOCKED on PostgreSQL; one writer on SQLite).
func (st store) claim(ctx context.Context, now, lease time.Time, n int) ([]outboxRow, error) {
	var out []outboxRow
	err := st.db.Tx(ctx, func(ctx context.Context) error {
		q := st.db.Write(ctx).Where("state = ? AND next_attempt_at <= ?", StatePending, now).Order("next_attempt_at").Limit(n)
		if st.db.Dialect == db.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&out).Error; err != nil || len(out) == 0 {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ID
		}
		return st.db.Write(ctx).Model(&outboxRow{}).Where("id IN ?", ids).Update("next_attempt_at", lease).Error
	})
	return out, err
}

func (st store) updateMail(ctx context.Context, id string, fields map[string]any) error {
	return st.db.Write(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(fields).Error
}
