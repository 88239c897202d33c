// Package certsignin signs people in with a client certificate on the mTLS listener: a
// certificate Custos wrote on their device, or one an administrator bound to their
// account by its fingerprint (kept here).
package certsignin

import (
	"context"
	"time"

	"custos/internal/issuance"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
)

// ResourceType is the audit resource of a bound certificate.
const ResourceType = "user_certificate"

// Sources of a person's certificate.
const (
	SourceDevice = "device"
	SourceBound  = "bound"
)

// Refusals of a presented certificate: stable codes the SPA and the tests branch on
// (a missing one and another person's are the session's: auth.certificateMissing,
// auth.certificateNotYours).
var (
	ErrUnknown = apperr.New(apperr.KindUnauthenticated, "auth.certificateUnknown",
		"This certificate is not bound to any account.")
	ErrRevoked = apperr.New(apperr.KindUnauthenticated, "auth.certificateRevoked",
		"This certificate was revoked.")
	ErrExpired = apperr.New(apperr.KindUnauthenticated, "auth.certificateExpired",
		"This certificate is outside its validity period.")
	ErrDeviceBlocked = apperr.New(apperr.KindUnauthenticated, "auth.deviceBlocked",
		"The device this certificate was written on is blocked.")

	errBound = apperr.New(apperr.KindConflict, "certificate.alreadyBound",
		"This certificate is already bound to an account.")
	errOnDevice = apperr.New(apperr.KindConflict, "certificate.issuedToDevice",
		"This certificate was written on a device by Custos: it signs its holder in already.")
)

// Owner is the person a presented certificate signs in.
type Owner struct {
	UserID      string
	Source      string // device | bound
	Fingerprint string
	DeviceID    string
	BoundID     string
}

// Bound is a certificate an administrator bound to a person.
type Bound struct {
	ID                string     `json:"id"`
	UserID            string     `json:"user_id"`
	FingerprintSHA256 string     `json:"fingerprint_sha256"`
	Subject           string     `json:"subject"`
	Issuer            string     `json:"issuer"`
	Serial            string     `json:"serial"`
	NotBefore         *time.Time `json:"not_before"`
	NotAfter          *time.Time `json:"not_after"`
	Comment           string     `json:"comment"`
	CreatedByLogin    string     `json:"created_by_login"`
	CreatedAt         time.Time  `json:"created_at"`
} //	@name	BoundCertificate

// BindInput binds a certificate: its PEM (then its subject and validity are kept) or
// only its SHA-256 fingerprint (hex, colons allowed).
type BindInput struct {
	PEM               string `json:"pem" validate:"optional"`
	FingerprintSHA256 string `json:"fingerprint_sha256" validate:"optional"`
	Comment           string `json:"comment" validate:"optional"`
} //	@name	BindCertificateInput

// Spec is the list whitelist of a user's bound certificates.
var Spec = list.Spec{
	Sorts: map[string]list.SortField{
		"created_at": {Column: "created_at", Type: list.Time},
	},
	DefaultSort: "created_at", DefaultOrder: "desc",
}

// Devices finds the holder of a certificate written on a device (package issuance).
type Devices interface {
	CertificateHolder(ctx context.Context, fp string) (issuance.Holder, bool, error)
}

// Authority tells whether our CA revoked a certificate (package ca).
type Authority interface {
	RevokedFingerprint(ctx context.Context, fp string) (bool, error)
}

// Guard refuses an administrator acting on an account they may not manage (identity).
type Guard interface {
	CheckManage(ctx context.Context, userID, action string) error
}
