package stats

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"custos/internal/platform/db"
)

// statRow is one cell of request_stats.
type statRow struct {
	CredentialID   string `gorm:"primaryKey"`
	Day            string `gorm:"primaryKey"`
	Status         int    `gorm:"primaryKey"`
	CredentialType string
	SystemID       string
	Count          int64
}

func (statRow) TableName() string { return "request_stats" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

// batchSize keeps one INSERT under the bind-parameter limits of both databases.
const batchSize = 500

// add adds a batch of counts in one transaction: INSERT … ON CONFLICT DO UPDATE SET
// count = count + excluded.count, so concurrent flushes of several replicas sum.
func (st store) add(ctx context.Context, batch map[key]int64) error {
	rows := make([]statRow, 0, len(batch))
	for k, n := range batch {
		rows = append(rows, statRow{CredentialID: k.Credential, Day: k.Day, Status: k.Status,
			CredentialType: k.Type, SystemID: k.System, Count: n})
	}
	return st.db.Tx(ctx, func(ctx context.Context) error {
		return st.db.Write(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "credential_id"}, {Name: "day"}, {Name: "status"}},
			DoUpdates: clause.Set{{Column: clause.Column{Name: "count"}, Value: gorm.Expr("request_stats.count + excluded.count")}},
		}).CreateInBatches(rows, batchSize).Error
	})
}

// query sums the rows of q grouped by the columns of its grouping.
func (st store) query(ctx context.Context, q Query) ([]Row, error) {
	tx := st.db.Read(ctx).Model(&statRow{}).
		Where("day >= ? AND day <= ?", q.From.Format(DayLayout), q.To.Format(DayLayout))
	switch {
	case q.All:
	case q.SystemID != "":
		tx = tx.Where("system_id = ?", q.SystemID)
	default:
		tx = tx.Where("credential_id = ?", q.CredentialID)
	}
	var cols string
	switch q.GroupBy {
	case GroupDay:
		cols = "day"
	case GroupStatus:
		cols = "status"
	case GroupCredential:
		cols = "credential_id, credential_type"
	default:
		cols = "day, status"
	}
	var out []Row
	err := tx.Select(cols + ", CAST(SUM(count) AS BIGINT) AS count").Group(cols).Order(cols).Scan(&out).Error
	return out, err
}

// prune deletes the rows of days before the cutoff.
func (st store) prune(ctx context.Context, before time.Time) (int64, error) {
	res := st.db.Write(ctx).Where("day < ?", before.Format(DayLayout)).Delete(&statRow{})
	return res.RowsAffected, res.Error
}
