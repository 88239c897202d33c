package session

import (
	"context"
	"crypto/x509"
	"errors"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
)

// Certificates finds the person a client certificate presented on the mTLS listener
// signs in (package certsignin): a coded refusal when it is unknown, revoked, expired or
// on a blocked device, with the owner's id when known.
type Certificates interface {
	Owner(ctx context.Context, leaf *x509.Certificate) (userID, source, fingerprint string, err error)
}

// SetCertificates connects certificate sign-in (the composition root wires it).
func (s *Service) SetCertificates(c Certificates) { s.certs = c }

// How a session was signed in, when a certificate had a part in it.
const (
	MethodCertificate         = "certificate"
	MethodPasswordCertificate = "password+certificate"
	providerCertificate       = "certificate"
)

var (
	errCertificateMissing = apperr.New(apperr.KindUnauthenticated, "auth.certificateMissing",
		"No client certificate was presented: sign in with a certificate on the mTLS entry.")
	errCertificateNotYours = apperr.New(apperr.KindUnauthenticated, "auth.certificateNotYours",
		"The certificate presented belongs to another account.")
)

// certOwner is the account a presented certificate signs in, once it is known usable.
type certOwner struct {
	UserID, Login, Source, Fingerprint string
}

// ownerOf checks a presented leaf and the account it belongs to: a coded refusal for a
// missing, unknown, revoked, expired or blocked-device certificate or an inactive account.
func (s *Service) ownerOf(ctx context.Context, leaf *x509.Certificate) (certOwner, error) {
	if leaf == nil || s.certs == nil {
		return certOwner{}, errCertificateMissing
	}
	var o certOwner
	var err error
	o.UserID, o.Source, o.Fingerprint, err = s.certs.Owner(ctx, leaf)
	if o.UserID != "" {
		acct, ok, aerr := s.store.account(ctx, o.UserID)
		if aerr != nil {
			return o, aerr
		}
		o.Login = acct.Login
		if err == nil && (!ok || !acct.Active) {
			err = errDisabled
		}
	}
	return o, err
}

// auditCertRefusal records a refused certificate sign-in (nothing to throttle: no secret
// was guessed) and answers err.
func (s *Service) auditCertRefusal(ctx context.Context, leaf *x509.Certificate, o certOwner, ip string, err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	name := o.Login
	after := map[string]any{"provider": providerCertificate, "ip": ip}
	if leaf != nil {
		subject := validate.CleanText(leaf.Subject.String(), 200)
		after["subject"], after["fingerprint_sha256"], after["source"] = subject, o.Fingerprint, o.Source
		if name == "" {
			name = subject
		}
	}
	if aerr := audit.RecordAlone(ctx, s.db, audit.Entry{Action: "login.failure", ResourceType: "session",
		ResourceID: o.UserID, ResourceName: name, Reason: e.Code, After: after}); aerr != nil {
		return aerr
	}
	return err
}

// CertificateLogin signs the holder of a presented certificate in without a password:
// it opens a session marked as a certificate sign-in and answers the cookie value.
// Possession of the certificate's key (on a PIN-protected device) is the strong factor,
// so no second factor is asked.
func (s *Service) CertificateLogin(ctx context.Context, leaf *x509.Certificate, ip, userAgent string) (string, error) {
	o, err := s.ownerOf(ctx, leaf)
	if err != nil {
		return "", s.auditCertRefusal(ctx, leaf, o, ip, err)
	}
	var token string
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		httpx.SetActor(ctx, "user", o.UserID, o.Login)
		var err error
		if token, err = s.openMarked(ctx, o.UserID, o.Login, ip, userAgent, MethodCertificate); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: o.UserID,
			ResourceName: o.Login, After: map[string]any{"provider": providerCertificate, "ip": ip,
				"source": o.Source, "fingerprint_sha256": o.Fingerprint}})
	})
	return token, err
}

// openMarked opens a session in ctx's transaction and records how it was signed in. The
// certificate is possession of the device's key: the session is never enrolment-only
// (policy.go), and it counts as a fresh second factor for step-up (stepup.go), like the
// sign-in's second step.
func (s *Service) openMarked(ctx context.Context, userID, login, ip, userAgent, method string) (string, error) {
	token, err := s.openSession(ctx, userID, login, ip, userAgent, true)
	if err != nil {
		return "", err
	}
	if err := s.store.markSession(ctx, hashToken(token), method); err != nil {
		return "", err
	}
	return token, s.markFactor(ctx, token)
}

