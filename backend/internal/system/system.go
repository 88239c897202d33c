// Package system holds the integrated systems (Информационные системы): their allowed
// services, settings texts and client certificates (issued by our CA from a CSR or as a
// PKCS#12 bundle, or added by hand and trusted by fingerprint), and the mTLS entry that
// turns a presented client certificate into the system's principal.
package system

import (
	"context"
	"time"

	"custos/internal/ca"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
)

// Audit resource types.
const (
	ResourceSystem      = "system"
	ResourceCertificate = "system_certificate"
)

// Topic is the change topic that makes every replica drop its certificate cache.
const Topic = "systems"

// Origins of a certificate.
const (
	OriginCSR    = "csr"
	OriginP12    = "p12"
	OriginManual = "manual"
)

// Statuses of a certificate, in the order they win: revoked > expired > disabled > active.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
	StatusRevoked  = "revoked"
	StatusExpired  = "expired"
)

// ExpiringSoon is how close to its end a certificate is flagged.
const ExpiringSoon = 30 * 24 * time.Hour

// Limits of a system's fields.
const (
	maxName         = 200
	maxDescription  = 2000
	maxSettingsText = 20 << 10
	maxPassword     = 128
	maxPEM          = 64 << 10
)

// SettingsTexts are the free per-system texts (how to check documents), one per language.
type SettingsTexts struct {
	RU string `json:"ru"`
	EN string `json:"en"`
} //	@name	SystemSettingsTexts

// System is the API shape of an integrated system.
type System struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Description     string        `json:"description"`
	Enabled         bool          `json:"enabled"`
	OwnerGroupID    *string       `json:"owner_group_id" extensions:"x-nullable"`
	AllowedServices []string      `json:"allowed_services"`
	SettingsTexts   SettingsTexts `json:"settings_texts"`
	// ClientEditable names the parameters the members of the owner group may change in
	// the client cabinet: a subset of description, settings_texts.
	ClientEditable []string `json:"client_editable"`
	// ClientMayIssue lets the owner group's members make a certificate in the cabinet
	// (a key pair made in their browser and its request).
	ClientMayIssue   bool      `json:"client_may_issue"`
	CertificateCount int64     `json:"certificate_count"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
} //	@name	System

// SystemInput creates a system.
type SystemInput struct {
	Name            string         `json:"name"`
	Description     string         `json:"description" validate:"optional"`
	Enabled         *bool          `json:"enabled" validate:"optional"`
	OwnerGroupID    *string        `json:"owner_group_id" validate:"optional" extensions:"x-nullable"`
	AllowedServices []string       `json:"allowed_services" validate:"optional"`
	SettingsTexts   *SettingsTexts `json:"settings_texts" validate:"optional"`
	ClientEditable  []string       `json:"client_editable" validate:"optional" enums:"description,settings_texts"`
	ClientMayIssue  bool           `json:"client_may_issue" validate:"optional"`
} //	@name	SystemInput

// SystemPatch changes a system; absent fields stay as they are. An owner_group_id of
// "" removes the owner group.
type SystemPatch struct {
	Version         int            `json:"version"`
	Name            *string        `json:"name" validate:"optional"`
	Description     *string        `json:"description" validate:"optional"`
	Enabled         *bool          `json:"enabled" validate:"optional"`
	OwnerGroupID    *string        `json:"owner_group_id" validate:"optional" extensions:"x-nullable"`
	AllowedServices *[]string      `json:"allowed_services" validate:"optional"`
	SettingsTexts   *SettingsTexts `json:"settings_texts" validate:"optional"`
	ClientEditable  *[]string      `json:"client_editable" validate:"optional" enums:"description,settings_texts"`
	ClientMayIssue  *bool          `json:"client_may_issue" validate:"optional"`
} //	@name	SystemPatch

// ClientParameters are the parameters an administrator may open to the client cabinet.
var ClientParameters = []string{"description", "settings_texts"}

// Certificate is the API shape of a system's client certificate (never a private key).
type Certificate struct {
	ID                string     `json:"id"`
	SystemID          string     `json:"system_id"`
	Origin            string     `json:"origin" enums:"csr,p12,manual"`
	Subject           string     `json:"subject"`
	Issuer            string     `json:"issuer"`
	Serial            string     `json:"serial"`
	FingerprintSHA256 string     `json:"fingerprint_sha256"`
	KeyAlgorithm      string     `json:"key_algorithm"`
	NotBefore         time.Time  `json:"not_before"`
	NotAfter          time.Time  `json:"not_after"`
	Status            string     `json:"status" enums:"active,disabled,revoked,expired"`
	Enabled           bool       `json:"enabled"`
	ExpiringSoon      bool       `json:"expiring_soon"`
	RevokedAt         *time.Time `json:"revoked_at" extensions:"x-nullable"`
	RevocationReason  *string    `json:"revocation_reason" extensions:"x-nullable"`
	PEM               string     `json:"pem"`
	Version           int        `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
} //	@name	SystemCertificate

