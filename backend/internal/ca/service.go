package ca

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	cryptobox "custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
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

// Lifetimes of what the CA makes.
const (
	CALifetime    = 10 * 365 * 24 * time.Hour
	CRLLifetime   = 24 * time.Hour
	OCSPLifetime  = time.Hour
	backdate      = 5 * time.Minute // clock skew between us and the relying party
	serverMaxDays = 397
)

// authority is a CA loaded for signing.
type authority struct {
	id       string
	cert     *x509.Certificate
	pem      string
	key      crypto.Signer
	imported bool
}

// Service is the certificate authority.
type Service struct {
	db    *db.DB
	store store
	box   *cryptobox.Box
	pub   Publisher
	log   *slog.Logger
	opts  Options
	now   func() time.Time

	mu   sync.Mutex
	auth []*authority // every CA, the active one first; nil until loaded
	crl  []byte       // the active CA's CRL; nil until loaded
}

// NewService wires the CA over d; its key is sealed with box.
func NewService(d *db.DB, box *cryptobox.Box, pub Publisher, log *slog.Logger, opts Options) *Service {
	return &Service{db: d, store: store{db: d}, box: box, pub: pub, log: log, opts: opts,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the service's clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// DropCache forgets the cached CAs and CRL (subscribed to Topic on every replica).
func (s *Service) DropCache(context.Context) {
	s.mu.Lock()
	s.auth, s.crl = nil, nil
	s.mu.Unlock()
}

// authorities returns every CA, the active one first, loading them once.
func (s *Service) authorities(ctx context.Context) ([]*authority, error) {
	s.mu.Lock()
	cached := s.auth
	s.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	rows, err := s.store.all(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !rows[0].Active {
		return nil, errNoCA
	}
	out := make([]*authority, 0, len(rows))
	for _, r := range rows {
		a, err := s.load(r)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	s.mu.Lock()
	s.auth = out
	s.mu.Unlock()
	return out, nil
}

// active returns the active CA.
func (s *Service) active(ctx context.Context) (*authority, error) {
	all, err := s.authorities(ctx)
	if err != nil {
		return nil, err
	}
	return all[0], nil
}

// load opens a stored CA: its certificate and its key, unsealed with the application key.
func (s *Service) load(r caRow) (*authority, error) {
	block, _ := pem.Decode([]byte(r.CertPEM))
	if block == nil {
		return nil, fmt.Errorf("ca %s: stored certificate is not PEM", r.ID)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("ca %s: %w", r.ID, err)
	}
	keyPEM, err := s.box.Open(r.KeySealed)
	if err != nil {
		return nil, fmt.Errorf("ca %s key: %w", r.ID, err)
	}
	kb, _ := pem.Decode([]byte(keyPEM))
	if kb == nil {
		return nil, fmt.Errorf("ca %s: stored key is not PEM", r.ID)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("ca %s key: %w", r.ID, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("ca %s: stored key cannot sign", r.ID)
	}
	return &authority{id: r.ID, cert: cert, pem: r.CertPEM, key: signer, imported: r.Imported}, nil
}

// Ensure makes the CA on first start (ECDSA P-256, 10 years) and its first CRL; later
// starts keep them. Two replicas starting at once make one CA: the loser reads the winner's.
func (s *Service) Ensure(ctx context.Context) error {
	_, ok, err := s.store.active(ctx)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.create(ctx); err != nil {
			return err
		}
	}
	a, err := s.active(ctx)
	if err != nil {
		return err
	}
	if _, ok, err := s.store.crl(ctx, a.id); err != nil || ok {
		return err
	}
	return s.RefreshCRL(ctx)
}

func (s *Service) create(ctx context.Context) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := s.now()
	serial, err := randomSerial()
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "Custos CA", Organization: []string{"Custos"}},
		NotBefore: now.Add(-backdate), NotAfter: now.Add(CALifetime), IsCA: true, BasicConstraintsValid: true,
		MaxPathLenZero: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	err = s.put(httpx.WithMeta(ctx, httpx.Meta{ActorType: "system", ActorName: "bootstrap"}), cert, key, false, "create")
	if db.IsUniqueViolation(err) {
		return nil // another replica made it first
	}
	return err
}

// put stores cert and key as the active CA (retiring the previous one) with its audit event.
func (s *Service) put(ctx context.Context, cert *x509.Certificate, key crypto.Signer, imported bool, action string) error {
	k8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	sealed, err := s.box.Seal(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k8})))
	if err != nil {
		return err
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	r := caRow{ID: uuid.Must(uuid.NewV7()).String(), Subject: cert.Subject.String(), Serial: hexSerial(cert.SerialNumber),
		Fingerprint: Fingerprint(cert.Raw), CertPEM: certPEM, KeySealed: sealed, Imported: imported, Active: true,
		NotBefore: cert.NotBefore, NotAfter: cert.NotAfter, CreatedAt: s.now()}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if imported {
			if err := s.store.deactivate(ctx); err != nil {
				return err
			}
		}
		if err := s.store.insertCA(ctx, &r); err != nil {
			return err
		}
		db.AfterCommit(ctx, func() { s.DropCache(ctx) })
		if err := s.publish(ctx); err != nil {
			return err
		}
		info := s.info(&authority{id: r.ID, cert: cert, imported: imported}, s.baseURL())
		return audit.Record(ctx, audit.Entry{Action: action, ResourceType: Resource, ResourceID: r.ID,
			ResourceName: r.Subject, After: info})
	})
}

