package migrate

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen structs of migration 003. Never edit them: write a new migration instead.
type m003Provider struct {
	ID                 string        `gorm:"primaryKey;size:36"`
	Name               string        `gorm:"size:200;not null"`
	NameKey            string        `gorm:"size:200;not null;uniqueIndex:ux_providers_name_key"` // lower-cased name
	Type               string        `gorm:"size:20;not null"`
	Active             bool          `gorm:"not null"`
	ButtonLabel        string        `gorm:"size:200;not null;default:''"`
	AllowUserCreation  bool          `gorm:"not null"`
	UserTypeID         *string       `gorm:"size:36;index:ix_providers_user_type"`
	UserType           *m001UserType `gorm:"foreignKey:UserTypeID;constraint:OnDelete:SET NULL"`
	Params             string        `gorm:"type:text;not null;default:'{}'"` // JSON of the non-secret parameters
	ClientSecretSealed string        `gorm:"type:text;not null;default:''"`   // crypto.Box, never plain
	BindPasswordSealed string        `gorm:"type:text;not null;default:''"`   // crypto.Box, never plain
	Mappings           string        `gorm:"type:text;not null;default:'[]'"`
	SearchText         string        `gorm:"size:700;not null"`
	Version            int           `gorm:"not null"`
	CreatedAt          time.Time     `gorm:"not null"`
	UpdatedAt          time.Time     `gorm:"not null"`
}

func (m003Provider) TableName() string { return "providers" }

type m003ProviderGroup struct {
	ProviderID string        `gorm:"primaryKey;size:36"`
	GroupID    string        `gorm:"primaryKey;size:36;index:ix_provider_groups_group"`
	Provider   *m003Provider `gorm:"foreignKey:ProviderID;constraint:OnDelete:CASCADE"`
	Group      *m001Group    `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

func (m003ProviderGroup) TableName() string { return "provider_groups" }

var m003Providers = Migration{Version: 3, Name: "providers", Up: func(tx *gorm.DB, dialect string) error {
	if err := tx.Migrator().CreateTable(&m003Provider{}, &m003ProviderGroup{}); err != nil {
		return err
	}
	stmts := []string{
		// Keyset paging: every sortable column with the id as tie breaker.
		"CREATE INDEX ix_providers_name ON providers (name, id)",
		"CREATE INDEX ix_providers_type ON providers (type, id)",
		"CREATE INDEX ix_providers_active ON providers (active, id)",
		"CREATE INDEX ix_providers_created ON providers (created_at, id)",
		"CREATE INDEX ix_providers_type_name ON providers (type, name, id)",
		// SPEC §4.4 as constraints, so concurrent writers cannot both win: one local
		// provider, at most one active provider of each single-instance type.
		"CREATE UNIQUE INDEX ux_providers_single_local ON providers (type) WHERE type = 'local'",
		"CREATE UNIQUE INDEX ux_providers_single_active ON providers (type) WHERE active AND type IN ('oidc_cookie', 'ldap', 'ldap_kerberos')",
		"CREATE INDEX ix_users_source_provider ON users (source_provider_id)",
	}
	if dialect == db.Postgres {
		stmts = append(stmts, "CREATE INDEX ix_providers_search ON providers USING gin (search_text gin_trgm_ops)")
	} else {
		// SQLite cannot index LIKE '%q%', but scanning this narrow index beats scanning
		// the wide rows (params, mappings) to find the matches.
		stmts = append(stmts, "CREATE INDEX ix_providers_search ON providers (search_text)")
	}
	if err := execAll(tx, stmts...); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	local := m003Provider{ID: uuid.Must(uuid.NewV7()).String(), Name: "Custos", NameKey: "custos", Type: "local",
		Active: true, Params: "{}", Mappings: "[]", SearchText: strings.ToLower("Custos"), Version: 1,
		CreatedAt: now, UpdatedAt: now}
	return tx.Omit("UserType").Create(&local).Error
}}
