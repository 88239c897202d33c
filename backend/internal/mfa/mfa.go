// Package mfa keeps people's second factors: a TOTP key (RFC 6238) sealed with the
// application key, ten one-time recovery codes hashed like passwords, and the sign-in
// challenges that wait for a code after the password was right. Package session asks it
// at sign-in; it never opens sessions itself.
package mfa

import (
	"context"
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
)

// KindTOTP names the authenticator app among the second factors.
const KindTOTP = "totp"

// ResourceType names the audit events.
const ResourceType = "user_factors"

// Limits and timings.
const (
	RecoveryCodes = 10
	ChallengeTTL  = 5 * time.Minute
	enrolmentTTL  = 15 * time.Minute // a pending key older than this must be started again
	issuer        = "Custos"
)

// Errors the API answers.
var (
	ErrInvalidCode      = apperr.New(apperr.KindUnauthenticated, "mfa.invalidCode", "The code is wrong or has expired.")
	ErrCodeReused       = apperr.New(apperr.KindUnauthenticated, "mfa.codeReused", "This code was already used; wait for the next one.")
	ErrChallenge        = apperr.New(apperr.KindUnauthenticated, "mfa.challengeInvalid", "The sign-in has expired or was already completed; enter your password again.")
	ErrNotEnrolled      = apperr.New(apperr.KindUnprocessable, "mfa.notEnrolled", "No authenticator app is set up.")
	ErrAlreadyEnrolled  = apperr.New(apperr.KindConflict, "mfa.alreadyEnrolled", "An authenticator app is already set up; remove it first.")
	ErrNoPendingKey     = apperr.New(apperr.KindUnprocessable, "mfa.noPendingEnrolment", "Start setting up the authenticator app again.")
	errSessionRequired  = apperr.New(apperr.KindDenied, "auth.sessionRequired", "Second factors are managed from a signed-in browser session, not with an API token.")
	errUnknownUserLogin = apperr.NotFound("user")
)

// Status is the caller's second-factor state.
type Status struct {
	TOTP bool `json:"totp"`
	// TOTPPending is true while a started enrolment waits for its first code.
	TOTPPending       bool       `json:"totp_pending"`
	ConfirmedAt       *time.Time `json:"confirmed_at,omitempty"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
	// Passkeys counts the registered passkeys (GET /me/factors/passkeys lists them).
	Passkeys int `json:"passkeys"`
	// Policy says whether a group requires a second factor (the last one cannot be
	// removed then) and the grace deadline while there is none.
	Policy Policy `json:"policy"`
} //	@name	FactorStatus

// Enrolment is a started TOTP enrolment: the key, shown once, to put into an app.
type Enrolment struct {
	URL    string `json:"otpauth_url"`
	Secret string `json:"secret"` // base32, for typing in by hand
	// QR is the otpauth URL as a QR code, a PNG data URL for an <img>.
	QR      string `json:"qr_png"`
	Issuer  string `json:"issuer"`
	Account string `json:"account"`
	Digits  int    `json:"digits"`
	Period  int    `json:"period"`
} //	@name	TOTPEnrolment

// CodeInput carries a current code from the authenticator app.
type CodeInput struct {
	Code string `json:"code"`
} //	@name	TOTPCodeInput

// RemoveInput proves the caller before the factor is removed: a current code or the password.
type RemoveInput struct {
	Code     string `json:"code" validate:"optional"`
	Password string `json:"password" validate:"optional"`
} //	@name	RemoveFactorInput

// RecoveryCodesOut are new recovery codes, answered once.
type RecoveryCodesOut struct {
	RecoveryCodes []string `json:"recovery_codes"`
} //	@name	RecoveryCodes

// Throttle is the sign-in throttling (package session): code guesses count like passwords.
type Throttle interface {
	CheckThrottle(ctx context.Context, login, ip string) error
	Fail(ctx context.Context, provider, login, ip, userID, reason string, err error) error
	Release(ctx context.Context, login, ip string) error
	Succeeded(ctx context.Context, login, ip string) error
	// CheckOwnPassword proves the caller's password (counted by the throttling).
	CheckOwnPassword(ctx context.Context, p *authz.Principal, password, ip, reason string) error
	// EndSessions ends user id's sessions in ctx's transaction.
	EndSessions(ctx context.Context, userID, keep string) (int64, error)
}

// Service holds the rules.
type Service struct {
	db     *db.DB
	store  store
	box    *crypto.Box
	hasher *crypto.Hasher
	th     Throttle
	now    func() time.Time
	// publicOrigin is CUSTOS_PUBLIC_URL's scheme and host ("" = each request's): the
	// passkeys' relying party.
	publicOrigin string
}

// NewService wires the service; box seals the keys, hasher hashes the recovery codes.
func NewService(d *db.DB, box *crypto.Box, hasher *crypto.Hasher, th Throttle) *Service {
	return &Service{db: d, store: store{db: d}, box: box, hasher: hasher, th: th,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests step it across TOTP windows).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func caller(ctx context.Context) (*authz.Principal, error) {
	p := authz.FromContext(ctx)
	if p == nil {
		return nil, apperr.Unauthenticated()
	}
	if p.Kind != "session" || p.SessionID == "" || p.UserID == "" {
		return nil, errSessionRequired
	}
	return p, nil
}
