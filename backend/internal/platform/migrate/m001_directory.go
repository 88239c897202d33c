package migrate

import (
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen structs of migration 001. Never edit them: write a new migration instead.
type m001UserType struct {
	ID         string    `gorm:"primaryKey;size:36"`
	Code       string    `gorm:"size:100;not null;uniqueIndex:ux_user_types_code"`
	Name       string    `gorm:"size:200;not null"`
	Quota      int       `gorm:"not null;default:0"`
	SearchText string    `gorm:"size:700;not null"`
	Version    int       `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (m001UserType) TableName() string { return "user_types" }

type m001User struct {
	ID               string        `gorm:"primaryKey;size:36"`
	Login            string        `gorm:"size:200;not null;uniqueIndex:ux_users_login"`
	Email            string        `gorm:"size:320;not null;default:''"`
	DisplayName      string        `gorm:"size:200;not null;default:''"`
	UserTypeID       *string       `gorm:"size:36;index:ix_users_user_type"`
	UserType         *m001UserType `gorm:"foreignKey:UserTypeID;constraint:OnDelete:RESTRICT"`
	Active           bool          `gorm:"not null"`
	LDAPPrecheck     bool          `gorm:"column:ldap_precheck;not null"`
	ExtraAttributes  string        `gorm:"type:text;not null;default:'{}'"`
	SourceProviderID *string       `gorm:"size:36"`
	PasswordHash     string        `gorm:"size:200;not null;default:''"`
	LastLoginAt      *time.Time    `gorm:"index:ix_users_last_login"`
	SearchText       string        `gorm:"size:1000;not null"`
	Version          int           `gorm:"not null"`
	CreatedAt        time.Time     `gorm:"not null"`
	UpdatedAt        time.Time     `gorm:"not null"`
}

func (m001User) TableName() string { return "users" }

type m001Group struct {
	ID         string    `gorm:"primaryKey;size:36"`
	Code       string    `gorm:"size:100;not null;uniqueIndex:ux_groups_code"`
	Name       string    `gorm:"size:200;not null"`
	System     bool      `gorm:"not null"`
	SearchText string    `gorm:"size:700;not null"`
	Version    int       `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (m001Group) TableName() string { return "groups" }

type m001UserGroup struct {
	UserID  string     `gorm:"primaryKey;size:36"`
	GroupID string     `gorm:"primaryKey;size:36;index:ix_user_groups_group"`
	User    *m001User  `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Group   *m001Group `gorm:"foreignKey:GroupID;constraint:OnDelete:CASCADE"`
}

func (m001UserGroup) TableName() string { return "user_groups" }

type m001Attribute struct {
	ID         string    `gorm:"primaryKey;size:36"`
	Code       string    `gorm:"size:100;not null;uniqueIndex:ux_attributes_code"`
	Name       string    `gorm:"size:200;not null"`
	Type       string    `gorm:"size:20;not null"`
	System     bool      `gorm:"not null"`
	SearchText string    `gorm:"size:700;not null"`
	Version    int       `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
	UpdatedAt  time.Time `gorm:"not null"`
}

func (m001Attribute) TableName() string { return "attributes" }

type m001Setting struct {
	Key       string    `gorm:"primaryKey;size:100"`
	Value     string    `gorm:"type:text;not null"`
	Version   int       `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m001Setting) TableName() string { return "settings" }

type m001Session struct {
	ID         string    `gorm:"primaryKey;size:64"` // SHA-256 of the cookie value
	UserID     string    `gorm:"size:36;not null;index:ix_sessions_user"`
	User       *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index:ix_sessions_expires"`
	IP         string    `gorm:"size:64;not null;default:''"`
	UserAgent  string    `gorm:"size:300;not null;default:''"`
}

func (m001Session) TableName() string { return "sessions" }

type m001LoginThrottle struct {
	Key         string    `gorm:"primaryKey;size:300"`
	Failures    int       `gorm:"not null"`
	WindowStart time.Time `gorm:"not null"`
	LockedUntil *time.Time
}

func (m001LoginThrottle) TableName() string { return "login_throttle" }

type m001AuditEvent struct {
	ID           string    `gorm:"primaryKey;size:36"`
	Seq          *int64    `gorm:"uniqueIndex:ux_audit_seq"`
	At           time.Time `gorm:"not null"`
	ActorType    string    `gorm:"size:20;not null"`
	ActorID      string    `gorm:"size:36;not null;default:'';index:ix_audit_actor_id"`
	ActorName    string    `gorm:"size:200;not null;default:''"`
	IP           string    `gorm:"size:64;not null;default:''"`
	RequestID    string    `gorm:"size:64;not null;default:''"`
	Action       string    `gorm:"size:50;not null"`
	ResourceType string    `gorm:"size:50;not null"`
	ResourceID   string    `gorm:"size:36;not null;default:''"`
	ResourceName string    `gorm:"size:300;not null;default:''"`
	Diff         string    `gorm:"type:text;not null;default:'{}'"`
	PrevHash     string    `gorm:"size:64;not null;default:''"`
	Hash         string    `gorm:"size:64;not null;default:''"`
}

func (m001AuditEvent) TableName() string { return "audit_events" }

// m001CasbinRule mirrors the gorm-adapter's table so the adapter finds it ready.
type m001CasbinRule struct {
	ID    uint   `gorm:"primaryKey;autoIncrement"`
	Ptype string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V0    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V1    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V2    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V3    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V4    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
	V5    string `gorm:"size:100;uniqueIndex:idx_casbin_rule"`
}

func (m001CasbinRule) TableName() string { return "casbin_rule" }

var m001Directory = Migration{Version: 1, Name: "directory, sessions, audit, casbin", Up: func(tx *gorm.DB, dialect string) error {
	if err := tx.Migrator().CreateTable(&m001UserType{}, &m001User{}, &m001Group{}, &m001UserGroup{},
		&m001Attribute{}, &m001Setting{}, &m001Session{}, &m001LoginThrottle{}, &m001AuditEvent{}, &m001CasbinRule{}); err != nil {
		return err
	}
	// Every sortable column has an index ending in the id, the tie breaker of keyset paging.
	stmts := []string{
		"CREATE INDEX ix_users_email ON users (email, id)",
		"CREATE INDEX ix_users_display_name ON users (display_name, id)",
		"CREATE INDEX ix_users_active ON users (active, id)",
		"CREATE INDEX ix_users_created ON users (created_at, id)",
		"CREATE INDEX ix_users_login_id ON users (login, id)",
		"CREATE INDEX ix_users_type_login ON users (user_type_id, login, id)",
		"CREATE INDEX ix_groups_name ON groups (name, id)",
		"CREATE INDEX ix_groups_system ON groups (system, id)",
		"CREATE INDEX ix_groups_created ON groups (created_at, id)",
		"CREATE INDEX ix_user_types_name ON user_types (name, id)",
		"CREATE INDEX ix_user_types_quota ON user_types (quota, id)",
		"CREATE INDEX ix_user_types_created ON user_types (created_at, id)",
		"CREATE INDEX ix_attributes_name ON attributes (name, id)",
		"CREATE INDEX ix_attributes_type ON attributes (type, id)",
		"CREATE INDEX ix_attributes_created ON attributes (created_at, id)",
		"CREATE INDEX ix_audit_at ON audit_events (at, id)",
		"CREATE INDEX ix_audit_resource ON audit_events (resource_type, resource_id, at)",
		"CREATE INDEX ix_audit_action ON audit_events (action, at)",
		"CREATE INDEX ix_audit_unchained ON audit_events (seq, at)",
	}
	if dialect == db.Postgres {
		stmts = append(stmts,
			"CREATE EXTENSION IF NOT EXISTS pg_trgm",
			"CREATE INDEX ix_users_search ON users USING gin (search_text gin_trgm_ops)",
			"CREATE INDEX ix_groups_search ON groups USING gin (search_text gin_trgm_ops)",
			"CREATE INDEX ix_user_types_search ON user_types USING gin (search_text gin_trgm_ops)",
			"CREATE INDEX ix_attributes_search ON attributes USING gin (search_text gin_trgm_ops)",
		)
	}
	return execAll(tx, stmts...)
}}
