package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 022. Never edit them: write a new migration instead.

// m022UserCertificate is a client certificate an administrator bound to a person by its
// SHA-256 fingerprint: presented on the mTLS listener it signs them in. The certificate
// itself is kept when it was uploaded (PEM), else only its fingerprint is known.
type m022UserCertificate struct {
	ID             string    `gorm:"primaryKey;size:36"`
	UserID         string    `gorm:"size:36;not null;index:ix_user_certificates_user"`
	User           *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Fingerprint    string    `gorm:"size:64;not null;uniqueIndex:ux_user_certificates_fingerprint"`
	Subject        string    `gorm:"size:2000;not null;default:''"`
	Issuer         string    `gorm:"size:2000;not null;default:''"`
	Serial         string    `gorm:"size:64;not null;default:''"`
	NotBefore      *time.Time
	NotAfter       *time.Time
	PEM            string    `gorm:"column:pem;type:text;not null;default:''"`
	Comment        string    `gorm:"size:500;not null;default:''"`
	CreatedByID    string    `gorm:"size:36;not null;default:''"`
	CreatedByLogin string    `gorm:"size:200;not null;default:''"`
	CreatedAt      time.Time `gorm:"not null"`
}

func (m022UserCertificate) TableName() string { return "user_certificates" }

// m022CertificateSignin holds the certificates bound to people, finds a device's
// certificate by its fingerprint, and marks how each session was signed in ("" for the
// sessions before it: a password).
var m022CertificateSignin = Migration{Version: 22, Name: "certificate sign-in",
	Up: func(tx *gorm.DB, _ string) error {
		if err := tx.Migrator().CreateTable(&m022UserCertificate{}); err != nil {
			return err
		}
		return execAll(tx,
			"CREATE INDEX ix_issuance_certs_fingerprint ON issuance_certificates (fingerprint)",
			"ALTER TABLE sessions ADD COLUMN sign_in_method VARCHAR(20) NOT NULL DEFAULT ''",
		)
	}}
