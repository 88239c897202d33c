package identity

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
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
	return s.users.list(ctx, p)
}

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, id string) (User, error) { return s.users.get(ctx, id) }

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
		if err := s.checkRefs(ctx, row.UserTypeID, in.GroupIDs); err != nil {
			return err
		}
		groups, err := s.withBaseGroups(ctx, in.GroupIDs)
		if err != nil {
			return err
		}
		if err := s.checkMemberships(ctx, s.callerOf(ctx), "create", "", row.Login, nil, groups); err != nil {
			return err
		}
		if row.Active && row.UserTypeID != nil {
			if err := s.checkQuota(ctx, *row.UserTypeID, ""); err != nil {
				return err
			}
		}
		if err := s.users.create(ctx, &row); err != nil {
			return err
		}
		if err := s.users.setGroups(ctx, row.ID, groups); err != nil {
			return err
		}
		if out, err = s.users.get(ctx, row.ID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "user", ResourceID: row.ID,
			ResourceName: row.Login, After: withPasswordFlag(out, in.Password != "")})
	})
	return out, err
}

// withBaseGroups adds the local provider's base groups to the groups an administrator
// chose. The creator must be allowed to hand them out like any other: unlike a first
// sign-in, whoever creates a local account may also set its password.
func (s *Service) withBaseGroups(ctx context.Context, chosen []string) ([]string, error) {
	if s.base == nil {
		return chosen, nil
	}
	base, err := s.base.LocalBaseGroupIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(chosen)
	for _, g := range base {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out, nil
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
func (s *Service) checkRefs(ctx context.Context, typeID *string, groupIDs []string) error {
	var c validate.Checks
	if typeID != nil {
		ok, err := s.userTypes.exists(ctx, *typeID)
		if err != nil {
			return err
		}
		if !ok {
			c.Add("user_type_id", "notFound", "no such user type")
		}
	}
	if len(groupIDs) > 0 {
		uniq := map[string]bool{}
		for _, g := range groupIDs {
			uniq[g] = true
		}
		n, err := s.groups.count(ctx, groupIDs)
		if err != nil {
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
func (s *Service) checkQuota(ctx context.Context, typeID, exceptUser string) error {
	t, err := s.userTypes.lock(ctx, typeID)
	if err != nil {
		return err
	}
	if t.Quota <= 0 {
		return nil
	}
	n, err := s.users.countActiveOfType(ctx, typeID, exceptUser)
	if err != nil {
		return err
	}
	if n >= int64(t.Quota) {
		return &apperr.Error{Kind: apperr.KindConflict, Code: "userType.quotaExceeded",
			Message: "The user type " + t.Name + " has no free places (quota " + itoa(t.Quota) + ").",
			Fields:  []apperr.FieldError{apperr.Field("active", "quotaExceeded", "the user type's quota is used up")}}
	}
	return nil
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
