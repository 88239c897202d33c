package device

import (
	"context"
	"time"
)

// templateRow is the store's shape of a certificate template.
type templateRow struct {
	ID           string `gorm:"primaryKey"`
	Name         string
	NameKey      string
	SearchText   string
	Description  string
	KeyAlgorithm string
	ValidityDays int
	Subject      string // JSON []SubjectRDN
	KeyUsages    string // JSON []string
	ExtKeyUsages string `gorm:"column:ext_key_usages"` // JSON []string
	Qualified    bool
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (templateRow) TableName() string { return "certificate_templates" }

func (r *templateRow) toAPI() CertificateTemplate {
	return CertificateTemplate{ID: r.ID, Name: r.Name, Description: r.Description, KeyAlgorithm: r.KeyAlgorithm,
		ValidityDays: r.ValidityDays, Subject: nonNil(decodeJSON[[]SubjectRDN](r.Subject)),
		KeyUsages: nonNil(decodeJSON[[]string](r.KeyUsages)), ExtKeyUsages: nonNil(decodeJSON[[]string](r.ExtKeyUsages)),
		Qualified: r.Qualified, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Ref names a catalogue entry another one points at.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
} //	@name	DeviceCatalogueRef

// policiesUsing lists the policies that allow template id, by priority.
func (st store) policiesUsing(ctx context.Context, id string) ([]Ref, error) {
	var out []Ref
	err := st.db.Write(ctx).Table("device_policies p").Select("p.id, p.name").
		Joins("JOIN device_policy_templates t ON t.policy_id = p.id").Where("t.template_id = ?", id).
		Order("p.priority").Scan(&out).Error
	return out, err
}

// templateRefs returns the templates among ids that exist.
func (st store) templateRefs(ctx context.Context, ids []string) ([]Ref, error) {
	var out []Ref
	if len(ids) == 0 {
		return out, nil
	}
	err := st.db.Read(ctx).Model(&templateRow{}).Select("id, name").Where("id IN ?", ids).Scan(&out).Error
	return out, err
}
