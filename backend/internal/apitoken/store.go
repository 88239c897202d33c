package apitoken

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// row is the store's shape of a token; the API never sees it.
type row struct {
	ID            string `gorm:"primaryKey"`
	Kind          string
	Name          string
	SearchText    string
	Prefix        string
	PublicID      string
	SecretHash    string
	Scopes        string
	OwnerID       *string
	CreatedByID   *string
	CreatedByName string
	// CreatedByTokenID is the organisation token that created this one, if any.
	CreatedByTokenID *string `gorm:"column:created_by_token_id"`
	ExpiresAt        *time.Time
	RevokedAt        *time.Time
	LastUsedAt       *time.Time
	LastUsedIP       string `gorm:"column:last_used_ip"`
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (row) TableName() string { return "api_tokens" }

func (r *row) scopes() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(r.Scopes), &out)
	return out
}

func encodeScopes(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func status(revokedAt, expiresAt *time.Time, now time.Time) string {
	switch {
	case revokedAt != nil:
		return StatusRevoked
	case expiresAt != nil && !now.Before(*expiresAt):
		return StatusExpired
	}
	return StatusActive
}

func (r *row) toAPI(now time.Time) Token {
	return Token{ID: r.ID, Kind: r.Kind, Name: r.Name, Prefix: r.Prefix, PublicID: r.PublicID, Scopes: r.scopes(),
		Status: status(r.RevokedAt, r.ExpiresAt, now), OwnerID: r.OwnerID, CreatedByID: r.CreatedByID,
		CreatedBy: r.CreatedByName, CreatedByTokenID: r.CreatedByTokenID, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt, LastUsedAt: r.LastUsedAt,
		LastUsedIP: r.LastUsedIP, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Scope says whose tokens an operation sees: the organisation's (Org), or one user's
// own (Personal).
type Scope struct {
	Kind  string
	Owner string // the owner's user id for personal tokens
}

// Org is the scope of the organisation's API tokens.
func Org() Scope { return Scope{Kind: KindAPI} }

// Personal is the scope of one user's personal access tokens.
func Personal(userID string) Scope { return Scope{Kind: KindPersonal, Owner: userID} }

func (sc Scope) where(q *gorm.DB) *gorm.DB {
	q = q.Where("kind = ?", sc.Kind)
	if sc.Kind == KindPersonal {
		q = q.Where("owner_id = ?", sc.Owner)
	}
	return q
}

func (sc Scope) resource() string {
	if sc.Kind == KindPersonal {
		return ResourcePersonal
	}
	return ResourceAPI
}

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) list(ctx context.Context, sc Scope, p list.Params, now time.Time) (list.Page[row], error) {
	custom := map[string]list.Apply{
		"scope": func(q *gorm.DB, v any) *gorm.DB {
			b, _ := json.Marshal(v) // `"users.read"`: the quotes make the match exact
			return q.Where("scopes LIKE ?", "%"+string(b)+"%")
		},
		"status": func(q *gorm.DB, v any) *gorm.DB {
			switch v {
			case StatusRevoked:
				return q.Where("revoked_at IS NOT NULL")
			case StatusExpired:
				return q.Where("revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?", now)
			}
			return q.Where("revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", now)
		},
	}
	base := sc.where(st.db.Read(ctx).Model(&row{}))
	return list.Run[row](base, p, Spec, custom)
}

// get loads one token of the scope (in ctx's transaction, else from the readers);
// lock takes a row lock on PostgreSQL.
func (st store) get(ctx context.Context, sc Scope, id string, lock bool) (row, error) {
	var r row
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("token")
	}
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	if err := sc.where(q.Where("id = ?", id)).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, apperr.NotFound("token")
		}
		return r, err
	}
	return r, nil
}

