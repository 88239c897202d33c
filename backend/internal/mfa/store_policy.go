package mfa

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// graceRow is when a person's grace to set up a required second factor began.
type graceRow struct {
	UserID    string `gorm:"primaryKey"`
	StartedAt time.Time
}

func (graceRow) TableName() string { return "factor_grace" }

// requiringGroup is one of a person's groups that requires a second factor.
type requiringGroup struct {
	Code      string
	GraceDays int `gorm:"column:second_factor_grace_days"`
}

// requiringGroups reads user id's groups that require a second factor, by code.
func (st store) requiringGroups(ctx context.Context, userID string) ([]requiringGroup, error) {
	var out []requiringGroup
	err := st.db.Read(ctx).Table("groups g").Select("g.code, g.second_factor_grace_days").
		Joins("JOIN user_groups ug ON ug.group_id = g.id").
		Where("ug.user_id = ? AND g.second_factor_required", userID).Order("g.code").Scan(&out).Error
	return out, err
}

// grace reads when user id's grace began; false when it has not.
func (st store) grace(ctx context.Context, userID string) (time.Time, bool, error) {
	var rows []graceRow
	if err := st.db.Read(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return time.Time{}, false, err
	}
	if len(rows) == 0 {
		return time.Time{}, false, nil
	}
	return rows[0].StartedAt.UTC(), true, nil
}

// startGrace records that user id's grace begins at, unless it began already (a
// parallel sign-in): the earlier start stays.
func (st store) startGrace(ctx context.Context, userID string, at time.Time) error {
	return st.db.Write(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&graceRow{UserID: userID, StartedAt: at}).Error
}

// clearGrace forgets when user id's grace began (their factors were reset).
func (st store) clearGrace(ctx context.Context, userID string) error {
	return st.db.Write(ctx).Where("user_id = ?", userID).Delete(&graceRow{}).Error
}