// CreatedCertificate is the answer to adding a certificate; for a p12 bundle only, it
// carries the bundle and the CA certificate, this one time.
type CreatedCertificate struct {
	Certificate
	// P12 is the PKCS#12 bundle (base64) with the server-made key: answered once, never kept.
	P12 string `json:"p12,omitempty"`
	// CACertificate is the CA certificate (PEM) to install beside the bundle.
	CACertificate string `json:"ca_certificate,omitempty"`
} //	@name	CreatedSystemCertificate

// CertificateInput adds a certificate: method csr (csr, validity_days), p12 (password,
// validity_days) or manual (pem).
type CertificateInput struct {
	Method       string `json:"method" enums:"csr,p12,manual"`
	CSR          string `json:"csr" validate:"optional"`
	Password     string `json:"password" validate:"optional"`
	ValidityDays int    `json:"validity_days" validate:"optional"`
	PEM          string `json:"pem" validate:"optional"`
} //	@name	SystemCertificateInput

// CertificatePatch switches a certificate on or off.
type CertificatePatch struct {
	Version int   `json:"version"`
	Enabled *bool `json:"enabled" validate:"optional"`
} //	@name	SystemCertificatePatch

// RevokeInput revokes a certificate with an RFC 5280 reason name.
type RevokeInput struct {
	Reason string `json:"reason" enums:"unspecified,keyCompromise,affiliationChanged,superseded,cessationOfOperation,privilegeWithdrawn"`
} //	@name	SystemCertificateRevoke

// DefaultValidityDays is the validity of an issued certificate when none is asked.
const DefaultValidityDays = 365

// Issuer is the certificate authority as this package needs it (the ca package's
// Service); app wires it.
type Issuer interface {
	Issue(ctx context.Context, r ca.IssueRequest) (ca.Issued, error)
	IssueBundle(ctx context.Context, r ca.IssueRequest, password string) (ca.Issued, []byte, error)
	Revoke(ctx context.Context, serial string, reason int) error
	CertificatePEM(ctx context.Context) (string, error)
}

// Directory is what the systems need of identity: the owner group and the guard that
// refuses handing out permissions the caller lacks.
type Directory interface {
	GetGroup(ctx context.Context, id string) (identity.Group, error)
	CheckPermissionGrant(ctx context.Context, field, resType, resID, resName string, perms []string) error
}

// Publisher announces, inside a transaction, that a topic changed (platform/changes).
type Publisher interface {
	Publish(ctx context.Context, topic string) error
}

// Spec is the list whitelist of systems.
var Spec = list.Spec{
	Sorts: map[string]list.SortField{
		"name":       {Column: "name"},
		"enabled":    {Column: "enabled", Type: list.Bool},
		"created_at": {Column: "created_at", Type: list.Time},
	},
	Filters: map[string]list.FilterField{
		"enabled": {Column: "enabled", Type: list.Bool},
	},
	SearchColumn: "search_text", DefaultSort: "name", DefaultOrder: "asc",
}

// CertificateSpec is the list whitelist of a system's certificates.
var CertificateSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"not_after":  {Column: "not_after", Type: list.Time},
		"created_at": {Column: "created_at", Type: list.Time},
	},
	Filters: map[string]list.FilterField{
		"status": {Type: list.Enum, Values: []string{StatusActive, StatusDisabled, StatusRevoked, StatusExpired},
			Op: "custom"},
	},
	DefaultSort: "created_at", DefaultOrder: "desc",
}

// Public errors.
var (
	errNameTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "system.nameTaken",
		Message: "Another integrated system already has this name.",
		Fields:  []apperr.FieldError{apperr.Field("name", "taken", "is already used by another system")}}
	errDuplicate = &apperr.Error{Kind: apperr.KindConflict, Code: "certificate.duplicateFingerprint",
		Message: "A certificate with this SHA-256 fingerprint is already registered.",
		Fields:  []apperr.FieldError{apperr.Field("pem", "duplicate", "this certificate is already registered")}}
	errRefused = apperr.New(apperr.KindUnauthenticated, "system.certificateRefused",
		"The client certificate is unknown, disabled, revoked or expired, or its system is disabled.")
	errRevokedEdit = apperr.New(apperr.KindUnprocessable, "certificate.revoked",
		"A revoked certificate cannot be switched on again; add a new one.")
	errNoIssuer = apperr.New(apperr.KindUnprocessable, "certificate.noAuthority",
		"The certificate authority is not available.")
)
