// Package stats counts the API requests made with a credential (an API token, a
// personal token, a system's client certificate) per credential, UTC day and status,
// and answers the figures of a system or a token. Requests are counted in memory and
// flushed every few seconds with upserts that add, so replicas sum; see Counter.
package stats

import (
	"strconv"
	"time"

	"custos/internal/platform/apperr"
)

// Credential types of a counted request.
const (
	CredentialToken       = "token"
	CredentialCertificate = "certificate"
)

// Groupings of a stats answer.
const (
	GroupNone       = ""
	GroupDay        = "day"
	GroupStatus     = "status"
	GroupCredential = "credential"
)

// DayLayout is the form of days in the API and in the table (UTC, inclusive ranges).
const DayLayout = "2006-01-02"

// DefaultDays is the span of a query without from: to and the 29 days before it.
const DefaultDays = 30

// Row is one figure: the requests of a day and status, or of the grouped key alone.
type Row struct {
	Day            string `json:"day,omitempty" example:"2026-12-01"`
	Status         int    `json:"status,omitempty" example:"200"`
	CredentialID   string `json:"credential_id,omitempty"`
	CredentialType string `json:"credential_type,omitempty" enums:"token,certificate"`
	Count          int64  `json:"count" example:"42"`
}

// Report is the answer of a stats query: rows sorted by their key, and their total.
type Report struct {
	From    string `json:"from" example:"2026-11-02"`
	To      string `json:"to" example:"2026-12-01"`
	GroupBy string `json:"group_by,omitempty" enums:"day,status,credential"`
	Rows    []Row  `json:"rows"`
	Total   int64  `json:"total"`
}

// Query selects the figures of one system or one credential.
type Query struct {
	SystemID     string // the system's rows (every certificate of it)
	CredentialID string // or one credential's rows
	All          bool   // or every row (the console's dashboard)
	From, To     time.Time
	GroupBy      string
}

// Errors of the stats queries.
var (
	errBadDate = func(field string) error {
		return apperr.Invalid(apperr.Field(field, "stats.badDate", "must be a date YYYY-MM-DD"))
	}
	errFromTo  = apperr.Invalid(apperr.Field("from", "stats.fromAfterTo", "must not be after to"))
	errGroupBy = apperr.Invalid(apperr.Field("group_by", "stats.badGroupBy", "must be one of day, status, credential"))
	errTooLong = func(days int) error {
		return apperr.Invalid(apperr.Field("from", "stats.rangeOverRetention", "the range is longer than the retention of "+strconv.Itoa(days)+" days"))
	}
)
