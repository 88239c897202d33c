package identity

import (
	"context"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// LicenceInput changes the licence.
type LicenceInput struct {
	AccessType string `json:"access_type" enums:"on_premise,cloud"`
	Version    int    `json:"version"`
} //	@name	LicenceInput

// GetLicence returns the licence.
func (s *Service) GetLicence(ctx context.Context) (Licence, error) { return s.licence.get(ctx) }

// SetLicence changes the access type.
func (s *Service) SetLicence(ctx context.Context, in LicenceInput) (Licence, error) {
	var c validate.Checks
	c.OneOf("access_type", in.AccessType, OnPremise, Cloud)
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if err := c.Err(); err != nil {
		return Licence{}, err
	}
	var out Licence
	err := s.tx(ctx, func(ctx context.Context) error {
		before, err := s.licence.get(ctx)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Conflict(before)
		}
		if err := s.licence.setAccessType(ctx, in.AccessType, in.Version, before); err != nil {
			return err
		}
		out = Licence{AccessType: in.AccessType, Version: in.Version + 1}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "licence", ResourceID: "",
			ResourceName: "licence", Before: before, After: out})
	})
	return out, err
}
