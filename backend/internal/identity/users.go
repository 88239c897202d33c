package identity

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// UserInput creates a user.
type UserInput struct {
	Login           string         `json:"login"`
	Email           string         `json:"email" validate:"optional"`
	DisplayName     string         `json:"display_name" validate:"optional"`
	UserTypeID      *string        `json:"user_type_id" validate:"optional"`
	Active          *bool          `json:"active" validate:"optional"`
	LDAPPrecheck    bool           `json:"ldap_precheck" validate:"optional"`
	GroupIDs        []string       `json:"group_ids" validate:"optional"`
	ExtraAttributes map[string]any `json:"extra_attributes" validate:"optional"`
	Password        string         `json:"password" validate:"optional"`
} //	@name	UserInput

// UserPatch changes a user; absent fields stay as they are.
type UserPatch struct {
	Version         int             `json:"version"`
	Login           *string         `json:"login" validate:"optional"`
	Email           *string         `json:"email" validate:"optional"`
	DisplayName     *string         `json:"display_name" validate:"optional"`
	UserTypeID      *string         `json:"user_type_id" validate:"optional"`
	ClearUserType   bool            `json:"clear_user_type" validate:"optional"`
	Active          *bool           `json:"active" validate:"optional"`
	LDAPPrecheck    *bool           `json:"ldap_precheck" validate:"optional"`
	GroupIDs        *[]string       `json:"group_ids" validate:"optional"`
	ExtraAttributes *map[string]any `json:"extra_attributes" validate:"optional"`
} //	@name	UserPatch

// UserSpec is the list whitelist of users.
var UserSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"login": {Column: "login"}, "email": {Column: "email"}, "display_name": {Column: "display_name"},
		"active": {Column: "active", Type: list.Bool}, "created_at": {Column: "created_at", Type: list.Time},
		"last_login_at": {Column: "last_login_at", Type: list.Time, Nullable: true},
	},
	Filters: map[string]list.FilterField{
		"active":       {Column: "active", Type: list.Bool},
		"user_type_id": {Column: "user_type_id", Type: list.UUID},
		"group_id":     {Type: list.UUID},
	},
	SearchColumn: "search_text", DefaultSort: "created_at", DefaultOrder: "desc",
}

const maxExtraBytes = 16 << 10

func userSearch(login, email, name string) string { return list.SearchText(login, email, name) }

// normLogin makes logins case-insensitive: they are stored lower-cased.
func normLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkLogin(c *validate.Checks, login string) {
	c.Text("login", login, true, 100)
	if !c.Has("login") && strings.ContainsAny(login, " \t\"'<>()*") {
		c.Add("login", "invalidFormat", "must not contain spaces, quotes, brackets or '*'")
	}
}

func checkExtra(c *validate.Checks, m map[string]any) string {
	if m == nil {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil || len(b) > maxExtraBytes || len(m) > 100 {
		c.Add("extra_attributes", "tooLong", "must be at most 100 keys and 16 KiB")
		return "{}"
	}
	return string(b)
}

// ListUsers lists users with the list conventions.
func (s *Service) ListUsers(ctx context.Context, p list.Params) (list.Page[User], error) {
	custom := map[string]list.Apply{"group_id": func(q *gorm.DB, v any) *gorm.DB {
		return q.Where("id IN (SELECT user_id FROM user_groups WHERE group_id = ?)", v)
	}}
	page, err := list.Run(s.read(ctx).Model(&userRow{}), p, UserSpec, custom, func(r *userRow) (any, string) {
		return userSortValue(r, p.Sort), r.ID
	})
	if err != nil {
		return list.Page[User]{}, err
	}
	ids := make([]string, len(page.Items))
	for i, r := range page.Items {
		ids[i] = r.ID
	}
	groups, err := groupIDsOf(s.read(ctx), ids)
	if err != nil {
		return list.Page[User]{}, err
	}
	return list.Map(page, func(r userRow) User { return r.toAPI(groups[r.ID]) }), nil
}

func userSortValue(r *userRow, sort string) any {
	switch sort {
	case "login":
		return r.Login
	case "email":
		return r.Email
	case "display_name":
		return r.DisplayName
	case "active":
		return r.Active
	default:
		return r.CreatedAt
	}
}

func groupIDsOf(tx *gorm.DB, userIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []userGroupRow
	if err := tx.Where("user_id IN ?", userIDs).Order("group_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.GroupID)
	}
	return out, nil
}

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, id string) (User, error) {
	return s.loadUser(s.read(ctx), id)
}

func (s *Service) loadUser(tx *gorm.DB, id string) (User, error) {
	if _, err := uuid.Parse(id); err != nil {
		return User{}, apperr.NotFound("user")
	}
	var r userRow
	if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return User{}, apperr.NotFound("user")
		}
		return User{}, err
	}
	g, err := groupIDsOf(tx, []string{id})
	if err != nil {
		return User{}, err
	}
	return r.toAPI(g[id]), nil
}

