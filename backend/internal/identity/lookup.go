package identity

import (
	"context"

	"custos/internal/platform/apperr"
)

// Look-ups other features (providers, sign-in) make through the Service instead of
// reading the directory's tables themselves.

// GroupRefsByIDs returns the groups among ids that exist, ordered by code.
func (s *Service) GroupRefsByIDs(ctx context.Context, ids []string) ([]GroupRef, error) {
	return s.groups.refsWhere(ctx, "id", ids)
}

// GroupRefsByCodes returns the groups among codes that exist, ordered by code.
func (s *Service) GroupRefsByCodes(ctx context.Context, codes []string) ([]GroupRef, error) {
	return s.groups.refsWhere(ctx, "code", codes)
}

// GroupRefsOf returns a user's groups as short references.
func (s *Service) GroupRefsOf(ctx context.Context, userID string) ([]GroupRef, error) {
	return s.groups.refsOfUser(ctx, userID)
}

// AttributesByCodes returns the access-schema attributes among codes that exist.
func (s *Service) AttributesByCodes(ctx context.Context, codes []string) ([]Attribute, error) {
	return s.attrs.byCodes(ctx, codes)
}

// UserTypeByCode returns the user type with code.
func (s *Service) UserTypeByCode(ctx context.Context, code string) (UserType, error) {
	id, err := s.userTypes.idOfCode(ctx, code)
	if err != nil {
		return UserType{}, err
	}
	if id == "" {
		return UserType{}, apperr.NotFound("user type")
	}
	return s.GetUserType(ctx, id)
}

// CountUsersBySource counts the users who came through a provider.
func (s *Service) CountUsersBySource(ctx context.Context, providerID string) (int64, error) {
	return s.users.countBySource(ctx, providerID)
}

// TechAdmin returns the id of the built-in tech_admin account ("" if it is missing)
// and whether it has a local password yet; the first start gives it one.
func (s *Service) TechAdmin(ctx context.Context) (id string, passwordSet bool, err error) {
	return s.users.account(ctx, TechAdminLogin)
}
