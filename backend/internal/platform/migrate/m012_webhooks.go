package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 012. Never edit them: write a new migration instead.
type m012Webhook struct {
	ID        string      `gorm:"primaryKey;size:36"`
	SystemID  string      `gorm:"size:36;not null"`
	System    *m010System `gorm:"foreignKey:SystemID;constraint:OnDelete:CASCADE"`
	URL       string      `gorm:"column:url;size:2048;not null"`
	Events    string      `gorm:"type:text;not null;default:'[]'"` // JSON array of event types
	Enabled   bool        `gorm:"not null"`
	Secret    string      `gorm:"type:text;not null"` // sealed with the app key
	Version   int         `gorm:"not null"`
	CreatedAt time.Time   `gorm:"not null"`
	UpdatedAt time.Time   `gorm:"not null"`
}

func (m012Webhook) TableName() string { return "webhooks" }

// m012Delivery is the outbox and the delivery log in one: a row is written in the
// transaction of the change that causes the event, then delivered by the worker.
type m012Delivery struct {
	ID              string       `gorm:"primaryKey;size:36"`
	WebhookID       string       `gorm:"size:36;not null"`
	Webhook         *m012Webhook `gorm:"foreignKey:WebhookID;constraint:OnDelete:CASCADE"`
	SystemID        string       `gorm:"size:36;not null"`
	EventID         string       `gorm:"size:36;not null"`
	EventType       string       `gorm:"size:40;not null"`
	URL             string       `gorm:"column:url;size:2048;not null"`
	Payload         string       `gorm:"type:text;not null"`
	State           string       `gorm:"size:10;not null"` // pending | delivered | failed
	Attempts        int          `gorm:"not null"`
	LastStatus      *int
	LastError       string `gorm:"type:text;not null;default:''"`
	ResponseExcerpt string `gorm:"type:text;not null;default:''"`
	DurationMS      int64  `gorm:"column:duration_ms;not null"`
	NextAttemptAt   *time.Time
	CreatedAt       time.Time `gorm:"not null"`
	UpdatedAt       time.Time `gorm:"not null"`
}

func (m012Delivery) TableName() string { return "webhook_deliveries" }

// m012ExpiryNotice remembers which certificate.expiring warnings were emitted (each once).
type m012ExpiryNotice struct {
	CertificateID string    `gorm:"primaryKey;size:36"`
	Days          int       `gorm:"primaryKey"`
	CreatedAt     time.Time `gorm:"not null"`
}

func (m012ExpiryNotice) TableName() string { return "webhook_expiry_notices" }

// m012Webhooks holds the systems' webhooks, their outbox and delivery log (package webhook).
var m012Webhooks = Migration{Version: 12, Name: "webhooks",
	Up: func(tx *gorm.DB, dialect string) error {
		if err := tx.Migrator().CreateTable(&m012Webhook{}, &m012Delivery{}, &m012ExpiryNotice{}); err != nil {
			return err
		}
		return execAll(tx,
			"CREATE INDEX ix_webhooks_system_created ON webhooks (system_id, created_at, id)",
			"CREATE INDEX ix_webhooks_system_url ON webhooks (system_id, url, id)",
			"CREATE INDEX ix_webhook_deliveries_webhook_created ON webhook_deliveries (webhook_id, created_at, id)",
			// The worker's scan: due pending rows.
			"CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at)")
	}}
