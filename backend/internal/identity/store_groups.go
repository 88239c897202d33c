package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// groupRow is the store's shape of a group (its permissions are casbin's).
type groupRow struct {
	ID                    string `gorm:"primaryKey"`
	Code                  string
	Name                  string
	System                bool
	SecondFactorRequired  bool
	SecondFactorGraceDays int
	SearchText            string
	Version               int
	CreatedAt             time.Time
	UpdatedAt             time.Time
	MemberCount           int64 `gorm:"->;-:migration"`
}

func (groupRow) TableName() string { return "groups" }

const groupCols = "groups.*, (SELECT COUNT(*) FROM user_groups ug WHERE ug.group_id = groups.id) AS member_count"

// groupStore keeps the groups.
type groupStore struct{ d *db.DB }

// list runs a list request over the groups with their member counts.
func (st groupStore) list(ctx context.Context, p list.Params) (list.Page[groupRow], error) {
	return list.Run[groupRow](st.d.Read(ctx).Model(&groupRow{}).Select(groupCols), p, GroupSpec, nil)
}

// get returns the group id with its member count; a malformed id names no group.
func (st groupStore) get(ctx context.Context, id string) (groupRow, error) {
	var r groupRow
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("group")
	}
	err := takeOr(st.d.Read(ctx).Model(&groupRow{}).Select(groupCols).Where("id = ?", id), &r, apperr.NotFound("group"))
	return r, err
}

// idOfCode returns the id of the group with code.
func (st groupStore) idOfCode(ctx context.Context, code string) (string, error) {
	var g groupRow
	err := takeOr(st.d.Read(ctx).Where("code = ?", code), &g, apperr.NotFound("group"))
	return g.ID, err
}

// create inserts row; a taken code is a field error.
func (st groupStore) create(ctx context.Context, row *groupRow) error {
	return createCoded(st.d.Write(ctx), row, "member_count")
}

// update writes code, name and the second-factor policy while the group is still at
// version (see updateCoded).
func (st groupStore) update(ctx context.Context, id string, version int, code, name string, policy map[string]any, before Group) error {
	return updateCoded(st.d.Write(ctx), &groupRow{}, id, version, code, name, policy, before)
}

// delete deletes the group id and its memberships.
func (st groupStore) delete(ctx context.Context, id string) error {
	tx := st.d.Write(ctx)
	if err := tx.Where("group_id = ?", id).Delete(&userGroupRow{}).Error; err != nil {
		return err
	}
	return tx.Where("id = ?", id).Delete(&groupRow{}).Error
}

// count counts the groups among ids.
func (st groupStore) count(ctx context.Context, ids []string) (int64, error) {
	var n int64
	err := st.d.Read(ctx).Model(&groupRow{}).Where("id IN ?", ids).Count(&n).Error
	return n, err
}

// codesOf returns the codes of the groups among ids.
func (st groupStore) codesOf(ctx context.Context, ids []string) ([]string, error) {
	var codes []string
	err := st.d.Read(ctx).Model(&groupRow{}).Where("id IN ?", ids).Pluck("code", &codes).Error
	return codes, err
}

// codesOfUser returns the codes of a user's groups.
func (st groupStore) codesOfUser(ctx context.Context, userID string) ([]string, error) {
	var codes []string
	err := st.d.Read(ctx).Model(&groupRow{}).Joins("JOIN user_groups ug ON ug.group_id = groups.id").
		Where("ug.user_id = ?", userID).Pluck("groups.code", &codes).Error
	return codes, err
}

// codesNamed returns the codes of the groups whose id is among ids or code among codes
// (ids must be well-formed UUIDs).
func (st groupStore) codesNamed(ctx context.Context, ids, codes []string) ([]string, error) {
	var known []string
	err := st.d.Read(ctx).Model(&groupRow{}).Where("id IN ? OR code IN ?", ids, codes).Pluck("code", &known).Error
	return known, err
}

// refsOfUser returns a user's groups as short references, ordered by code.
func (st groupStore) refsOfUser(ctx context.Context, userID string) ([]GroupRef, error) {
	out := []GroupRef{}
	err := st.d.Read(ctx).Model(&groupRow{}).Select("groups.id, groups.code, groups.name").
		Joins("JOIN user_groups ug ON ug.group_id = groups.id").Where("ug.user_id = ?", userID).
		Order("groups.code").Scan(&out).Error
	return out, err
}

// refsWhere returns the groups whose column (id or code) is among values, ordered by code.
func (st groupStore) refsWhere(ctx context.Context, column string, values []string) ([]GroupRef, error) {
	out := []GroupRef{}
	if len(values) == 0 {
		return out, nil
	}
	err := st.d.Read(ctx).Model(&groupRow{}).Select("id, code, name").Where(column+" IN ?", values).Order("code").Scan(&out).Error
	return out, err
}