func (s *Service) publish(ctx context.Context) error {
	if s.pub == nil {
		return nil
	}
	return s.pub.Publish(ctx, Topic)
}

// Import replaces the active CA with an administrator's certificate and key. The
// replaced CA is kept: OCSP still answers for the serials it issued.
func (s *Service) Import(ctx context.Context, base string, in ImportInput) (CAInfo, error) {
	cert, key, err := parseImport(in, s.now())
	if err != nil {
		return CAInfo{}, err
	}
	if err := s.put(ctx, cert, key, true, "import"); err != nil {
		if db.IsUniqueViolation(err) {
			return CAInfo{}, &apperr.Error{Kind: apperr.KindConflict, Code: "ca.alreadyKnown",
				Message: "This CA certificate was already used here.", Fields: []apperr.FieldError{
					apperr.Field("certificate", "duplicate", "this CA certificate was already imported or made here")}}
		}
		return CAInfo{}, err
	}
	s.DropCache(ctx)
	cctx, cancel := fresh()
	defer cancel()
	if err := s.RefreshCRL(cctx); err != nil {
		s.log.Error("make the imported CA's first CRL", "err", err)
	}
	return s.Info(ctx, base)
}

// Info describes the active CA; base is the scheme and host of the request, used for the
// URLs when no public URL is configured.
func (s *Service) Info(ctx context.Context, base string) (CAInfo, error) {
	a, err := s.active(ctx)
	if err != nil {
		return CAInfo{}, err
	}
	if s.opts.PublicURL != "" || base == "" {
		base = s.baseURL()
	}
	return s.info(a, strings.TrimRight(base, "/")), nil
}

func (s *Service) info(a *authority, base string) CAInfo {
	return CAInfo{Subject: a.cert.Subject.String(), Serial: hexSerial(a.cert.SerialNumber),
		FingerprintSHA256: Fingerprint(a.cert.Raw), KeyAlgorithm: KeyAlgorithm(a.cert.PublicKey),
		NotBefore: a.cert.NotBefore.UTC(), NotAfter: a.cert.NotAfter.UTC(), Imported: a.imported,
		CACrtURL: base + PathCACert, CRLURL: base + PathCRL, OCSPURL: base + PathOCSP}
}

// baseURL is where issued certificates point: CUSTOS_PUBLIC_URL, else http:// and the
// listen address, with an unspecified host (":8080", "0.0.0.0") read as 127.0.0.1.
func (s *Service) baseURL() string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(s.opts.ListenAddr)
	if err != nil || port == "" {
		return "http://127.0.0.1:8080"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// CertificatePEM returns the active CA certificate in PEM.
func (s *Service) CertificatePEM(ctx context.Context) (string, error) {
	a, err := s.active(ctx)
	if err != nil {
		return "", err
	}
	return a.pem, nil
}

// Roots returns the CA certificates (the active one and any replaced) as a pool.
func (s *Service) Roots(ctx context.Context) (*x509.CertPool, error) {
	all, err := s.authorities(ctx)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	for _, a := range all {
		pool.AddCert(a.cert)
	}
	return pool, nil
}

// randomSerial is a positive random 128-bit serial number.
func randomSerial() (*big.Int, error) {
	for {
		n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
		if err != nil {
			return nil, err
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

func hexSerial(n *big.Int) string { return n.Text(16) }

// fresh is a context for work after a commit: the transaction the request's context
// carried is over, and the request itself may be gone.
func fresh() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}
