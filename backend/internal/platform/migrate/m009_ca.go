package migrate

import (
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// Frozen structs of migration 009. Never edit them: write a new migration instead.
//
// m009CARow is one certificate authority: the one Custos made on first start or one an
// administrator imported. Exactly one is active; replaced ones stay so the serials they
// issued can still be answered for.
type m009CARow struct {
	ID          string    `gorm:"primaryKey;size:36"`
	Subject     string    `gorm:"size:1000;not null"`
	Serial      string    `gorm:"size:64;not null"`
	Fingerprint string    `gorm:"size:64;not null;uniqueIndex:ux_cas_fingerprint"` // hex SHA-256 of the DER
	CertPEM     string    `gorm:"type:text;not null"`
	KeySealed   string    `gorm:"type:text;not null"` // PKCS#8 PEM sealed with the application key
	Imported    bool      `gorm:"not null"`
	Active      bool      `gorm:"not null"`
	NotBefore   time.Time `gorm:"not null"`
	NotAfter    time.Time `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
}

func (m009CARow) TableName() string { return "cas" }

// m009IssuedCertificate is the ledger of every certificate a CA signed.
type m009IssuedCertificate struct {
	ID          string     `gorm:"primaryKey;size:36"`
	CAID        string     `gorm:"column:ca_id;size:36;not null;uniqueIndex:ux_ca_certificates_serial,priority:1"`
	CA          *m009CARow `gorm:"foreignKey:CAID;constraint:OnDelete:RESTRICT"`
	Serial      string     `gorm:"size:64;not null;uniqueIndex:ux_ca_certificates_serial,priority:2"` // lower-case hex
	Fingerprint string     `gorm:"size:64;not null;index:ix_ca_certificates_fingerprint"`
	Subject     string     `gorm:"size:1000;not null"`
	Purpose     string     `gorm:"size:20;not null"`
	OwnerID     string     `gorm:"size:36;not null;default:'';index:ix_ca_certificates_owner"`
	NotBefore   time.Time  `gorm:"not null"`
	NotAfter    time.Time  `gorm:"not null"`
	PEM         string     `gorm:"column:pem;type:text;not null"`
	RevokedAt   *time.Time `gorm:"index:ix_ca_certificates_revoked"`
	Reason      *int
	CreatedAt   time.Time `gorm:"not null"`
}

func (m009IssuedCertificate) TableName() string { return "ca_certificates" }

// m009CRL is the current CRL of a CA, so every replica serves the same bytes and numbers.
type m009CRL struct {
	CAID       string     `gorm:"column:ca_id;primaryKey;size:36"`
	CA         *m009CARow `gorm:"foreignKey:CAID;constraint:OnDelete:CASCADE"`
	Number     int64      `gorm:"not null"`
	DER        []byte     `gorm:"column:der;not null"`
	ThisUpdate time.Time  `gorm:"not null"`
	NextUpdate time.Time  `gorm:"not null"`
}

func (m009CRL) TableName() string { return "ca_crls" }

// m009CA holds the certificate authority and the ledger of what it issued (package ca).
var m009CA = Migration{Version: 9, Name: "certificate authority",
	Up: func(tx *gorm.DB, dialect string) error {
		for _, m := range []any{&m009CARow{}, &m009IssuedCertificate{}, &m009CRL{}} {
			if err := tx.Migrator().CreateTable(m); err != nil {
				return err
			}
		}
		// One active CA: two replicas starting at once cannot both make one.
		active := "CREATE UNIQUE INDEX ux_cas_active ON cas (active) WHERE active = 1"
		if dialect == db.Postgres {
			active = "CREATE UNIQUE INDEX ux_cas_active ON cas (active) WHERE active"
		}
		return execAll(tx, active)
	}}
