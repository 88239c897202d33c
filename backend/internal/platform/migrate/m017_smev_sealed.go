package migrate

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"custos/internal/platform/crypto"
)

// Frozen struct of migration 017. Never edit it: write a new migration instead.

// m017Issuance is the part of an issuance this migration reads and writes.
type m017Issuance struct {
	ID   string `gorm:"primaryKey;size:36"`
	Smev string `gorm:"type:text;not null;default:'{}'"`
}

func (m017Issuance) TableName() string { return "issuances" }

type boxKey struct{}

// WithBox gives the migrations that seal data at rest the application key's box.
func WithBox(ctx context.Context, b *crypto.Box) context.Context {
	return context.WithValue(ctx, boxKey{}, b)
}

func boxOf(tx *gorm.DB) *crypto.Box {
	if tx.Statement == nil || tx.Statement.Context == nil {
		return nil
	}
	b, _ := tx.Statement.Context.Value(boxKey{}).(*crypto.Box)
	return b
}

// m017SMEVSealed seals with the application key the SMEV record of every issuance that
// kept one in clear text (the form holds passport data, SNILS, INN). "{}" or empty means
// no check and stays as is; a value already sealed ("v1:…") is left alone.
var m017SMEVSealed = Migration{Version: 17, Name: "seal SMEV records",
	Up: func(tx *gorm.DB, _ string) error {
		var rows []m017Issuance
		if err := tx.Select("id", "smev").Where("smev <> '' AND smev <> '{}' AND smev NOT LIKE 'v1:%'").
			Order("id").Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		box := boxOf(tx)
		if box == nil {
			return errors.New("issuances keep SMEV records in clear text: sealing them needs the application key (migrate.WithBox)")
		}
		for _, r := range rows {
			if strings.TrimSpace(r.Smev) == "{}" {
				continue
			}
			sealed, err := box.Seal(r.Smev)
			if err != nil {
				return err
			}
			if err := tx.Model(&m017Issuance{}).Where("id = ?", r.ID).Update("smev", sealed).Error; err != nil {
				return err
			}
		}
		return nil
	}}
