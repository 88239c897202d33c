package provider

import (
	"context"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// fieldsOf returns the field errors collected in c.
func fieldsOf(c *validate.Checks) []apperr.FieldError {
	if e, ok := apperr.As(c.Err()); ok {
		return e.Fields
	}
	return nil
}

// checkRefs verifies through the directory that what a write refers to exists: the
// user type, the base groups and the mapped access-schema attributes.
func (s *Service) checkRefs(ctx context.Context, next *row, p Patch, mappings []Mapping) error {
	var errs []apperr.FieldError
	if p.UserTypeID != nil && next.UserTypeID != nil {
		if _, err := s.dir.GetUserType(ctx, *next.UserTypeID); err != nil {
			if !apperr.Is(err, "resource.notFound") {
				return err
			}
			errs = append(errs, apperr.Field("user_type_id", "notFound", "no such user type"))
		}
	}
	if p.BaseGroupIDs != nil && len(*p.BaseGroupIDs) > 0 {
		found, err := s.dir.GroupRefsByIDs(ctx, *p.BaseGroupIDs)
		if err != nil {
			return err
		}
		for _, id := range *p.BaseGroupIDs {
			if !slices.ContainsFunc(found, func(g identity.GroupRef) bool { return g.ID == id }) {
				errs = append(errs, apperr.Field("base_group_ids", "notFound", "no such group: "+id))
			}
		}
	}
	if len(mappings) > 0 {
		codes := make([]string, len(mappings))
		for i, m := range mappings {
			codes[i] = m.Attribute
		}
		found, err := s.dir.AttributesByCodes(ctx, codes)
		if err != nil {
			return err
		}
		for i, m := range mappings {
			if !slices.ContainsFunc(found, func(a identity.Attribute) bool { return a.Code == m.Attribute }) {
				errs = append(errs, apperr.Field("mappings."+strconv.Itoa(i)+".attribute", "notFound",
					"no such access-schema attribute: "+m.Attribute))
			}
		}
	}
	return invalid(errs)
}

// checkLicence refuses switching user creation on under a cloud licence. A provider
// that had it on before the licence changed keeps it; sign-in refuses the creation.
func (s *Service) checkLicence(ctx context.Context, base *row, p Patch, creating bool) error {
	if p.AllowUserCreation == nil || !*p.AllowUserCreation || (!creating && base.AllowUserCreation) {
		return nil
	}
	lic, err := s.dir.GetLicence(ctx)
	if err != nil {
		return err
	}
	if lic.AccessType == identity.Cloud {
		return errCreationForbiddenCloud
	}
	return nil
}

func validUUID(s string) bool { _, err := uuid.Parse(s); return err == nil }
