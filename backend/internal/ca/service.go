package ca

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"time"

	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/worker"
)

// Publisher announces, inside a transaction, that a topic changed (platform/changes).
type Publisher interface {
	Publish(ctx context.Context, topic string) error
}

// Options configure the CA service.
type Options struct {
	// PublicURL is CUSTOS_PUBLIC_URL; issued certificates point their CRL and OCSP there.
	PublicURL string
	// ListenAddr is CUSTOS_ADDR, the fallback base of those URLs when PublicURL is empty.
	ListenAddr string
}

// Service is the certificate authority.
type Service struct {
	db   *db.DB
	box  *crypto.Box
	pub  Publisher
	log  *slog.Logger
	opts Options
	now  func() time.Time
}

var errTODO = errors.New("ca: not implemented yet")

// NewService wires the CA over d; its key is sealed with box.
func NewService(d *db.DB, box *crypto.Box, pub Publisher, log *slog.Logger, opts Options) *Service {
	return &Service{db: d, box: box, pub: pub, log: log, opts: opts,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Second) }}
}

// Ensure makes the CA on first start (ECDSA P-256, 10 years); later starts keep it.
func (s *Service) Ensure(ctx context.Context) error { return errTODO }

// Issue signs a certificate for r.PublicKey and records it in the ledger, inside ctx's
// transaction when there is one.
func (s *Service) Issue(ctx context.Context, r IssueRequest) (Issued, error) { return Issued{}, errTODO }

// IssueBundle makes a P-256 key, issues its certificate and answers both as PKCS#12
// (with the CA certificate) under password, which may be empty. The key is never stored.
func (s *Service) IssueBundle(ctx context.Context, r IssueRequest, password string) (Issued, []byte, error) {
	return Issued{}, nil, errTODO
}

// Revoke marks the certificate with serial (lower-case hex) revoked with an RFC 5280
// reason code, inside ctx's transaction; the CRL is regenerated after the commit and
// the other replicas learn of it through the changes topic. Revoking a revoked
// certificate again changes nothing and is no error.
func (s *Service) Revoke(ctx context.Context, serial string, reason int) error { return errTODO }

// CertificatePEM returns the active CA certificate in PEM.
func (s *Service) CertificatePEM(ctx context.Context) (string, error) { return "", errTODO }

// ServerCertificate issues a serverAuth certificate for hosts (IPs become IP SANs) with a
// fresh key, for the mTLS listener.
func (s *Service) ServerCertificate(ctx context.Context, hosts []string) (tls.Certificate, error) {
	return tls.Certificate{}, errTODO
}

// Roots returns the CA certificates (the active one and any replaced) as a pool.
func (s *Service) Roots(ctx context.Context) (*x509.CertPool, error) { return nil, errTODO }

// Info describes the active CA; base is the scheme and host of the request, used for the
// URLs when no public URL is configured.
func (s *Service) Info(ctx context.Context, base string) (CAInfo, error) { return CAInfo{}, errTODO }

// Import replaces the active CA with an administrator's certificate and key.
func (s *Service) Import(ctx context.Context, base string, in ImportInput) (CAInfo, error) {
	return CAInfo{}, errTODO
}

// CRL returns the current CRL (DER) of the active CA.
func (s *Service) CRL(ctx context.Context) ([]byte, error) { return nil, errTODO }

// OCSP answers a DER OCSP request with a DER OCSP response signed by the CA.
func (s *Service) OCSP(ctx context.Context, req []byte) ([]byte, error) { return nil, errTODO }

// DropCache forgets the cached CA and CRL (subscribed to Topic).
func (s *Service) DropCache(context.Context) {}

// CRLJob regenerates the CRL before its nextUpdate, and after a revocation another
// replica committed but did not get to publish. Every replica runs it; the CRL number
// is bumped under an optimistic check, so two replicas never publish the same number.
func (s *Service) CRLJob() worker.Job {
	return worker.Job{Name: "ca crl refresh", Every: time.Minute, Run: func(ctx context.Context) error { return nil }}
}

// ParseCSR parses one PEM "CERTIFICATE REQUEST", checks its signature and key (ECDSA
// P-256/P-384, RSA 2048–4096) and refuses garbage, several blocks and a private key
// pasted by mistake (never echoing it): an invalid error naming the field "csr".
func ParseCSR(pemText string) (*x509.CertificateRequest, error) { return nil, errTODO }

// ParseCertificatePEM parses one PEM CERTIFICATE given by hand (the manual method): not
// a CA, not expired at now, no private key, nothing else in the text; an invalid error
// naming the field "pem".
func ParseCertificatePEM(pemText string, now time.Time) (*x509.Certificate, error) {
	return nil, errTODO
}

// KeyAlgorithm names a public key: "ECDSA P-256", "RSA 2048", "Ed25519".
func KeyAlgorithm(pub any) string { return "" }

// Fingerprint is the lower-case hex SHA-256 of a certificate's DER.
func Fingerprint(der []byte) string { return "" }
