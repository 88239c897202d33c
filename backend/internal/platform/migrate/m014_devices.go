package migrate

import (
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen structs of migration 014. Never edit them: write a new migration instead.
type m014DeviceType struct {
	ID          string `gorm:"primaryKey;size:36"`
	Name        string `gorm:"size:200;not null"`
	NameKey     string `gorm:"size:200;not null;uniqueIndex:ux_device_types_name_key"` // lower-cased name: unique
	SearchText  string `gorm:"size:2700;not null"`
	Vendor      string `gorm:"size:200;not null;default:''"`
	Model       string `gorm:"size:200;not null;default:''"`
	Description string `gorm:"type:text;not null;default:''"`
	// PinAreas is a JSON array [{code, name, admin_pin, user_pin}]; the PINs are sealed
	// with the app key ("" when the area has no default).
	PinAreas     string    `gorm:"type:text;not null;default:'[]'"`
	PinMinLength int       `gorm:"column:pin_min_length;not null"`
	PinMaxLength int       `gorm:"column:pin_max_length;not null"`
	PinCharset   string    `gorm:"column:pin_charset;size:10;not null"` // digits | alnum | any
	AdminRetries int       `gorm:"not null"`
	UserRetries  int       `gorm:"not null"`
	Version      int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m014DeviceType) TableName() string { return "device_types" }

type m014CertificateTemplate struct {
	ID           string    `gorm:"primaryKey;size:36"`
	Name         string    `gorm:"size:200;not null"`
	NameKey      string    `gorm:"size:200;not null;uniqueIndex:ux_certificate_templates_name_key"`
	SearchText   string    `gorm:"size:2300;not null"`
	Description  string    `gorm:"type:text;not null;default:''"`
	KeyAlgorithm string    `gorm:"size:20;not null"`
	ValidityDays int       `gorm:"not null"`
	Subject      string    `gorm:"type:text;not null;default:'[]'"` // JSON [{attr, value}]
	KeyUsages    string    `gorm:"type:text;not null;default:'[]'"` // JSON array of names
	ExtKeyUsages string    `gorm:"column:ext_key_usages;type:text;not null;default:'[]'"`
	Qualified    bool      `gorm:"not null"`
	Version      int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m014CertificateTemplate) TableName() string { return "certificate_templates" }

type m014DevicePolicy struct {
	ID                       string    `gorm:"primaryKey;size:36"`
	Name                     string    `gorm:"size:200;not null"`
	NameKey                  string    `gorm:"size:200;not null;uniqueIndex:ux_device_policies_name_key"`
	SearchText               string    `gorm:"size:2300;not null"`
	Description              string    `gorm:"type:text;not null;default:''"`
	Priority                 int       `gorm:"not null;uniqueIndex:ux_device_policies_priority"` // lowest wins
	SelfIssuanceAllowed      bool      `gorm:"not null"`
	InitialiseBeforeIssuance bool      `gorm:"not null"`
	RandomPinEnabled         bool      `gorm:"column:random_pin_enabled;not null"`
	RandomPinLength          int       `gorm:"column:random_pin_length;not null"`
	RandomPinShowOnce        bool      `gorm:"column:random_pin_show_once;not null"`
	RandomPinEmailUser       bool      `gorm:"column:random_pin_email_user;not null"`
	RandomPinEmailManager    bool      `gorm:"column:random_pin_email_manager;not null"`
	SecretQuestionsRequired  int       `gorm:"not null"`
	SkziAccounting           bool      `gorm:"column:skzi_accounting;not null"`
	ApprovalRequired         bool      `gorm:"not null"`
	SmevCheck                bool      `gorm:"column:smev_check;not null"`
	SmevFormEditable         bool      `gorm:"column:smev_form_editable;not null"`
	UserMayChooseTemplates   bool      `gorm:"not null"`
	Version                  int       `gorm:"not null"`
	CreatedAt                time.Time `gorm:"not null"`
	UpdatedAt                time.Time `gorm:"not null"`
}

func (m014DevicePolicy) TableName() string { return "device_policies" }

// m014DevicePolicyGroup assigns a policy to a group; deleting the group drops it from
// its policies (CASCADE).
type m014DevicePolicyGroup struct {
	PolicyID string            `gorm:"primaryKey;size:36"`
	GroupID  string            `gorm:"primaryKey;size:36;index:ix_device_policy_groups_group"`
	Policy   *m014DevicePolicy `gorm:"foreignKey:PolicyID;constraint:OnDelete:CASCADE"`
	Group    *m001Group        `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

func (m014DevicePolicyGroup) TableName() string { return "device_policy_groups" }

// m014DevicePolicyTemplate allows a template under a policy; a template in use cannot be
// deleted (RESTRICT backs the service's 409).
type m014DevicePolicyTemplate struct {
	PolicyID   string                   `gorm:"primaryKey;size:36"`
	TemplateID string                   `gorm:"primaryKey;size:36;index:ix_device_policy_templates_template"`
	Policy     *m014DevicePolicy        `gorm:"foreignKey:PolicyID;constraint:OnDelete:CASCADE"`
	Template   *m014CertificateTemplate `gorm:"foreignKey:TemplateID;constraint:OnDelete:RESTRICT"`
}

func (m014DevicePolicyTemplate) TableName() string { return "device_policy_templates" }

// m014Devices holds the device catalogue: device types, certificate templates and usage
// policies with their groups and templates (package device).
var m014Devices = Migration{Version: 14, Name: "device catalogue",
	Up: func(tx *gorm.DB, dialect string) error {
		if err := tx.Migrator().CreateTable(&m014DeviceType{}, &m014CertificateTemplate{}, &m014DevicePolicy{},
			&m014DevicePolicyGroup{}, &m014DevicePolicyTemplate{}); err != nil {
			return err
		}
		stmts := []string{
			// Keyset paging: every sortable column with the id as tie breaker.
			"CREATE INDEX ix_device_types_name ON device_types (name, id)",
			"CREATE INDEX ix_device_types_vendor ON device_types (vendor, id)",
			"CREATE INDEX ix_device_types_created ON device_types (created_at, id)",
			"CREATE INDEX ix_device_types_updated ON device_types (updated_at, id)",
			"CREATE INDEX ix_certificate_templates_name ON certificate_templates (name, id)",
			"CREATE INDEX ix_certificate_templates_algorithm ON certificate_templates (key_algorithm, id)",
			"CREATE INDEX ix_certificate_templates_validity ON certificate_templates (validity_days, id)",
			"CREATE INDEX ix_certificate_templates_created ON certificate_templates (created_at, id)",
			"CREATE INDEX ix_device_policies_name ON device_policies (name, id)",
			"CREATE INDEX ix_device_policies_created ON device_policies (created_at, id)",
		}
		for _, t := range []string{"device_types", "certificate_templates", "device_policies"} {
			if dialect == db.Postgres {
				stmts = append(stmts, "CREATE INDEX ix_"+t+"_search ON "+t+" USING gin (search_text gin_trgm_ops)")
			} else {
				stmts = append(stmts, "CREATE INDEX ix_"+t+"_search ON "+t+" (search_text)")
			}
		}
		return execAll(tx, stmts...)
	}}