// certificateFactor closes a second-factor challenge the certificate answered (mfa).
type certificateFactor interface {
	TakeChallenge(ctx context.Context, challenge string) error
}

// CompleteWithCertificate completes a password sign-in's second-factor step with the
// certificate presented on the mTLS listener, which must be the same person's. A refusal
// counts toward the lock-out like a wrong code.
func (s *Service) CompleteWithCertificate(ctx context.Context, challenge string, leaf *x509.Certificate, ip, userAgent string) (string, bool, error) {
	cf, ok := s.mfa.(certificateFactor)
	if !ok {
		return "", false, apperr.NotFound("challenge")
	}
	uid, login, provider, remember, err := s.mfa.Pending(ctx, challenge)
	if err != nil {
		return "", false, err
	}
	if err := s.reserve(ctx, provider, login, ip); err != nil {
		return "", false, err
	}
	o, err := s.ownerOf(ctx, leaf)
	if err == nil && o.UserID != uid {
		err = errCertificateNotYours
	}
	var token string
	if err == nil {
		err = s.db.Tx(ctx, func(ctx context.Context) error {
			if err := cf.TakeChallenge(ctx, challenge); err != nil {
				return err
			}
			httpx.SetActor(ctx, "user", uid, login)
			var err error
			if token, err = s.openMarked(ctx, uid, login, ip, userAgent, MethodPasswordCertificate); err != nil {
				return err
			}
			if err := s.settle(ctx, login, ip, true); err != nil {
				return err
			}
			return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: uid,
				ResourceName: login, After: map[string]any{"provider": provider, "ip": ip, "second_factor": MethodCertificate,
					"fingerprint_sha256": o.Fingerprint}})
		})
	}
	if e, coded := apperr.As(err); coded && e.Kind == apperr.KindUnauthenticated || errors.Is(err, errDisabled) {
		return "", false, s.failVia(ctx, providerCertificate, login, ip, uid, e.Code, err)
	}
	if err != nil {
		return "", false, s.giveBack(context.WithoutCancel(ctx), login, ip, err)
	}
	return token, remember, nil
}

// offerCertificate adds "certificate" to the factors a password sign-in on the mTLS
// listener may complete with, when the certificate presented is the same person's and
// usable.
func (s *Service) offerCertificate(c echo.Context, err error) {
	var due *SecondFactorDue
	leaf := peerLeaf(c)
	if leaf == nil || s.certs == nil || s.mfa == nil || !errors.As(err, &due) {
		return
	}
	ctx := c.Request().Context()
	uid, _, _, _, perr := s.mfa.Pending(ctx, due.Challenge)
	if _, ok := s.mfa.(certificateFactor); perr != nil || !ok {
		return
	}
	if o, oerr := s.ownerOf(ctx, leaf); oerr == nil && o.UserID == uid {
		due.SecondFactors = append(due.SecondFactors, MethodCertificate)
	}
}

// peerLeaf is the client certificate of a request on the mTLS listener (nil elsewhere).
func peerLeaf(c echo.Context) *x509.Certificate {
	if r := c.Request(); r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return r.TLS.PeerCertificates[0]
	}
	return nil
}

// CertificateInfo tells the login page about the client certificate the browser
// presented, without signing in.
type CertificateInfo struct {
	// Presented is false off the mTLS listener or without a certificate.
	Presented         bool       `json:"presented"`
	Subject           string     `json:"subject,omitempty"`
	CommonName        string     `json:"common_name,omitempty"`
	FingerprintSHA256 string     `json:"fingerprint_sha256,omitempty"`
	NotAfter          *time.Time `json:"not_after,omitempty"`
	// Usable tells whether it would sign someone in now; Code names why not.
	Usable bool   `json:"usable"`
	Code   string `json:"code,omitempty"`
} //	@name	CertificateInfo

// Certificate describes the presented certificate and whether it would sign in.
func (s *Service) Certificate(ctx context.Context, leaf *x509.Certificate) (CertificateInfo, error) {
	if leaf == nil {
		return CertificateInfo{}, nil
	}
	na := leaf.NotAfter.UTC()
	info := CertificateInfo{Presented: true, Subject: validate.CleanText(leaf.Subject.String(), 500),
		CommonName: validate.CleanText(leaf.Subject.CommonName, 200), NotAfter: &na}
	o, err := s.ownerOf(ctx, leaf)
	info.FingerprintSHA256 = o.Fingerprint
	if e, ok := apperr.As(err); ok {
		info.Code = e.Code
		return info, nil
	}
	info.Usable = err == nil
	return info, err
}
