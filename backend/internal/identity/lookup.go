package identity

import (
	"context"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
)

// Look-ups other features (providers, sign-in) make through the Service instead of
// reading the directory's tables themselves.

// GroupRefsByIDs returns the groups among ids that exist, ordered by code.
func (s *Service) GroupRefsByIDs(ctx context.Context, ids []string) ([]GroupRef, error) {
	out := []GroupRef{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.read(ctx).Model(&groupRow{}).Select("id, code, name").Where("id IN ?", ids).Order("code").Scan(&out).Error
	return out, err
}

// GroupRefsByCodes returns the groups among codes that exist, ordered by code.
func (s *Service) GroupRefsByCodes(ctx context.Context, codes []string) ([]GroupRef, error) {
	out := []GroupRef{}
	if len(codes) == 0 {
		return out, nil
	}
	err := s.read(ctx).Model(&groupRow{}).Select("id, code, name").Where("code IN ?", codes).Order("code").Scan(&out).Error
	return out, err
}

// AttributesByCodes returns the access-schema attributes among codes that exist.
func (s *Service) AttributesByCodes(ctx context.Context, codes []string) ([]Attribute, error) {
	out := []Attribute{}
	if len(codes) == 0 {
		return out, nil
	}
	var rows []attributeRow
	if err := s.read(ctx).Where("code IN ?", codes).Order("code").Find(&rows).Error; err != nil {
		return nil, err
	}
	for i := range rows {
		out = append(out, rows[i].toAPI())
	}
	return out, nil
}

// UserTypeByCode returns the user type with code.
func (s *Service) UserTypeByCode(ctx context.Context, code string) (UserType, error) {
	var id string
	if err := s.read(ctx).Model(&userTypeRow{}).Where("code = ?", code).Pluck("id", &id).Error; err != nil {
		return UserType{}, err
	}
	if id == "" {
		return UserType{}, apperr.NotFound("user type")
	}
	return s.GetUserType(ctx, id)
}

// CountUsersBySource counts the users who came through a provider.
func (s *Service) CountUsersBySource(ctx context.Context, providerID string) (int64, error) {
	var n int64
	err := s.read(ctx).Model(&userRow{}).Where("source_provider_id = ?", providerID).Count(&n).Error
	if db.IsNotFound(err) {
		return 0, nil
	}
	return n, err
}
