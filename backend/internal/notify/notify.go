// Package notify sends the server's e-mail: the outgoing SMTP server's settings (kept in
// the database, the password sealed and write-only), mails written from ru/en templates
// in the recipient's language, an outbox drained by a worker job so a mail survives an
// SMTP server that is down, and the one mail that is never queued: a device's random
// user PIN, sent while the request waits and kept nowhere.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// TLS modes of the SMTP connection.
const (
	TLSNone     = "none"
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
)

// Audit resource type of the settings.
const ResourceSettings = "smtp_settings"

// User attributes the mails read (provider-mapped attributes first, then extra ones).
const (
	// AttrLanguage is the language of a person's mails: "en", else Russian.
	AttrLanguage = "language"
	// AttrManagerEmail is the e-mail address of a person's manager.
	AttrManagerEmail = "manager_email"
)

// Outbox states.
const (
	StatePending = "pending"
	StateSent    = "sent"
	StateFailed  = "failed"
)

// Delivery timing of the outbox: a failed attempt is retried FirstRetry later, the wait
// doubling up to MaxRetry, until RetryFor after the mail was queued.
const (
	FirstRetry = 30 * time.Second
	MaxRetry   = time.Hour
	RetryFor   = 24 * time.Hour
)

// Settings are the SMTP settings as answered: the password never, only whether one is set.
type Settings struct {
	Host     string `json:"host"`
	Port     int    `json:"port" example:"587"`
	From     string `json:"from" example:"custos@example.com"`
	TLSMode  string `json:"tls_mode" enums:"none,starttls,tls"`
	Username string `json:"username"`
	// The CA certificate(s), PEM, the server's certificate must chain to
	// (instead of the system roots); empty: the system roots.
	TLSCAPEM    string    `json:"tls_ca_pem"`
	HasPassword bool      `json:"has_password"`
	Configured  bool      `json:"configured"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
} //	@name	SMTPSettings

// SettingsInput replaces the SMTP settings. Password: absent keeps the stored one, ""
// removes it, a value replaces it. An empty host turns mail off.
type SettingsInput struct {
	Version  int     `json:"version"`
	Host     string  `json:"host" validate:"optional"`
	Port     int     `json:"port" validate:"optional" example:"587"`
	From     string  `json:"from" validate:"optional"`
	TLSMode  string  `json:"tls_mode" validate:"optional" enums:"none,starttls,tls"`
	Username string  `json:"username" validate:"optional"`
	Password *string `json:"password" validate:"optional"`
	// PEM CERTIFICATE blocks of the CA(s) to trust instead of the system roots
	// (a private CA); empty or absent: the system roots.
	TLSCAPEM string `json:"tls_ca_pem" validate:"optional"`
} //	@name	SMTPSettingsInput

// TestInput asks for a test mail.
type TestInput struct {
	To string `json:"to"`
} //	@name	SMTPTestInput

// TestResult says where the test mail went.
type TestResult struct {
	To   string `json:"to"`
	Sent bool   `json:"sent"`
} //	@name	SMTPTestResult

// Directory gives the people mails go to.
type Directory interface {
	GetUser(ctx context.Context, id string) (identity.User, error)
}

var (
	errNotConfigured = apperr.New(apperr.KindUnprocessable, "notify.notConfigured",
		"Outgoing mail is not configured: an administrator sets the SMTP server under Settings.")
	errNoRecipient = apperr.New(apperr.KindUnprocessable, "notify.noRecipient",
		"Nobody to send this mail to: the directory has no e-mail address for the user (or their manager, attribute manager_email).")
	errSend = func(cause error) *apperr.Error {
		return apperr.Wrap(apperr.KindUnavailable, "notify.sendFailed", "The SMTP server did not take the mail: "+cleanErr(cause), cause)
	}
)

// Service holds the settings, the outbox and the sending.
type Service struct {
	db    *db.DB
	store store
	box   *crypto.Box
	dir   Directory
	log   *slog.Logger
	now   func() time.Time
	wake  chan struct{}
	// timeout bounds one SMTP conversation.
	timeout time.Duration
}

// NewService wires the service.
func NewService(d *db.DB, box *crypto.Box, dir Directory, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, box: box, dir: dir, log: log, timeout: 30 * time.Second,
		now:  func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		wake: make(chan struct{}, 1)}
}

// SetClock replaces the clock (tests step it past the back-off instead of waiting).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// DeliveryJob sends the due mails of the outbox: every 10 seconds, and at once after a
// commit on this replica queued one.
func (s *Service) DeliveryJob() worker.Job {
	return worker.Job{Name: "mail delivery", Every: 10 * time.Second, Wake: s.wake, Run: s.Deliver}
}

func (s *Service) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// recipient is a person a mail is written for.
type recipient struct {
	Address string
	Lang    string
	Name    string
}

func attr(u identity.User, code string) string {
	for _, m := range []map[string]any{u.Attributes, u.ExtraAttributes} {
		if v, ok := m[code]; ok && v != nil {
			if s := strings.TrimSpace(fmt.Sprint(v)); s != "" {
				return s
			}
		}
	}
	return ""
}

// Language is the language of u's mails (attribute language: "en", else "ru").
func Language(u identity.User) string {
	if strings.HasPrefix(strings.ToLower(attr(u, AttrLanguage)), "en") {
		return "en"
	}
	return "ru"
}

func nameOf(u identity.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Login
}

// cleanErr is an SMTP error as a person may read it: one bounded line.
func cleanErr(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return strings.ToValidUTF8(msg, "?")
}
