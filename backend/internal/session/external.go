package session

import (
	"context"
	"errors"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/validate"
)

// External signs people in through the providers other than the local one (SPEC §5).
// The sign-in feature implements it; the login form reaches it for the passwords the
// local store does not hold (an unknown login, or an account with the LDAP pre-check
// flag).
type External interface {
	// LocalActive reports whether the local provider is active (SPEC §5.4).
	LocalActive(ctx context.Context) (bool, error)
	// Password checks the credentials with the active LDAP provider and, when they are
	// right, provisions the account and opens its session in one transaction. It
	// returns the session cookie value; ErrNoExternal when no provider applies; a
	// *Rejected for wrong credentials (counted by the throttling); any other error is
	// a refusal it has audited itself.
	Password(ctx context.Context, a PasswordAttempt) (string, error)
}

// PasswordAttempt is one sign-in through the login form that an external provider checks.
type PasswordAttempt struct {
	Login, Password, IP, UserAgent string
	// UserID is the existing account's id ("" for an unknown login).
	UserID string
}

// ErrNoExternal reports that no external provider checks this login.
var ErrNoExternal = errors.New("auth: no external provider applies")

// Rejected is a wrong login or password at an external provider.
type Rejected struct {
	Provider string // the provider's name, for the audit log
	Reason   string // the audit reason code
	Err      error  // what the caller is told
}

func (r *Rejected) Error() string { return r.Err.Error() }
func (r *Rejected) Unwrap() error { return r.Err }

// SetExternal connects the external providers (the composition root wires it; nil
// keeps the local provider only).
func (s *Service) SetExternal(e External) { s.ext = e }

// ErrInvalidCredentials is the one answer to a wrong login or password.
var ErrInvalidCredentials = errInvalid

var (
	errLocalInactive = apperr.New(apperr.KindDenied, "auth.localProviderInactive",
		"Signing in with a Custos password is switched off; use your organisation's sign-in button.")
	errTooMany = apperr.New(apperr.KindTooMany, "auth.tooManyAttempts", "Too many failed sign-ins; try again later.")
)

// CheckThrottle counts a password attempt before the password is checked and refuses
// it (auth.tooManyAttempts with Retry-After) when the account from this IP, the IP, or
// the account from everywhere must wait. A caller whose attempt it admits settles it:
// Fail for a wrong password, Release when the attempt proved nothing, Succeeded (or the
// session it opens) for a success.
func (s *Service) CheckThrottle(ctx context.Context, login, ip string) error {
	return s.reserve(ctx, "", login, ip)
}

// Fail audits a wrong password with the provider's name and returns err; the attempt
// CheckThrottle counted stays counted.
func (s *Service) Fail(ctx context.Context, provider, login, ip, userID, reason string, err error) error {
	return s.failVia(ctx, provider, login, ip, userID, reason, err)
}

// OpenSession opens a session for a user inside the transaction ctx carries (so a sign-in's provisioning, its
// audit event and its session commit together) and returns the cookie value. A sign-in
// ends the account's growing delay: whoever signed in knows how.
func (s *Service) OpenSession(ctx context.Context, userID, login, ip, userAgent string) (string, error) {
	return s.openSession(ctx, userID, login, ip, userAgent, false)
}

// openSession opens the session; a strong sign-in (a certificate on the person's device,
// certificate.go) is itself more than a password and is never made enrolment-only.
func (s *Service) openSession(ctx context.Context, userID, login, ip, userAgent string, strong bool) (string, error) {
	if !db.InTx(ctx) {
		return "", db.ErrNoTx
	}
	token := crypto.RandomToken(32)
	now := s.now()
	sess := sessionRow{ID: hashToken(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.opts.AbsoluteTimeout), IP: ip, UserAgent: validate.CleanText(userAgent, 300)}
	var err error
	if !strong {
		if sess.EnrolmentOnly, err = s.enrolmentOnly(ctx, userID, login, ip); err != nil {
			return "", err
		}
	}
	if err := s.store.openSession(ctx, &sess, login); err != nil {
		return "", err
	}
	return token, nil
}

// SetSessionCookie hands the browser the cookies of a session a provider sign-in opened:
// a browser-session cookie and the session's CSRF token. A session the browser still
// held ends; should deleting it fail, it simply runs out at its timeouts.
func (s *Service) SetSessionCookie(c echo.Context, token string) {
	_ = s.startBrowserSession(c, token, 0)
}

// PasswordChecks is how many argon2id verifications the sign-in has done (tests count them).
func (s *Service) PasswordChecks() int64 { return s.hasher.Verifications() }

// refuse audits a refused sign-in whose password was right (nothing to throttle).
func (s *Service) refuse(ctx context.Context, login, ip, userID, reason string, err error) error {
	if txErr := audit.RecordAlone(ctx, s.db, audit.Entry{Action: "login.failure", ResourceType: "session",
		ResourceID: userID, ResourceName: login, Reason: reason, After: map[string]any{"provider": "local", "ip": ip}}); txErr != nil {
		return txErr
	}
	return err
}

// external runs the login form's attempt through the external providers. handled is
// false when none applies and the local password check should run.
func (s *Service) external(ctx context.Context, a PasswordAttempt, remember bool) (token string, handled bool, err error) {
	token, err = s.ext.Password(ctx, a)
	if errors.Is(err, ErrNoExternal) {
		return "", false, nil
	}
	var rej *Rejected
	if errors.As(err, &rej) {
		return "", true, s.failVia(ctx, rej.Provider, a.Login, a.IP, a.UserID, rej.Reason, rej.Err)
	}
	if err != nil {
		return "", true, s.giveBack(ctx, a.Login, a.IP, err)
	}
	// An account with a second factor gets a challenge instead (which settles the attempt).
	if err := s.externalSecondFactor(ctx, token, a.Login, a.IP, remember, true); err != nil {
		var due *SecondFactorDue
		if errors.As(err, &due) {
			return "", true, err
		}
		return "", true, s.giveBack(ctx, a.Login, a.IP, err)
	}
	return token, true, s.Succeeded(ctx, a.Login, a.IP)
}
