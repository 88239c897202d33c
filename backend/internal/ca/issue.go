package ca

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"net"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"software.sslmate.com/src/go-pkcs12"

	"custos/internal/platform/apperr"
)

// MaxBundlePassword bounds the password of a PKCS#12 bundle, in bytes.
const MaxBundlePassword = 128

// Issue signs a certificate for r.PublicKey and records it in the ledger, inside ctx's
// transaction when there is one.
func (s *Service) Issue(ctx context.Context, r IssueRequest) (Issued, error) {
	if err := checkKey(r.PublicKey, "csr"); err != nil {
		return Issued{}, err
	}
	a, cert, err := s.sign(ctx, r, nil)
	if err != nil {
		return Issued{}, err
	}
	return s.record(ctx, a, r, cert)
}

// IssueBundle makes a P-256 key, issues its certificate and answers both as PKCS#12
// (with the CA certificate) under password, which may be empty. The key is never stored.
// The bundle uses PBES2 with AES-256 and an HMAC-SHA-256 MAC (go-pkcs12's Modern2023),
// which OpenSSL 3, Chrome and Firefox read without legacy algorithms.
func (s *Service) IssueBundle(ctx context.Context, r IssueRequest, password string) (Issued, []byte, error) {
	if err := CheckBundlePassword(password); err != nil {
		return Issued{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Issued{}, nil, err
	}
	r.PublicKey = key.Public()
	a, cert, err := s.sign(ctx, r, nil)
	if err != nil {
		return Issued{}, nil, err
	}
	p12, err := pkcs12.Modern2023.Encode(key, cert, []*x509.Certificate{a.cert}, password)
	if err != nil {
		return Issued{}, nil, err
	}
	out, err := s.record(ctx, a, r, cert)
	return out, p12, err
}

// CheckBundlePassword refuses a PKCS#12 password the bundle cannot carry: longer than
// MaxBundlePassword bytes, not UTF-8, with a NUL (it ends the password for OpenSSL), or
// with a character outside the Basic Multilingual Plane (PKCS#12 writes passwords as
// UCS-2 BMPString, so go-pkcs12 cannot encode an emoji). Nothing of the password is echoed.
func CheckBundlePassword(password string) error {
	if len(password) > MaxBundlePassword {
		return invalid("password", "tooLong", fmt.Sprintf("must be at most %d bytes", MaxBundlePassword))
	}
	if !utf8.ValidString(password) {
		return invalid("password", "invalidCharacters", "must be UTF-8 text")
	}
	for _, c := range password {
		if c == 0 || c > 0xFFFF {
			return invalid("password", "invalidCharacters",
				"may not hold NUL or characters outside the Basic Multilingual Plane (such as emoji): PKCS#12 cannot encode them")
		}
	}
	return nil
}

// ServerCertificate issues a serverAuth certificate for hosts (IPs become IP SANs) with a
// fresh P-256 key, for the mTLS listener; the chain holds the CA certificate.
func (s *Service) ServerCertificate(ctx context.Context, hosts []string) (tls.Certificate, error) {
	if len(hosts) == 0 {
		return tls.Certificate{}, invalid("hosts", "required", "name at least one host")
	}
	cur, err := s.active(ctx)
	if err != nil {
		return tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	days := min(serverMaxDays, remainingDays(cur.cert, s.now()))
	r := IssueRequest{PublicKey: key.Public(), CommonName: hosts[0], Purpose: PurposeServer, ValidityDays: days}
	a, cert, err := s.sign(ctx, r, hosts)
	if err != nil {
		return tls.Certificate{}, err
	}
	if _, err := s.record(ctx, a, r, cert); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{cert.Raw, a.cert.Raw}, PrivateKey: key, Leaf: cert}, nil
}

func remainingDays(ca *x509.Certificate, now time.Time) int {
	return int(ca.NotAfter.Sub(now) / (24 * time.Hour))
}

// sign makes the certificate of r with the active CA; hosts become SANs.
func (s *Service) sign(ctx context.Context, r IssueRequest, hosts []string) (*authority, *x509.Certificate, error) {
	a, err := s.active(ctx)
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := s.template(a, r, hosts)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, r.PublicKey, a.key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return a, cert, err
}

// template is the certificate of r: the subject written by us, the lifetime checked
// against the CA's, the key usages of its purpose, and where to check its revocation.
func (s *Service) template(a *authority, r IssueRequest, hosts []string) (*x509.Certificate, error) {
	now := s.now()
	if left := remainingDays(a.cert, now); r.ValidityDays < 1 || r.ValidityDays > left {
		return nil, apperr.Invalid(apperr.Field("validity_days", "outOfRange",
			fmt.Sprintf("must be 1 to %d days: a certificate cannot outlive the CA (valid until %s)",
				max(left, 0), a.cert.NotAfter.UTC().Format(time.DateOnly))))
	}
	if r.CommonName == "" {
		return nil, invalid("name", "required", "a certificate needs a name")
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	base := s.baseURL()
	t := &x509.Certificate{SerialNumber: serial,
		Subject:   pkix.Name{CommonName: r.CommonName, Organization: []string{"Custos"}, OrganizationalUnit: []string{r.Purpose}},
		NotBefore: now.Add(-backdate), NotAfter: now.Add(time.Duration(r.ValidityDays) * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
		CRLDistributionPoints: []string{base + PathCRL}, OCSPServer: []string{base + PathOCSP},
		IssuingCertificateURL: []string{base + PathCACert}}
	if _, ok := r.PublicKey.(*rsa.PublicKey); ok {
		t.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	switch r.Purpose {
	case PurposeSystem:
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	case PurposeServer:
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		for _, h := range hosts {
			if ip := net.ParseIP(h); ip != nil {
				t.IPAddresses = append(t.IPAddresses, ip)
			} else {
				t.DNSNames = append(t.DNSNames, h)
			}
		}
	case PurposeDevice:
		if r.Subject == nil || r.KeyUsage == 0 {
			return nil, invalid("purpose", "invalidValue", "a device certificate needs its template's subject and key usages")
		}
		t.Subject, t.KeyUsage, t.UnknownExtKeyUsage = *r.Subject, r.KeyUsage, r.ExtKeyUsageOIDs
	default:
		return nil, invalid("purpose", "invalidValue", "must be system, server or device")
	}
	return t, nil
}

// record writes the ledger row of cert (in ctx's transaction when there is one).
func (s *Service) record(ctx context.Context, a *authority, r IssueRequest, cert *x509.Certificate) (Issued, error) {
	out := Issued{Serial: hexSerial(cert.SerialNumber), FingerprintSHA256: Fingerprint(cert.Raw),
		Subject: cert.Subject.String(), KeyAlgorithm: KeyAlgorithm(cert.PublicKey),
		NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
		PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))}
	row := certRow{ID: uuid.Must(uuid.NewV7()).String(), CAID: a.id, Serial: out.Serial, Fingerprint: out.FingerprintSHA256,
		Subject: out.Subject, Purpose: r.Purpose, OwnerID: r.OwnerID, NotBefore: out.NotBefore, NotAfter: out.NotAfter,
		PEM: out.PEM, CreatedAt: s.now()}
	if err := s.db.Tx(ctx, func(ctx context.Context) error { return s.store.insertCert(ctx, &row) }); err != nil {
		return Issued{}, err
	}
	return out, nil
}