// CreateUser creates a user (with an optional local password).
func (s *Service) CreateUser(ctx context.Context, in UserInput) (User, error) {
	in.Login = normLogin(in.Login)
	var c validate.Checks
	checkLogin(&c, in.Login)
	c.Email("email", in.Email)
	c.Text("display_name", in.DisplayName, false, 200)
	if in.UserTypeID != nil {
		c.UUID("user_type_id", *in.UserTypeID)
	}
	for _, g := range in.GroupIDs {
		c.UUID("group_ids", g)
	}
	if in.Password != "" {
		checkPassword(&c, in.Login, in.Password)
	}
	extra := checkExtra(&c, in.ExtraAttributes)
	if err := c.Err(); err != nil {
		return User{}, err
	}
	hash := ""
	if in.Password != "" {
		var err error
		if hash, err = s.hasher.Hash(ctx, in.Password); err != nil {
			return User{}, err
		}
	}
	active := in.Active == nil || *in.Active
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := userRow{ID: uuid.Must(uuid.NewV7()).String(), Login: in.Login, Email: in.Email, DisplayName: in.DisplayName,
		UserTypeID: emptyToNil(in.UserTypeID), Active: active, LDAPPrecheck: in.LDAPPrecheck, ExtraAttributes: extra, Attributes: "{}",
		PasswordHash: hash, SearchText: userSearch(in.Login, in.Email, in.DisplayName), Version: 1, CreatedAt: now, UpdatedAt: now}
	var out User
	err := s.tx(ctx, func(ctx context.Context) error {
		tx := s.db.Write(ctx)
		if err := s.checkRefs(tx, row.UserTypeID, in.GroupIDs); err != nil {
			return err
		}
		if err := s.checkMemberships(tx, s.callerOf(ctx), "create", "", row.Login, nil, in.GroupIDs); err != nil {
			return err
		}
		if row.Active && row.UserTypeID != nil {
			if err := s.checkQuota(tx, *row.UserTypeID, ""); err != nil {
				return err
			}
		}
		if err := tx.Create(&row).Error; err != nil {
			if db.IsUniqueViolation(err) {
				return apperr.Invalid(apperr.Field("login", "taken", "this login is already used"))
			}
			return err
		}
		if err := setUserGroups(tx, row.ID, in.GroupIDs); err != nil {
			return err
		}
		var err error
		if out, err = s.loadUser(tx, row.ID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "user", ResourceID: row.ID,
			ResourceName: row.Login, After: withPasswordFlag(out, in.Password != "")})
	})
	return out, err
}

// withPasswordFlag adds a redacted password marker to an audit snapshot.
func withPasswordFlag(u User, set bool) map[string]any {
	b, _ := json.Marshal(u)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if set {
		m["password"] = audit.Redacted
	}
	return m
}

func emptyToNil(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}

func checkPassword(c *validate.Checks, login, pw string) { c.Password("password", login, pw) }

// checkRefs verifies that referenced user type and groups exist.
func (s *Service) checkRefs(tx *gorm.DB, typeID *string, groupIDs []string) error {
	var c validate.Checks
	if typeID != nil {
		var n int64
		if err := tx.Model(&userTypeRow{}).Where("id = ?", *typeID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			c.Add("user_type_id", "notFound", "no such user type")
		}
	}
	if len(groupIDs) > 0 {
		uniq := map[string]bool{}
		for _, g := range groupIDs {
			uniq[g] = true
		}
		var n int64
		if err := tx.Model(&groupRow{}).Where("id IN ?", groupIDs).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(uniq) {
			c.Add("group_ids", "notFound", "one or more groups do not exist")
		}
	}
	return c.Err()
}

// checkQuota refuses one more active user of the type when its quota is used up. The
// type's row is locked first (FOR UPDATE on PostgreSQL; SQLite has one writer), so
// concurrent activations are counted one after the other.
func (s *Service) checkQuota(tx *gorm.DB, typeID, exceptUser string) error {
	var t userTypeRow
	if err := s.db.LockForUpdate(tx).Where("id = ?", typeID).Take(&t).Error; err != nil {
		return err
	}
	if t.Quota <= 0 {
		return nil
	}
	var n int64
	q := tx.Model(&userRow{}).Where("user_type_id = ? AND active = ?", typeID, true)
	if exceptUser != "" {
		q = q.Where("id <> ?", exceptUser)
	}
	if err := q.Count(&n).Error; err != nil {
		return err
	}
	if n >= int64(t.Quota) {
		return &apperr.Error{Kind: apperr.KindConflict, Code: "userType.quotaExceeded",
			Message: "The user type " + t.Name + " has no free places (quota " + itoa(t.Quota) + ").",
			Fields:  []apperr.FieldError{apperr.Field("active", "quotaExceeded", "the user type's quota is used up")}}
	}
	return nil
}

func setUserGroups(tx *gorm.DB, userID string, groupIDs []string) error {
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
			return err
		}
	}
	return nil
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
