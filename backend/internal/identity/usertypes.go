package identity

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// UserTypeInput creates a user type.
type UserTypeInput struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Quota int    `json:"quota" validate:"optional"`
} //	@name	UserTypeInput

// UserTypePatch changes a user type.
type UserTypePatch struct {
	Version int     `json:"version"`
	Code    *string `json:"code" validate:"optional"`
	Name    *string `json:"name" validate:"optional"`
	Quota   *int    `json:"quota" validate:"optional"`
} //	@name	UserTypePatch

// UserTypeSpec is the list whitelist of user types.
var UserTypeSpec = list.Spec{
	Sorts: map[string]list.SortField{"code": {Column: "code"}, "name": {Column: "name"},
		"quota": {Column: "quota", Type: list.Int}, "created_at": {Column: "created_at", Type: list.Time}},
	SearchColumn: "search_text", DefaultSort: "code", DefaultOrder: "asc",
}

const userTypeCols = "user_types.*, (SELECT COUNT(*) FROM users u WHERE u.user_type_id = user_types.id AND u.active = ?) AS active_users"

func checkQuotaValue(c *validate.Checks, q int) {
	if q < 0 || q > 100_000_000 {
		c.Add("quota", "outOfRange", "must be from 0 (unlimited) to 100000000")
	}
}

// ListUserTypes lists user types with their active-user counts.
func (s *Service) ListUserTypes(ctx context.Context, p list.Params) (list.Page[UserType], error) {
	page, err := list.Run(s.read(ctx).Model(&userTypeRow{}).Select(userTypeCols, true), p, UserTypeSpec, nil,
		func(r *userTypeRow) (any, string) {
			switch p.Sort {
			case "name":
				return r.Name, r.ID
			case "quota":
				return r.Quota, r.ID
			case "created_at":
				return r.CreatedAt, r.ID
			}
			return r.Code, r.ID
		})
	if err != nil {
		return list.Page[UserType]{}, err
	}
	return list.Map(page, func(r userTypeRow) UserType { return r.toAPI() }), nil
}

// GetUserType returns one user type.
func (s *Service) GetUserType(ctx context.Context, id string) (UserType, error) {
	return s.loadUserType(s.read(ctx), id)
}

func (s *Service) loadUserType(tx *gorm.DB, id string) (UserType, error) {
	if _, err := uuid.Parse(id); err != nil {
		return UserType{}, apperr.NotFound("user type")
	}
	var r userTypeRow
	if err := tx.Model(&userTypeRow{}).Select(userTypeCols, true).Where("id = ?", id).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return UserType{}, apperr.NotFound("user type")
		}
		return UserType{}, err
	}
	return r.toAPI(), nil
}

// CreateUserType creates a user type.
func (s *Service) CreateUserType(ctx context.Context, in UserTypeInput) (UserType, error) {
	var c validate.Checks
	c.Code("code", in.Code, 100)
	c.Text("name", in.Name, true, 200)
	checkQuotaValue(&c, in.Quota)
	if err := c.Err(); err != nil {
		return UserType{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := userTypeRow{ID: uuid.Must(uuid.NewV7()).String(), Code: in.Code, Name: in.Name, Quota: in.Quota,
		SearchText: list.SearchText(in.Code, in.Name), Version: 1, CreatedAt: now, UpdatedAt: now}
	var out UserType
	err := s.tx(ctx, func(ctx context.Context) error {
		tx := s.db.Write(ctx)
		if err := createCoded(tx, &row, "active_users"); err != nil {
			return err
		}
		var err error
		if out, err = s.loadUserType(tx, row.ID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "user_type", ResourceID: row.ID,
			ResourceName: row.Code, After: out})
	})
	return out, err
}

// UpdateUserType changes a user type. Lowering the quota below the active users is allowed
// (existing accounts keep working; new activations are refused), as licences shrink.
func (s *Service) UpdateUserType(ctx context.Context, id string, in UserTypePatch) (UserType, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Code != nil {
		c.Code("code", *in.Code, 100)
	}
	if in.Name != nil {
		c.Text("name", *in.Name, true, 200)
	}
	if in.Quota != nil {
		checkQuotaValue(&c, *in.Quota)
	}
	if err := c.Err(); err != nil {
		return UserType{}, err
	}
	var out UserType
	err := s.tx(ctx, func(ctx context.Context) error {
		tx := s.db.Write(ctx)
		before, err := s.loadUserType(tx, id)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Conflict(before)
		}
		code, name, quota := before.Code, before.Name, before.Quota
		if in.Code != nil {
			code = *in.Code
		}
		if in.Name != nil {
			name = *in.Name
		}
		if in.Quota != nil {
			quota = *in.Quota
		}
		if err := updateCoded(tx, &userTypeRow{}, id, in.Version, code, name, map[string]any{"quota": quota}, before); err != nil {
			return err
		}
		if out, err = s.loadUserType(tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "user_type", ResourceID: id,
			ResourceName: code, Before: before, After: out})
	})
	return out, err
}

// DeleteUserType deletes a user type no user has.
func (s *Service) DeleteUserType(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { tx := s.db.Write(ctx); return s.deleteUserType(ctx, tx, id) })
}

func (s *Service) deleteUserType(ctx context.Context, tx *gorm.DB, id string) error {
	before, err := s.loadUserType(tx, id)
	if err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&userRow{}).Where("user_type_id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.KindUnprocessable, "userType.inUse", "Users of this type exist; move them to another type first.")
	}
	if err := tx.Where("id = ?", id).Delete(&userTypeRow{}).Error; err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "user_type", ResourceID: id,
		ResourceName: before.Code, Before: before})
}

// BulkDeleteUserTypes deletes each id, reporting refusals per id.
func (s *Service) BulkDeleteUserTypes(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, func(ctx context.Context, id string) error {
		tx := s.db.Write(ctx)
		return s.deleteUserType(ctx, tx, id)
	})
}
