package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 020. Never edit them: write a new migration instead.

// m020Passkey is one of a person's WebAuthn credentials (a passkey): its id and public
// key, the signature counter it last reported, and the name its owner gave it.
type m020Passkey struct {
	ID           string    `gorm:"primaryKey;size:36"`
	UserID       string    `gorm:"size:36;not null;index"`
	User         *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	CredentialID string    `gorm:"size:1400;not null;uniqueIndex"` // base64url
	PublicKey    []byte    `gorm:"not null"`                       // COSE key
	SignCount    int64     `gorm:"not null;default:0"`
	Transports   string    `gorm:"size:200;not null;default:''"` // comma-separated
	AAGUID       string    `gorm:"column:aaguid;size:36;not null;default:''"`
	Data         string    `gorm:"type:text;not null"` // the whole credential record (flags, attestation), JSON
	Name         string    `gorm:"size:100;not null"`
	CreatedAt    time.Time `gorm:"not null"`
	LastUsedAt   *time.Time
}

func (m020Passkey) TableName() string { return "passkeys" }

// m020WebAuthnCeremony is a WebAuthn registration or sign-in waiting for the browser's
// answer: the key is the SHA-256 of the opaque id handed to the browser; data is the
// go-webauthn session (challenge, relying party, allowed credentials).
type m020WebAuthnCeremony struct {
	ID        string    `gorm:"primaryKey;size:64"`
	UserID    string    `gorm:"size:36;not null;default:'';index"` // empty for a passwordless sign-in
	Purpose   string    `gorm:"size:20;not null"`                  // register, second_factor, passwordless
	Data      string    `gorm:"type:text;not null"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

func (m020WebAuthnCeremony) TableName() string { return "webauthn_ceremonies" }

// m020Passkeys holds passkeys (package mfa).
var m020Passkeys = Migration{Version: 20, Name: "passkeys",
	Up: func(tx *gorm.DB, _ string) error {
		return tx.Migrator().CreateTable(&m020Passkey{}, &m020WebAuthnCeremony{})
	}}
