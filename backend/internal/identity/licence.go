package identity

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

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
func (s *Service) GetLicence(ctx context.Context) (Licence, error) { return loadLicence(s.read(ctx)) }

func loadLicence(tx *gorm.DB) (Licence, error) {
	var r settingRow
	if err := tx.Where("key = ?", "licence").Take(&r).Error; err != nil {
		return Licence{}, err
	}
	var l Licence
	if err := json.Unmarshal([]byte(r.Value), &l); err != nil {
		return Licence{}, err
	}
	l.Version = r.Version
	return l, nil
}

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
		tx := s.db.Write(ctx)
		before, err := loadLicence(tx)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.Conflict(before)
		}
		val, _ := json.Marshal(map[string]string{"access_type": in.AccessType})
		res := tx.Model(&settingRow{}).Where("key = ? AND version = ?", "licence", in.Version).
			Updates(map[string]any{"value": string(val), "version": in.Version + 1, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.Conflict(before)
		}
		out = Licence{AccessType: in.AccessType, Version: in.Version + 1}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "licence", ResourceID: "",
			ResourceName: "licence", Before: before, After: out})
	})
	return out, err
}
