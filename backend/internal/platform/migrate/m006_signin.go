package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen struct of migration 006. Never edit it: write a new migration instead.
//
// m006SigninFlow is one OpenID Connect authorization-code round trip in progress: the
// state (stored as its SHA-256), the nonce and the PKCE verifier stay on the server,
// bound to the browser that started the flow, and are consumed once.
type m006SigninFlow struct {
	ID          string        `gorm:"primaryKey;size:64"` // hex SHA-256 of the state
	ProviderID  string        `gorm:"size:36;not null;index:ix_signin_flows_provider"`
	Provider    *m003Provider `gorm:"foreignKey:ProviderID;constraint:OnDelete:CASCADE"`
	Nonce       string        `gorm:"size:100;not null"`
	Verifier    string        `gorm:"size:200;not null"` // PKCE code verifier
	BrowserHash string        `gorm:"size:64;not null"`  // hex SHA-256 of the flow cookie
	RedirectURI string        `gorm:"size:2000;not null"`
	Next        string        `gorm:"size:2000;not null;default:''"`
	Silent      bool          `gorm:"not null"`
	CreatedAt   time.Time     `gorm:"not null"`
	ExpiresAt   time.Time     `gorm:"not null;index:ix_signin_flows_expires"`
}

func (m006SigninFlow) TableName() string { return "signin_flows" }

// m006Signin adds the OpenID Connect flow table and the users' mapped access-schema
// attributes (written by sign-in from the provider's schema mapping).
var m006Signin = Migration{Version: 6, Name: "sign-in flows and mapped user attributes",
	Up: func(tx *gorm.DB, _ string) error {
		if err := tx.Migrator().CreateTable(&m006SigninFlow{}); err != nil {
			return err
		}
		return execAll(tx, "ALTER TABLE users ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}'")
	}}
