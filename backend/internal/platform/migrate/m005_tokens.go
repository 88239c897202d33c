package migrate

import (
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen struct of migration 005. Never edit it: write a new migration instead.
type m005APIToken struct {
	ID            string    `gorm:"primaryKey;size:36"`
	Kind          string    `gorm:"size:10;not null"` // api | personal
	Name          string    `gorm:"size:200;not null"`
	SearchText    string    `gorm:"size:700;not null"`
	Prefix        string    `gorm:"size:10;not null"`
	PublicID      string    `gorm:"size:24;not null;uniqueIndex:ux_api_tokens_public_id"`
	SecretHash    string    `gorm:"size:64;not null"`                // hex SHA-256(pepper ‖ secret)
	Scopes        string    `gorm:"type:text;not null;default:'[]'"` // JSON array of permission strings
	OwnerID       *string   `gorm:"size:36;index:ix_api_tokens_owner"`
	Owner         *m001User `gorm:"foreignKey:OwnerID;constraint:OnDelete:CASCADE"`
	CreatedByID   *string   `gorm:"size:36;index:ix_api_tokens_created_by"`
	CreatedBy     *m001User `gorm:"foreignKey:CreatedByID;constraint:OnDelete:SET NULL"`
	CreatedByName string    `gorm:"size:300;not null;default:''"`
	ExpiresAt     *time.Time
	RevokedAt     *time.Time
	LastUsedAt    *time.Time
	LastUsedIP    string    `gorm:"size:64;not null;default:''"`
	Version       int       `gorm:"not null"`
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (m005APIToken) TableName() string { return "api_tokens" }

// m005Tokens creates the table of API tokens and personal access tokens.
var m005Tokens = Migration{Version: 5, Name: "api tokens and personal access tokens",
	Up: func(tx *gorm.DB, dialect string) error {
		if err := tx.Migrator().CreateTable(&m005APIToken{}); err != nil {
			return err
		}
		stmts := []string{
			// Keyset paging within a kind: every sortable column with the id as tie breaker.
			"CREATE INDEX ix_api_tokens_name ON api_tokens (kind, name, id)",
			"CREATE INDEX ix_api_tokens_created ON api_tokens (kind, created_at, id)",
			"CREATE INDEX ix_api_tokens_last_used ON api_tokens (kind, last_used_at, id)",
			"CREATE INDEX ix_api_tokens_expires ON api_tokens (kind, expires_at, id)",
		}
		if dialect == db.Postgres {
			stmts = append(stmts, "CREATE INDEX ix_api_tokens_search ON api_tokens USING gin (search_text gin_trgm_ops)")
		} else {
			stmts = append(stmts, "CREATE INDEX ix_api_tokens_search ON api_tokens (search_text)")
		}
		return execAll(tx, stmts...)
	}}
