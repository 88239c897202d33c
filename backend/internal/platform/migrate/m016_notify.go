package migrate

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 016. Never edit them: write a new migration instead.

// m016SMTPSettings is the one row of the outgoing mail server's settings (id 1).
type m016SMTPSettings struct {
	ID          int       `gorm:"primaryKey;autoIncrement:false"`
	Host        string    `gorm:"size:255;not null;default:''"`
	Port        int       `gorm:"not null"`
	FromAddress string    `gorm:"size:320;not null;default:''"`
	TLSMode     string    `gorm:"column:tls_mode;size:10;not null"` // none | starttls | tls
	Username    string    `gorm:"size:320;not null;default:''"`
	Password    string    `gorm:"type:text;not null;default:''"` // sealed with the app key
	Version     int       `gorm:"not null"`
	UpdatedAt   time.Time `gorm:"not null"`
}

func (m016SMTPSettings) TableName() string { return "smtp_settings" }

// m016MailOutbox is a mail waiting to be sent (and its delivery log): written in the
// transaction of the change that causes it, sent by the worker.
type m016MailOutbox struct {
	ID            string `gorm:"primaryKey;size:36"`
	Kind          string `gorm:"size:40;not null"`
	ToAddress     string `gorm:"size:320;not null"`
	Subject       string `gorm:"size:1000;not null"`
	Body          string `gorm:"type:text;not null"`
	State         string `gorm:"size:10;not null"` // pending | sent | failed
	Attempts      int    `gorm:"not null"`
	LastError     string `gorm:"type:text;not null;default:''"`
	NextAttemptAt *time.Time
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (m016MailOutbox) TableName() string { return "mail_outbox" }

// m016SecretQuestion is one of a person's secret questions; the answer is an argon2id hash.
type m016SecretQuestion struct {
	UserID     string    `gorm:"primaryKey;size:36"`
	User       *m001User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	Position   int       `gorm:"primaryKey;autoIncrement:false"`
	Question   string    `gorm:"size:1000;not null"`
	AnswerHash string    `gorm:"type:text;not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

func (m016SecretQuestion) TableName() string { return "secret_questions" }

// m016Notify holds the mail settings and outbox (package notify) and the secret
// questions (package secretq).
var m016Notify = Migration{Version: 16, Name: "mail and secret questions",
	Up: func(tx *gorm.DB, _ string) error {
		if err := tx.Migrator().CreateTable(&m016SMTPSettings{}, &m016MailOutbox{}, &m016SecretQuestion{}); err != nil {
			return err
		}
		if err := tx.Create(&m016SMTPSettings{ID: 1, Port: 25, TLSMode: "none", Version: 1, UpdatedAt: time.Now().UTC()}).Error; err != nil {
			return err
		}
		// The worker's scan: due pending mails.
		return execAll(tx, "CREATE INDEX ix_mail_outbox_due ON mail_outbox (state, next_attempt_at)")
	}}
