package session

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type throttleRow struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

func (throttleRow) TableName() string { return "login_throttle" }

// seedThrottle makes sure the rows of keys exist (a new row starts its window at now).
func (st store) seedThrottle(ctx context.Context, keys []string, now time.Time) error {
	seed := make([]throttleRow, len(keys))
	for i, k := range keys {
		seed[i] = throttleRow{Key: k, WindowStart: now}
	}
	return st.db.Write(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error
}

// lockThrottle reads the rows of keys, locking them in key order (FOR UPDATE on
// PostgreSQL) for the transaction ctx carries.
func (st store) lockThrottle(ctx context.Context, keys []string) ([]throttleRow, error) {
	var rows []throttleRow
	err := st.db.LockForUpdate(st.db.Write(ctx)).Where("key IN ?", keys).Order("key").Find(&rows).Error
	return rows, err
}

// saveThrottle writes r whole.
func (st store) saveThrottle(ctx context.Context, r *throttleRow) error {
	return st.db.Write(ctx).Save(r).Error
}

// markAudited records that the refusals of a key are audited until until; false when
// they already were (its mark has not run out at now).
func (st store) markAudited(ctx context.Context, key string, now, until time.Time) (bool, error) {
	mark := throttleRow{Key: key, WindowStart: now, LockedUntil: &until}
	res := st.db.Write(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"window_start", "locked_until"}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Lt{Column: clause.Column{Table: "login_throttle", Name: "locked_until"}, Value: now}}}}).
		Create(&mark)
	return res.RowsAffected > 0, res.Error
}

// lockOver locks key until until, starting a new count, when it holds at least max
// attempts and is not locked at now.
func (st store) lockOver(ctx context.Context, key string, max int, now, until time.Time) error {
	return st.db.Write(ctx).Model(&throttleRow{}).Where("key = ? AND failures >= ? AND (locked_until IS NULL OR locked_until <= ?)", key, max, now).
		Updates(map[string]any{"locked_until": until, "failures": 0, "window_start": now}).Error
}

// giveBackAttempt takes one attempt off key's count.
func (st store) giveBackAttempt(ctx context.Context, key string) error {
	return st.db.Write(ctx).Model(&throttleRow{}).Where("key = ? AND failures > 0", key).
		UpdateColumn("failures", gorm.Expr("failures - 1")).Error
}

// clearThrottle deletes the rows of keys.
func (st store) clearThrottle(ctx context.Context, keys []string) error {
	return st.db.Write(ctx).Where("key IN ?", keys).Delete(&throttleRow{}).Error
}

// sweepThrottle deletes the rows whose window began before windowSince and that are
// not locked at now.
func (st store) sweepThrottle(ctx context.Context, now, windowSince time.Time) error {
	return st.db.Write(ctx).Where("window_start < ? AND (locked_until IS NULL OR locked_until < ?)", windowSince, now).
		Delete(&throttleRow{}).Error
}
