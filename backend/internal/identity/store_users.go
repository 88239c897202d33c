package identity

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// userRow is the store's shape of a user; the API never sees it.
type userRow struct {
	ID               string `gorm:"primaryKey"`
	Login            string
	Email            string
	DisplayName      string
	UserTypeID       *string
	Active           bool
	LDAPPrecheck     bool `gorm:"column:ldap_precheck"`
	ExtraAttributes  string
	Attributes       string
	SourceProviderID *string
	PasswordHash     string
	LastLoginAt      *time.Time
	SearchText       string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (userRow) TableName() string { return "users" }

func (r *userRow) toAPI(groupIDs []string) User {
	extra, attrs := map[string]any{}, map[string]any{}
	_ = json.Unmarshal([]byte(r.ExtraAttributes), &extra)
	_ = json.Unmarshal([]byte(r.Attributes), &attrs)
	if groupIDs == nil {
		groupIDs = []string{}
	}
	return User{ID: r.ID, Login: r.Login, Email: r.Email, DisplayName: r.DisplayName, UserTypeID: r.UserTypeID,
		Active: r.Active, LDAPPrecheck: r.LDAPPrecheck, GroupIDs: groupIDs, ExtraAttributes: extra, Attributes: attrs,
		SourceProviderID: r.SourceProviderID, LastLoginAt: r.LastLoginAt, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// userGroupRow is one membership.
type userGroupRow struct {
	UserID  string `gorm:"primaryKey"`
	GroupID string `gorm:"primaryKey"`
}

func (userGroupRow) TableName() string { return "user_groups" }

// The answers to a user type or group that went missing between the checks and the
// write (the checks in checkRefs name them the same way).
var (
	errNoSuchUserType = apperr.Invalid(apperr.Field("user_type_id", "notFound", "no such user type"))
	errNoSuchGroups   = apperr.Invalid(apperr.Field("group_ids", "notFound", "one or more groups do not exist"))
)

// errLoginTaken is the answer to a login another user already has (a provisioning
// sign-in that meets it knows a concurrent one created the user first).
var errLoginTaken = apperr.Invalid(apperr.Field("login", "taken", "this login is already used"))

// userStore keeps the users and their memberships.
type userStore struct{ d *db.DB }

// list runs a list request over the users, each with its groups.
func (st userStore) list(ctx context.Context, p list.Params) (list.Page[User], error) {
	custom := map[string]list.Apply{"group_id": func(q *gorm.DB, v any) *gorm.DB {
		return q.Where("id IN (SELECT user_id FROM user_groups WHERE group_id = ?)", v)
	}}
	page, err := list.Run[userRow](st.d.Read(ctx).Model(&userRow{}), p, UserSpec, custom)
	if err != nil {
		return list.Page[User]{}, err
	}
	ids := make([]string, len(page.Items))
	for i, r := range page.Items {
		ids[i] = r.ID
	}
	groups, err := st.groupIDsOf(ctx, ids)
	if err != nil {
		return list.Page[User]{}, err
	}
	return list.Map(page, func(r userRow) User { return r.toAPI(groups[r.ID]) }), nil
}

// groupIDsOf returns the group ids of each user, ordered.
func (st userStore) groupIDsOf(ctx context.Context, userIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []userGroupRow
	if err := st.d.Read(ctx).Where("user_id IN ?", userIDs).Order("group_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.GroupID)
	}
	return out, nil
}

// get returns the user id with its groups; a malformed id names no user.
func (st userStore) get(ctx context.Context, id string) (User, error) {
	if _, err := uuid.Parse(id); err != nil {
		return User{}, apperr.NotFound("user")
	}
	r, err := st.row(ctx, id)
	if err != nil {
		return User{}, err
	}
	g, err := st.groupIDsOf(ctx, []string{id})
	if err != nil {
		return User{}, err
	}
	return r.toAPI(g[id]), nil
}

// row returns the stored row of the user id.
func (st userStore) row(ctx context.Context, id string) (userRow, error) {
	var r userRow
	err := takeOr(st.d.Read(ctx).Where("id = ?", id), &r, apperr.NotFound("user"))
	return r, err
}

// lockByLogin returns the user with login, or nil, holding its row locked (PostgreSQL)
// until the transaction in ctx ends.
func (st userStore) lockByLogin(ctx context.Context, login string) (*User, error) {
	var rows []userRow
	if err := st.d.LockForUpdate(st.d.Write(ctx)).Where("login = ?", login).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	g, err := st.groupIDsOf(ctx, []string{rows[0].ID})
	if err != nil {
		return nil, err
	}
	u := rows[0].toAPI(g[rows[0].ID])
	return &u, nil
}

// create inserts row; a taken login is errLoginTaken, a missing user type errNoSuchUserType.
func (st userStore) create(ctx context.Context, row *userRow) error {
	return loginErr(st.d.Write(ctx).Create(row).Error)
}

// update writes every column of row while the user is still at version; a version
// that moved meanwhile is a conflict showing before.
func (st userStore) update(ctx context.Context, row *userRow, version int, before User) error {
	res := st.d.Write(ctx).Model(&userRow{}).Where("id = ? AND version = ?", row.ID, version).Select("*").Updates(row)
	if err := loginErr(res.Error); err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		return apperr.Conflict(before)
	}
	return nil
}

// overwrite writes every column of row whatever its version (sign-in holds the lock).
func (st userStore) overwrite(ctx context.Context, row *userRow) error {
	return loginErr(st.d.Write(ctx).Model(&userRow{}).Where("id = ?", row.ID).Select("*").Updates(row).Error)
}

// loginErr translates the errors of writing a user's row.
func loginErr(err error) error {
	switch {
	case db.IsUniqueViolation(err):
		return errLoginTaken
	case isForeignKeyViolation(err):
		return errNoSuchUserType
	}
	return err
}

// setGroups makes the user's memberships exactly groupIDs.
func (st userStore) setGroups(ctx context.Context, userID string, groupIDs []string) error {
	tx := st.d.Write(ctx)
	if err := tx.Where("user_id = ?", userID).Delete(&userGroupRow{}).Error; err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, g := range groupIDs {
		if seen[g] {
			continue
		}
		seen[g] = true
		if err := tx.Create(&userGroupRow{UserID: userID, GroupID: g}).Error; err != nil {
			if isForeignKeyViolation(err) {
				return errNoSuchGroups
			}
			return err
		}
	}
	return nil
}

// delete deletes the user id.
func (st userStore) delete(ctx context.Context, id string) error {
	return st.d.Write(ctx).Where("id = ?", id).Delete(&userRow{}).Error
}

// setPassword writes a password hash, bumping the version.
func (st userStore) setPassword(ctx context.Context, id, hash string) error {
	return st.d.Write(ctx).Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{"password_hash": hash,
		"version": gorm.Expr("version + 1"), "updated_at": time.Now().UTC().Truncate(time.Microsecond)}).Error
}

// countOfType counts the users of a user type.
func (st userStore) countOfType(ctx context.Context, typeID string) (int64, error) {
	var n int64
	err := st.d.Read(ctx).Model(&userRow{}).Where("user_type_id = ?", typeID).Count(&n).Error
	return n, err
}

// countActiveOfType counts the active users of a user type, but exceptUser ("" excepts none).
func (st userStore) countActiveOfType(ctx context.Context, typeID, exceptUser string) (int64, error) {
	var n int64
	q := st.d.Read(ctx).Model(&userRow{}).Where("user_type_id = ? AND active = ?", typeID, true)
	if exceptUser != "" {
		q = q.Where("id <> ?", exceptUser)
	}
	err := q.Count(&n).Error
	return n, err
}

// countBySource counts the users who came through a provider.
func (st userStore) countBySource(ctx context.Context, providerID string) (int64, error) {
	var n int64
	err := st.d.Read(ctx).Model(&userRow{}).Where("source_provider_id = ?", providerID).Count(&n).Error
	if db.IsNotFound(err) {
		return 0, nil
	}
	return n, err
}

// account returns the id of the user with login ("" when there is none) and whether
// it has a local password.
func (st userStore) account(ctx context.Context, login string) (id string, passwordSet bool, err error) {
	var rows []userRow
	if err := st.d.Read(ctx).Select("id, password_hash").Where("login = ?", login).Limit(1).Find(&rows).Error; err != nil {
		return "", false, err
	}
	if len(rows) == 0 {
		return "", false, nil
	}
	return rows[0].ID, rows[0].PasswordHash != "", nil
}
