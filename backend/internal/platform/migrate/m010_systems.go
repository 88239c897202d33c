package migrate

import (
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen structs of migration 010. Never edit them: write a new migration instead.
type m010System struct {
	ID              string     `gorm:"primaryKey;size:36"`
	Name            string     `gorm:"size:200;not null"`
	NameKey         string     `gorm:"size:200;not null;uniqueIndex:ux_systems_name_key"` // lower-cased name: unique
	SearchText      string     `gorm:"size:2300;not null"`
	Description     string     `gorm:"type:text;not null;default:''"`
	Enabled         bool       `gorm:"not null"`
	OwnerGroupID    *string    `gorm:"size:36;index:ix_systems_owner_group"`
	OwnerGroup      *m001Group `gorm:"foreignKey:OwnerGroupID;constraint:OnDelete:SET NULL"`
	AllowedServices string     `gorm:"type:text;not null;default:'[]'"` // JSON array of permission strings
	SettingsTexts   string     `gorm:"type:text;not null;default:'{}'"` // JSON {ru, en}
	Version         int        `gorm:"not null"`
	CreatedAt       time.Time  `gorm:"not null"`
	UpdatedAt       time.Time  `gorm:"not null"`
}

func (m010System) TableName() string { return "systems" }

type m010Certificate struct {
	ID                string      `gorm:"primaryKey;size:36"`
	SystemID          string      `gorm:"size:36;not null"`
	System            *m010System `gorm:"foreignKey:SystemID;constraint:OnDelete:CASCADE"`
	Origin            string      `gorm:"size:10;not null"` // csr | p12 | manual
	Subject           string      `gorm:"type:text;not null"`
	Issuer            string      `gorm:"type:text;not null"`
	Serial            string      `gorm:"size:128;not null;index:ix_system_certificates_serial"`
	FingerprintSHA256 string      `gorm:"column:fingerprint_sha256;size:64;not null;uniqueIndex:ux_system_certificates_fingerprint"`
	KeyAlgorithm      string      `gorm:"size:40;not null"`
	NotBefore         time.Time   `gorm:"not null"`
	NotAfter          time.Time   `gorm:"not null"`
	Enabled           bool        `gorm:"not null"`
	RevokedAt         *time.Time
	RevocationReason  *string   `gorm:"size:40"`
	PEM               string    `gorm:"column:pem;type:text;not null"`
	Version           int       `gorm:"not null"`
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null"`
}

func (m010Certificate) TableName() string { return "system_certificates" }

// m010Systems holds the integrated systems and their certificates (package system).
var m010Systems = Migration{Version: 10, Name: "integrated systems",
	Up: func(tx *gorm.DB, dialect string) error {
		if err := tx.Migrator().CreateTable(&m010System{}, &m010Certificate{}); err != nil {
			return err
		}
		stmts := []string{
			// Keyset paging: every sortable column with the id as tie breaker.
			"CREATE INDEX ix_systems_name ON systems (name, id)",
			"CREATE INDEX ix_systems_enabled ON systems (enabled, id)",
			"CREATE INDEX ix_systems_created ON systems (created_at, id)",
			"CREATE INDEX ix_system_certificates_not_after ON system_certificates (system_id, not_after, id)",
			"CREATE INDEX ix_system_certificates_created ON system_certificates (system_id, created_at, id)",
		}
		if dialect == db.Postgres {
			stmts = append(stmts, "CREATE INDEX ix_systems_search ON systems USING gin (search_text gin_trgm_ops)")
		} else {
			stmts = append(stmts, "CREATE INDEX ix_systems_search ON systems (search_text)")
		}
		return execAll(tx, stmts...)
	}}
