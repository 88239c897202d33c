// Package webhook holds the integrated systems' webhooks: their subscriptions, the
// outbox of events (a delivery row written in the transaction of the change that causes
// it), the worker that delivers them signed with HMAC-SHA256 and retries with back-off,
// the delivery log, and the guard that keeps deliveries off internal addresses.
package webhook

import (
	"time"

	"custos/internal/platform/list"
)

// Event types.
const (
	CertificateExpiring   = "certificate.expiring"
	CertificateRevoked    = "certificate.revoked"
	CertificateDisabled   = "certificate.disabled"
	SystemDisabled        = "system.disabled"
	SystemSettingsChanged = "system.settings_changed"
	// Test is the event POST …/test sends; it is not subscribed to.
	Test = "webhook.test"
)

// Events are the types a webhook may subscribe to.
var Events = []string{CertificateExpiring, CertificateRevoked, CertificateDisabled, SystemDisabled, SystemSettingsChanged}

// Delivery states.
const (
	StatePending   = "pending"
	StateDelivered = "delivered"
	StateFailed    = "failed"
)

// Audit resource type.
const ResourceWebhook = "webhook"

// Delivery timing: the first retry after FirstRetry, doubling up to MaxRetry, until
// RetryFor after the event; then the delivery is failed.
const (
	FirstRetry = 30 * time.Second
	MaxRetry   = time.Hour
	RetryFor   = 24 * time.Hour
	// ExcerptMax is how much of a receiver's answer is read and kept.
	ExcerptMax = 1024
	// ReplayWindow is how far a receiver should accept X-Custos-Timestamp from its clock.
	ReplayWindow = 5 * time.Minute
	maxURL       = 2048
)

// ExpiryDays are the days before a certificate's end when certificate.expiring is sent.
var ExpiryDays = []int{30, 7, 1}

// Webhook is the API shape of a webhook (never its secret after creation).
type Webhook struct {
	ID        string    `json:"id"`
	SystemID  string    `json:"system_id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Enabled   bool      `json:"enabled"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
} //	@name	Webhook

// WithSecret is a webhook with its signing secret: answered at creation and rotation only.
type WithSecret struct {
	Webhook
	// Secret is the HMAC-SHA256 key of X-Custos-Signature: shown this once.
	Secret string `json:"secret"`
} //	@name	WebhookWithSecret

// Input creates a webhook.
type Input struct {
	URL     string   `json:"url"`
	Events  []string `json:"events"`
	Enabled *bool    `json:"enabled" validate:"optional"`
} //	@name	WebhookInput

// Patch changes a webhook; absent fields stay.
type Patch struct {
	Version int       `json:"version"`
	URL     *string   `json:"url" validate:"optional"`
	Events  *[]string `json:"events" validate:"optional"`
	Enabled *bool     `json:"enabled" validate:"optional"`
} //	@name	WebhookPatch

// Delivery is one event sent (or to be sent) to one webhook, with its last attempt.
type Delivery struct {
	ID              string     `json:"id"`
	WebhookID       string     `json:"webhook_id"`
	EventID         string     `json:"event_id"`
	Event           string     `json:"event"`
	URL             string     `json:"url"`
	State           string     `json:"state" enums:"pending,delivered,failed"`
	Attempts        int        `json:"attempts"`
	LastStatus      *int       `json:"last_status" extensions:"x-nullable"`
	LastError       string     `json:"last_error"`
	ResponseExcerpt string     `json:"response_excerpt"`
	DurationMS      int64      `json:"duration_ms"`
	NextAttemptAt   *time.Time `json:"next_attempt_at" extensions:"x-nullable"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
} //	@name	WebhookDelivery

// Body is the JSON a receiver gets.
type Body struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	SystemID  string    `json:"system_id"`
	Data      any       `json:"data"`
}

// Spec is the list whitelist of a system's webhooks.
var Spec = list.Spec{
	Sorts: map[string]list.SortField{
		"created_at": {Column: "created_at", Type: list.Time},
		"url":        {Column: "url"},
	},
	Filters: map[string]list.FilterField{
		"enabled": {Column: "enabled", Type: list.Bool},
	},
	DefaultSort: "created_at", DefaultOrder: "desc",
}

// DeliverySpec is the list whitelist of a webhook's deliveries.
var DeliverySpec = list.Spec{
	Sorts: map[string]list.SortField{
		"created_at": {Column: "created_at", Type: list.Time},
	},
	Filters: map[string]list.FilterField{
		"state": {Column: "state", Type: list.Enum, Values: []string{StatePending, StateDelivered, StateFailed}},
		"event": {Column: "event_type", Type: list.Enum, Values: append([]string{Test}, Events...)},
	},
	DefaultSort: "created_at", DefaultOrder: "desc",
}
