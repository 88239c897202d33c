package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 015. Never edit them: write a new migration instead.

// m015Device is a hardware device issued to a person (SPEC §8): its type, serial number,
// status and the SKZI accounting of its issuance.
type m015Device struct {
	ID           string          `gorm:"primaryKey;size:36"`
	UserID       string          `gorm:"size:36;not null;index:ix_devices_user"`
	UserLogin    string          `gorm:"size:200;not null"` // kept for the register after the user is gone
	DeviceTypeID string          `gorm:"size:36;not null"`
	DeviceType   *m014DeviceType `gorm:"foreignKey:DeviceTypeID;constraint:OnDelete:RESTRICT"`
	Serial       string          `gorm:"size:64;not null"`
	Label        string          `gorm:"size:200;not null;default:''"`
	Status       string          `gorm:"size:10;not null"`                               // issued | blocked | revoked
	AdminPIN     string          `gorm:"column:admin_pin;type:text;not null;default:''"` // sealed with the app key
	SkziNumber   string          `gorm:"column:skzi_number;size:100;not null;default:''"`
	SkziDate     string          `gorm:"column:skzi_date;size:10;not null;default:''"` // YYYY-MM-DD
	SearchText   string          `gorm:"size:600;not null"`
	IssuedAt     time.Time       `gorm:"not null"`
	RevokedAt    *time.Time
	Version      int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

func (m015Device) TableName() string { return "devices" }

// m015Issuance is one issuance of a device, a row per request, walked through its states
// by the server (draft → smev_check → pending_approval → approved | rejected → writing →
// issued | failed; cancelled).
type m015Issuance struct {
	ID               string          `gorm:"primaryKey;size:36"`
	UserID           string          `gorm:"size:36;not null;index:ix_issuances_user"`
	UserLogin        string          `gorm:"size:200;not null"`
	RequestedByID    string          `gorm:"size:36;not null"`
	RequestedByLogin string          `gorm:"size:200;not null"`
	DeviceTypeID     string          `gorm:"size:36;not null"`
	DeviceType       *m014DeviceType `gorm:"foreignKey:DeviceTypeID;constraint:OnDelete:RESTRICT"`
	TemplateIDs      string          `gorm:"type:text;not null;default:'[]'"` // JSON array
	Policy           string          `gorm:"type:text;not null;default:'{}'"` // JSON: the policy as it was at the request
	State            string          `gorm:"size:20;not null;index:ix_issuances_state"`
	Serial           string          `gorm:"size:64;not null;default:''"`
	DeviceID         *string         `gorm:"size:36"`
	SkziNumber       string          `gorm:"column:skzi_number;size:100;not null;default:''"`
	SkziDate         string          `gorm:"column:skzi_date;size:10;not null;default:''"`
	Smev             string          `gorm:"type:text;not null;default:'{}'"` // JSON: the form sent and the answer
	DecidedByID      string          `gorm:"size:36;not null;default:''"`
	DecidedByLogin   string          `gorm:"size:200;not null;default:''"`
	DecisionComment  string          `gorm:"type:text;not null;default:''"`
	DecidedAt        *time.Time
	Error            string    `gorm:"type:text;not null;default:''"`
	SearchText       string    `gorm:"size:600;not null"`
	Version          int       `gorm:"not null"`
	CreatedAt        time.Time `gorm:"not null"`
	UpdatedAt        time.Time `gorm:"not null"`
}

func (m015Issuance) TableName() string { return "issuances" }

// m015IssuanceCertificate is a certificate the CA signed for an issuance, per template;
// confirmed once the agent read it back from the device.
type m015IssuanceCertificate struct {
	ID          string        `gorm:"primaryKey;size:36"`
	IssuanceID  string        `gorm:"size:36;not null;index:ix_issuance_certs_issuance"`
	Issuance    *m015Issuance `gorm:"foreignKey:IssuanceID;constraint:OnDelete:CASCADE"`
	DeviceID    *string       `gorm:"size:36;index:ix_issuance_certs_device"`
	TemplateID  string        `gorm:"size:36;not null"`
	Serial      string        `gorm:"size:64;not null"`
	Fingerprint string        `gorm:"size:64;not null"`
	Subject     string        `gorm:"size:2000;not null"`
	NotAfter    time.Time     `gorm:"not null"`
	PEM         string        `gorm:"column:pem;type:text;not null"`
	Confirmed   bool          `gorm:"not null"`
	Revoked     bool          `gorm:"not null"`
	CreatedAt   time.Time     `gorm:"not null"`
}

func (m015IssuanceCertificate) TableName() string { return "issuance_certificates" }

// m015IssuanceEvent is one transition: the device's history.
type m015IssuanceEvent struct {
	ID         string        `gorm:"primaryKey;size:36"`
	IssuanceID *string       `gorm:"size:36;index:ix_issuance_events_issuance"` // null for an operator's act on a device
	Issuance   *m015Issuance `gorm:"foreignKey:IssuanceID;constraint:OnDelete:CASCADE"`
	DeviceID   *string       `gorm:"size:36;index:ix_issuance_events_device"`
	FromState  string        `gorm:"size:20;not null"`
	ToState    string        `gorm:"size:20;not null"`
	ActorID    string        `gorm:"size:36;not null"`
	ActorLogin string        `gorm:"size:200;not null"`
	Comment    string        `gorm:"type:text;not null;default:''"`
	At         time.Time     `gorm:"not null"`
}

func (m015IssuanceEvent) TableName() string { return "issuance_events" }

// m015Issuances holds devices and their issuances (package issuance). A serial number is
// issued to one live device at a time: a partial unique index over the devices that are
// not revoked.
var m015Issuances = Migration{Version: 15, Name: "devices and issuances",
	Up: func(tx *gorm.DB, _ string) error {
		if err := tx.Migrator().CreateTable(&m015Device{}, &m015Issuance{}, &m015IssuanceCertificate{}, &m015IssuanceEvent{}); err != nil {
			return err
		}
		return execAll(tx,
			"CREATE UNIQUE INDEX ux_devices_live_serial ON devices (serial) WHERE status <> 'revoked'",
			"CREATE INDEX ix_issuances_created ON issuances (created_at, id)",
		)
	}}