func (st store) byPublicID(ctx context.Context, publicID string) (row, bool, error) {
	var r row
	err := st.db.Read(ctx).Where("public_id = ?", publicID).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// countLive counts a user's personal tokens that are neither revoked nor expired.
// The caller holds the owner's row lock, so two concurrent creates cannot both pass.
func (st store) countLive(ctx context.Context, owner string, now time.Time) (int64, error) {
	var n int64
	err := st.db.Write(ctx).Model(&row{}).Where("kind = ? AND owner_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
		KindPersonal, owner, now).Count(&n).Error
	return n, err
}

// lockUser serialises the personal-token writes of one user (FOR UPDATE on PostgreSQL;
// SQLite's single writer serialises anyway) and says whether the user exists.
func (st store) lockUser(ctx context.Context, userID string) error {
	var n int64
	err := st.db.LockForUpdate(st.db.Write(ctx)).Table("users").Select("1").Where("id = ?", userID).Limit(1).Scan(&n).Error
	if err == nil && n == 0 {
		return errNoUser
	}
	return err
}

// insert writes a new token.
func (st store) insert(ctx context.Context, r *row) error {
	return st.db.Write(ctx).Create(r).Error
}

// update applies fields to token id if it is still at version; false when it is not.
func (st store) update(ctx context.Context, id string, version int, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&row{}).Where("id = ? AND version = ?", id, version).Updates(fields)
	return res.RowsAffected == 1, res.Error
}

func (st store) delete(ctx context.Context, id string) error {
	return st.db.Write(ctx).Where("id = ?", id).Delete(&row{}).Error
}

// revokePersonal revokes every live personal token of ownerID and says how many.
func (st store) revokePersonal(ctx context.Context, ownerID string, now time.Time) (int64, error) {
	res := st.db.Write(ctx).Model(&row{}).Where("kind = ? AND owner_id = ? AND revoked_at IS NULL", KindPersonal, ownerID).
		Updates(map[string]any{"revoked_at": now, "version": gorm.Expr("version + 1"), "updated_at": now})
	return res.RowsAffected, res.Error
}

// owner is what a personal token's request needs of its owner, read in one query.
type owner struct {
	Login       string
	DisplayName string
	Active      bool
	Groups      []string
}

// owner reads the owner's account and group codes (nil when the user is gone). It runs
// on every request made with a personal token, so a permission the owner loses, by a
// group change or deactivation, is lost by the token at once on every replica.
func (st store) owner(ctx context.Context, userID string) (*owner, error) {
	rows, err := st.db.Read(ctx).Raw(`SELECT u.login, u.display_name, u.active, g.code
		FROM users u LEFT JOIN user_groups ug ON ug.user_id = u.id LEFT JOIN groups g ON g.id = ug.group_id
		WHERE u.id = ?`, userID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var o *owner
	for rows.Next() {
		var login, name string
		var active bool
		var code *string
		if err := rows.Scan(&login, &name, &active, &code); err != nil {
			return nil, err
		}
		if o == nil {
			o = &owner{Login: login, DisplayName: name, Active: active}
		}
		if code != nil {
			o.Groups = append(o.Groups, *code)
		}
	}
	if o != nil {
		sort.Strings(o.Groups)
	}
	return o, rows.Err()
}

// touch writes last-used values gathered in memory, never moving a time backwards
// (another replica may have written a later use).
func (st store) touch(ctx context.Context, uses map[string]use) error {
	return st.db.Tx(ctx, func(ctx context.Context) error {
		tx := st.db.Write(ctx)
		for id, u := range uses {
			err := tx.Model(&row{}).Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, u.At).
				UpdateColumns(map[string]any{"last_used_at": u.At, "last_used_ip": u.IP}).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// expiring answers the first limit organisation tokens, unrevoked, that expire in
// (from, to], soonest first, and how many there are.
func (st store) expiring(ctx context.Context, from, to time.Time, limit int) ([]row, int64, error) {
	q := func() *gorm.DB {
		return st.db.Read(ctx).Model(&row{}).Where("kind = ? AND revoked_at IS NULL AND expires_at > ? AND expires_at <= ?",
			KindAPI, from, to)
	}
	var n int64
	if err := q().Count(&n).Error; err != nil {
		return nil, 0, err
	}
	var out []row
	err := q().Order("expires_at").Limit(limit).Find(&out).Error
	return out, n, err
}
