package identity

import (
	"context"
	"encoding/json"
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
)

// settingRow is one installation setting: a JSON value under a key, with a version.
type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	Version   int
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "settings" }

const licenceKey = "licence"

// licenceStore keeps the licence, a setting.
type licenceStore struct{ d *db.DB }

// get returns the licence.
func (st licenceStore) get(ctx context.Context) (Licence, error) {
	var r settingRow
	if err := takeOr(st.d.Read(ctx).Where("key = ?", licenceKey), &r, apperr.NotFound("licence")); err != nil {
		return Licence{}, err
	}
	var l Licence
	if err := json.Unmarshal([]byte(r.Value), &l); err != nil {
		return Licence{}, err
	}
	l.Version = r.Version
	return l, nil
}

// setAccessType writes the access type while the licence is still at version; a
// version that moved meanwhile is a conflict showing before.
func (st licenceStore) setAccessType(ctx context.Context, accessType string, version int, before Licence) error {
	val, _ := json.Marshal(map[string]string{"access_type": accessType})
	res := st.d.Write(ctx).Model(&settingRow{}).Where("key = ? AND version = ?", licenceKey, version).
		Updates(map[string]any{"value": string(val), "version": version + 1, "updated_at": time.Now().UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return apperr.Conflict(before)
	}
	return nil
}
