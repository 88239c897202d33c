package system

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// systemRow is the store's shape of a system; the API never sees it.
type systemRow struct {
	ID              string `gorm:"primaryKey"`
	Name            string
	NameKey         string
	SearchText      string
	Description     string
	Enabled         bool
	OwnerGroupID    *string
	AllowedServices string // JSON array
	SettingsTexts   string // JSON object {ru, en}
	ClientEditable  string // JSON array
	ClientMayIssue  bool
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (systemRow) TableName() string { return "systems" }

func (r *systemRow) services() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(r.AllowedServices), &out)
	return out
}

func (r *systemRow) editable() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(r.ClientEditable), &out)
	return out
}

func (r *systemRow) toAPI(certs int64) System {
	var t SettingsTexts
	_ = json.Unmarshal([]byte(r.SettingsTexts), &t)
	return System{ID: r.ID, Name: r.Name, Description: r.Description, Enabled: r.Enabled, OwnerGroupID: r.OwnerGroupID,
		AllowedServices: r.services(), SettingsTexts: t, ClientEditable: r.editable(), ClientMayIssue: r.ClientMayIssue, CertificateCount: certs, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func encodeJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) listSystems(ctx context.Context, p list.Params) (list.Page[systemRow], error) {
	return list.Run[systemRow](st.db.Read(ctx).Model(&systemRow{}), p, Spec, nil)
}

// ownedBy lists the systems whose owner group is one of groupIDs, by name.
func (st store) ownedBy(ctx context.Context, groupIDs []string) ([]systemRow, error) {
	out := []systemRow{}
	if len(groupIDs) == 0 {
		return out, nil
	}
	err := st.db.Read(ctx).Where("owner_group_id IN ?", groupIDs).Order("name_key").Find(&out).Error
	return out, err
}

// certCounts counts the certificates of each system of ids.
func (st store) certCounts(ctx context.Context, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		SystemID string
		N        int64
	}
	err := st.db.Read(ctx).Model(&certRow{}).Select("system_id, COUNT(*) AS n").Where("system_id IN ?", ids).
		Group("system_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.SystemID] = r.N
	}
	return out, err
}

// getSystem loads one system (in ctx's transaction, else from the readers); lock takes
// a row lock on PostgreSQL.
func (st store) getSystem(ctx context.Context, id string, lock bool) (systemRow, error) {
	return db.Get[systemRow](ctx, st.db, id, "system", lock)
}

// nameTaken says whether another system than id is named name (case-insensitive).
func (st store) nameTaken(ctx context.Context, name, id string) (bool, error) {
	var n int64
	err := st.db.Write(ctx).Model(&systemRow{}).Where("name_key = ? AND id <> ?", strings.ToLower(name), id).Count(&n).Error
	return n > 0, err
}

func (st store) insertSystem(ctx context.Context, r *systemRow) error {
	err := st.db.Write(ctx).Create(r).Error
	if db.IsUniqueViolation(err) {
		return errNameTaken
	}
	return err
}

// updateSystem applies fields to system id if it is still at version; false when not.
func (st store) updateSystem(ctx context.Context, id string, version int, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&systemRow{}).Where("id = ? AND version = ?", id, version).Updates(fields)
	if db.IsUniqueViolation(res.Error) {
		return false, errNameTaken
	}
	return res.RowsAffected == 1, res.Error
}

// deleteSystem deletes a system; its certificates go with it (ON DELETE CASCADE).
func (st store) deleteSystem(ctx context.Context, id string) error {
	tx := st.db.Write(ctx)
	if err := tx.Where("system_id = ?", id).Delete(&certRow{}).Error; err != nil {
		return err
	}
	return tx.Where("id = ?", id).Delete(&systemRow{}).Error
}

// caSerials are the serials of the CA-issued, unrevoked certificates of system id.
func (st store) caSerials(ctx context.Context, id string) ([]string, error) {
	var out []string
	err := st.db.Write(ctx).Model(&certRow{}).Where("system_id = ? AND origin <> ? AND revoked_at IS NULL", id, OriginManual).
		Pluck("serial", &out).Error
	return out, err
}
