package certsignin

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/identity"
	"custos/internal/issuance"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Users reads the accounts certificates are bound to (package identity).
type Users interface {
	GetUser(ctx context.Context, id string) (identity.User, error)
}

// Service binds certificates to people and finds the person of a presented one.
type Service struct {
	db      *db.DB
	store   store
	devices Devices
	ca      Authority
	users   Users
	log     *slog.Logger
	now     func() time.Time
}

// NewService wires the certificate sign-in.
func NewService(d *db.DB, devices Devices, authority Authority, users Users, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, devices: devices, ca: authority, users: users, log: log, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func notFound() error { return apperr.NotFound("certificate") }

// Resolve finds the person a presented leaf certificate signs in, and refuses it when
// our CA revoked it, its device is blocked or revoked, or it is outside its validity.
// The owner is answered with a refusal too when known (the audit event names them).
func (s *Service) Resolve(ctx context.Context, leaf *x509.Certificate) (Owner, error) {
	fp := ca.Fingerprint(leaf.Raw)
	o := Owner{Fingerprint: fp}
	h, onDevice, err := s.devices.CertificateHolder(ctx, fp)
	if err != nil {
		return o, err
	}
	if onDevice {
		o.UserID, o.Source, o.DeviceID = h.UserID, SourceDevice, h.DeviceID
	} else {
		b, ok, err := s.store.byFingerprint(ctx, fp)
		if err != nil {
			return o, err
		}
		if !ok {
			return o, ErrUnknown
		}
		o.UserID, o.Source, o.BoundID = b.UserID, SourceBound, b.ID
	}
	revoked, err := s.ca.RevokedFingerprint(ctx, fp)
	if err != nil {
		return o, err
	}
	now := s.now()
	switch {
	case revoked || h.Revoked || h.DeviceStatus == issuance.DeviceRevoked:
		return o, ErrRevoked
	case h.DeviceStatus == issuance.DeviceBlocked:
		return o, ErrDeviceBlocked
	case now.Before(leaf.NotBefore) || !now.Before(leaf.NotAfter):
		return o, ErrExpired
	}
	return o, nil
}

// Admits tells the mTLS listener's certificate check to let a request through that no
// system certificate authenticated: any request of a person's certificate in good
// standing, and for any certificate the console's pages and the certificate sign-in
// endpoints (which answer the refusal with its reason).
func (s *Service) Admits(ctx context.Context, leaf *x509.Certificate, path string) bool {
	if !strings.HasPrefix(path, "/api/") || path == "/api/v1/auth/certificate" || path == "/api/v1/auth/login/certificate" {
		return true
	}
	_, err := s.Resolve(ctx, leaf)
	if _, coded := apperr.As(err); err != nil && !coded {
		s.log.Error("resolve a person's certificate", "err", err)
	}
	return err == nil
}

// List lists the certificates bound to user id.
func (s *Service) List(ctx context.Context, userID string, p list.Params) (list.Page[Bound], error) {
	if _, err := s.users.GetUser(ctx, userID); err != nil {
		return list.Page[Bound]{}, err
	}
	page, err := s.store.list(ctx, userID, p)
	return list.Map(page, boundRow.toAPI), err
}

// Bind binds a certificate to user id, by its PEM or its fingerprint; audited as
// certificate.bind.
func (s *Service) Bind(ctx context.Context, userID string, in BindInput) (Bound, error) {
	r, err := s.parse(in)
	if err != nil {
		return Bound{}, err
	}
	u, err := s.users.GetUser(ctx, userID)
	if err != nil {
		return Bound{}, err
	}
	if _, on, err := s.devices.CertificateHolder(ctx, r.Fingerprint); err != nil || on {
		if err == nil {
			err = errOnDevice
		}
		return Bound{}, err
	}
	m := httpx.MetaFrom(ctx)
	r.ID, r.UserID, r.CreatedAt = uuid.NewString(), userID, s.now().UTC()
	r.CreatedByID, r.CreatedByLogin = m.ActorID, m.ActorName
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.insert(ctx, &r); err != nil {
			if db.IsUniqueViolation(err) {
				return errBound
			}
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "certificate.bind", ResourceType: ResourceType, ResourceID: r.ID,
			ResourceName: u.Login, After: auditView(r)})
	})
	return r.toAPI(), err
}

// Unbind removes binding id of user userID; audited as certificate.unbind.
func (s *Service) Unbind(ctx context.Context, userID, id string) error {
	u, err := s.users.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.store.get(ctx, userID, id)
		if err != nil {
			return err
		}
		if err := s.store.delete(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "certificate.unbind", ResourceType: ResourceType, ResourceID: r.ID,
			ResourceName: u.Login, Before: auditView(r)})
	})
}

func auditView(r boundRow) map[string]any {
	return map[string]any{"user_id": r.UserID, "fingerprint_sha256": r.Fingerprint, "subject": r.Subject,
		"serial": r.Serial, "comment": r.Comment}
}

// parse checks a BindInput: exactly one of pem and fingerprint_sha256.
func (s *Service) parse(in BindInput) (boundRow, error) {
	pemText, fp := strings.TrimSpace(in.PEM), normaliseFingerprint(in.FingerprintSHA256)
	comment := validate.CleanText(in.Comment, 500)
	switch {
	case pemText == "" && fp == "":
		return boundRow{}, apperr.Invalid(apperr.Field("pem", "required", "give the certificate (PEM) or its SHA-256 fingerprint"))
	case pemText != "" && fp != "":
		return boundRow{}, apperr.Invalid(apperr.Field("fingerprint_sha256", "exclusive", "give the PEM or the fingerprint, not both"))
	case pemText == "":
		if b, err := hex.DecodeString(fp); err != nil || len(b) != 32 {
			return boundRow{}, apperr.Invalid(apperr.Field("fingerprint_sha256", "invalidFormat",
				"must be a SHA-256 fingerprint: 64 hexadecimal digits (colons allowed)"))
		}
		return boundRow{Fingerprint: fp, Comment: comment}, nil
	}
	c, err := ca.ParseCertificatePEM(pemText, s.now())
	if err != nil {
		return boundRow{}, err
	}
	nb, na := c.NotBefore.UTC(), c.NotAfter.UTC()
	return boundRow{Fingerprint: ca.Fingerprint(c.Raw), Subject: validate.CleanText(c.Subject.String(), 2000),
		Issuer: validate.CleanText(c.Issuer.String(), 2000), Serial: strings.ToLower(c.SerialNumber.Text(16)),
		NotBefore: &nb, NotAfter: &na, PEM: pemText, Comment: comment}, nil
}

// normaliseFingerprint lower-cases a fingerprint and drops colons and spaces.
func normaliseFingerprint(s string) string {
	if len(s) > 200 {
		return s
	}
	return strings.ToLower(strings.NewReplacer(":", "", " ", "", "\t", "").Replace(strings.TrimSpace(s)))
}

// Owner is Resolve for the sign-in (package session): the owner's id, the source of the
// certificate and its fingerprint.
func (s *Service) Owner(ctx context.Context, leaf *x509.Certificate) (string, string, string, error) {
	o, err := s.Resolve(ctx, leaf)
	return o.UserID, o.Source, o.Fingerprint, err
}
