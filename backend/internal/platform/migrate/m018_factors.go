package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 018. Never edit them: write a new migration instead.

// m018UserFactor is a person's TOTP factor: the secret sealed with the application key,
// pending until a first code confirms it, and the last time step it accepted (no replay).
type m018UserFactor struct {
	UserID      string    `gorm:"primaryKey;size:36"`
	User        *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Kind        string    `gorm:"primaryKey;size:20"` // totp
	Secret      string    `gorm:"type:text;not null"` // sealed with the app key
	Active      bool      `gorm:"not null"`
	LastStep    int64     `gorm:"not null;default:0"`
	CreatedAt   time.Time `gorm:"not null"`
	ConfirmedAt *time.Time
}

func (m018UserFactor) TableName() string { return "user_factors" }

// m018RecoveryCode is one of a person's one-time recovery codes, hashed with argon2id.
type m018RecoveryCode struct {
	ID        string    `gorm:"primaryKey;size:36"`
	UserID    string    `gorm:"size:36;not null;index"`
	User      *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	CodeHash  string    `gorm:"type:text;not null"`
	UsedAt    *time.Time
	CreatedAt time.Time `gorm:"not null"`
}

func (m018RecoveryCode) TableName() string { return "recovery_codes" }

// m018LoginChallenge is a sign-in whose password was right and that waits for its second
// factor: the key is the SHA-256 of the opaque id handed to the browser.
type m018LoginChallenge struct {
	ID         string    `gorm:"primaryKey;size:64"`
	UserID     string    `gorm:"size:36;not null;index"`
	User       *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Login      string    `gorm:"size:200;not null"`
	Provider   string    `gorm:"size:200;not null"`
	RememberMe bool      `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
}

func (m018LoginChallenge) TableName() string { return "login_challenges" }

// m018Factors holds second factors (package mfa).
var m018Factors = Migration{Version: 18, Name: "second factors",
	Up: func(tx *gorm.DB, _ string) error {
		return tx.Migrator().CreateTable(&m018UserFactor{}, &m018RecoveryCode{}, &m018LoginChallenge{})
	}}
