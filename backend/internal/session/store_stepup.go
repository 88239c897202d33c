package session

import (
	"context"
	"time"
)

// factorAt reads when session id last proved a second factor (nil: never, or no such session).
func (st store) factorAt(ctx context.Context, id string) (*time.Time, error) {
	var rows []struct{ FactorAt *time.Time }
	err := st.db.Read(ctx).Table("sessions").Select("factor_at").Where("id = ?", id).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[0].FactorAt, nil
}

// setFactorAt records that session id proved a second factor at at.
func (st store) setFactorAt(ctx context.Context, id string, at time.Time) error {
	return st.db.Write(ctx).Table("sessions").Where("id = ?", id).Update("factor_at", at).Error
}
