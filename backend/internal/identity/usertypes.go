package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
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

var errUserTypeInUse = apperr.New(apperr.KindUnprocessable, "userType.inUse", "Users of this type exist; move them to another type first.")

// UserTypeSpec is the list whitelist of user types.
var UserTypeSpec = list.Spec{
	Sorts: map[string]list.SortField{"code": {Column: "code"}, "name": {Column: "name"},
		"quota": {Column: "quota", Type: list.Int}, "created_at": {Column: "created_at", Type: list.Time}},
	SearchColumn: "search_text", DefaultSort: "code", DefaultOrder: "asc",
}

func checkQuotaValue(c *validate.Checks, q int) {
	if q < 0 || q > 100_000_000 {
		c.Add("quota", "outOfRange", "must be from 0 (unlimited) to 100000000")
	}
}

// ListUserTypes lists user types with their active-user counts.
func (s *Service) ListUserTypes(ctx context.Context, p list.Params) (list.Page[UserType], error) {
	return s.userTypes.list(ctx, p)
}

// GetUserType returns one user type.
func (s *Service) GetUserType(ctx context.Context, id string) (UserType, error) {
	return s.userTypes.get(ctx, id)
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
		if err := s.userTypes.create(ctx, &row); err != nil {
			return err
		}
		var err error
		if out, err = s.userTypes.get(ctx, row.ID); err != nil {
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
		before, err := s.userTypes.get(ctx, id)
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
		if err := s.userTypes.update(ctx, id, in.Version, code, name, quota, before); err != nil {
			return err
		}
		if out, err = s.userTypes.get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "user_type", ResourceID: id,
			ResourceName: code, Before: before, After: out})
	})
	return out, err
}

// DeleteUserType deletes a user type no user has.
func (s *Service) DeleteUserType(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteUserType(ctx, id) })
}

func (s *Service) deleteUserType(ctx context.Context, id string) error {
	before, err := s.userTypes.get(ctx, id)
	if err != nil {
		return err
	}
	n, err := s.users.countOfType(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return errUserTypeInUse
	}
	if err := s.userTypes.delete(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "user_type", ResourceID: id,
		ResourceName: before.Code, Before: before})
}

// BulkDeleteUserTypes deletes each id, reporting refusals per id.
func (s *Service) BulkDeleteUserTypes(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteUserType)
}
