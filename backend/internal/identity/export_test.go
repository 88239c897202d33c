package identity

import (
	"context"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/db"
)

// Stores lets the external store suite call the stores directly, past the service's
// checks, to see how each turns the database's refusals into our errors.
type Stores struct {
	users     userStore
	userTypes userTypeStore
	licence   licenceStore
}

// NewStores opens the stores over d.
func NewStores(d *db.DB) Stores {
	return Stores{users: userStore{d}, userTypes: userTypeStore{d}, licence: licenceStore{d}}
}

// CreateUser inserts a user with login and user type.
func (s Stores) CreateUser(ctx context.Context, login string, typeID *string) (string, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := userRow{ID: uuid.Must(uuid.NewV7()).String(), Login: login, UserTypeID: typeID, Active: true,
		ExtraAttributes: "{}", Attributes: "{}", SearchText: login, Version: 1, CreatedAt: now, UpdatedAt: now}
	return row.ID, s.users.create(ctx, &row)
}

// CreateUserType inserts a user type with code.
func (s Stores) CreateUserType(ctx context.Context, code string) (string, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := userTypeRow{ID: uuid.Must(uuid.NewV7()).String(), Code: code, Name: code, SearchText: code,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	return row.ID, s.userTypes.create(ctx, &row)
}

// GetUser reads a user.
func (s Stores) GetUser(ctx context.Context, id string) (User, error) { return s.users.get(ctx, id) }

// UpdateUser writes the user id with its next version, guarded by version.
func (s Stores) UpdateUser(ctx context.Context, id string, version int) error {
	row, err := s.users.row(ctx, id)
	if err != nil {
		return err
	}
	row.Version = version + 1
	return s.users.update(ctx, &row, version, User{ID: id})
}

// SetGroups sets the user's memberships.
func (s Stores) SetGroups(ctx context.Context, userID string, groupIDs []string) error {
	return s.users.setGroups(ctx, userID, groupIDs)
}

// DeleteUserType deletes a user type.
func (s Stores) DeleteUserType(ctx context.Context, id string) error {
	return s.userTypes.delete(ctx, id)
}

// SetAccessType writes the licence's access type at version.
func (s Stores) SetAccessType(ctx context.Context, accessType string, version int) error {
	return s.licence.setAccessType(ctx, accessType, version, Licence{})
}
