package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// userTypeRow is the store's shape of a user type.
type userTypeRow struct {
	ID          string `gorm:"primaryKey"`
	Code        string
	Name        string
	Quota       int
	SearchText  string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ActiveUsers int64 `gorm:"->;-:migration"`
}

func (userTypeRow) TableName() string { return "user_types" }

func (r *userTypeRow) toAPI() UserType {
	return UserType{ID: r.ID, Code: r.Code, Name: r.Name, Quota: r.Quota, ActiveUsers: r.ActiveUsers,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

const userTypeCols = "user_types.*, (SELECT COUNT(*) FROM users u WHERE u.user_type_id = user_types.id AND u.active = ?) AS active_users"

// userTypeStore keeps the user types.
type userTypeStore struct{ d *db.DB }

// list runs a list request over the user types with their active-user counts.
func (st userTypeStore) list(ctx context.Context, p list.Params) (list.Page[UserType], error) {
	page, err := list.Run[userTypeRow](st.d.Read(ctx).Model(&userTypeRow{}).Select(userTypeCols, true), p, UserTypeSpec, nil)
	if err != nil {
		return list.Page[UserType]{}, err
	}
	return list.Map(page, func(r userTypeRow) UserType { return r.toAPI() }), nil
}

// get returns the user type id; a malformed id names none.
func (st userTypeStore) get(ctx context.Context, id string) (UserType, error) {
	if _, err := uuid.Parse(id); err != nil {
		return UserType{}, apperr.NotFound("user type")
	}
	var r userTypeRow
	q := st.d.Read(ctx).Model(&userTypeRow{}).Select(userTypeCols, true).Where("id = ?", id)
	if err := takeOr(q, &r, apperr.NotFound("user type")); err != nil {
		return UserType{}, err
	}
	return r.toAPI(), nil
}

// idOfCode returns the id of the user type with code ("" when there is none).
func (st userTypeStore) idOfCode(ctx context.Context, code string) (string, error) {
	var id string
	err := st.d.Read(ctx).Model(&userTypeRow{}).Where("code = ?", code).Pluck("id", &id).Error
	return id, err
}

// exists reports whether the user type id exists.
func (st userTypeStore) exists(ctx context.Context, id string) (bool, error) {
	var n int64
	err := st.d.Read(ctx).Model(&userTypeRow{}).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// lock returns the user type id, holding its row locked (PostgreSQL) until the
// transaction in ctx ends.
func (st userTypeStore) lock(ctx context.Context, id string) (userTypeRow, error) {
	var t userTypeRow
	err := takeOr(st.d.LockForUpdate(st.d.Write(ctx)).Where("id = ?", id), &t, apperr.NotFound("user type"))
	return t, err
}

// create inserts row; a taken code is a field error.
func (st userTypeStore) create(ctx context.Context, row *userTypeRow) error {
	return createCoded(st.d.Write(ctx), row, "active_users")
}

// update writes code, name and quota while the type is still at version (see updateCoded).
func (st userTypeStore) update(ctx context.Context, id string, version int, code, name string, quota int, before UserType) error {
	return updateCoded(st.d.Write(ctx), &userTypeRow{}, id, version, code, name, map[string]any{"quota": quota}, before)
}

// delete deletes the user type id; users of it (added meanwhile) are errUserTypeInUse.
func (st userTypeStore) delete(ctx context.Context, id string) error {
	err := st.d.Write(ctx).Where("id = ?", id).Delete(&userTypeRow{}).Error
	if isForeignKeyViolation(err) {
		return errUserTypeInUse
	}
	return err
}
