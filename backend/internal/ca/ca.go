// Package ca is Custos's own certificate authority: the CA key pair (made on first start
// or imported, the key sealed with the application key), the ledger of every certificate
// it issued, the CRL every replica serves, the OCSP responder, and the /pki endpoints.
// Other features (integrated systems) issue and revoke through Service.
package ca

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"time"

	"custos/internal/platform/apperr"
)

// Topic is the platform/changes topic of the CA: an import or a revocation drops the
// cached CA and CRL on every replica.
const Topic = "ca"

// Audit resource type of the certificate authority.
const Resource = "ca"

// Purposes of issued certificates; the purpose is the subject's OU.
const (
	PurposeSystem = "system" // client authentication of an integrated system (mTLS)
	PurposeServer = "server" // the mTLS listener's own certificate
	// PurposeDevice is a person's certificate on a hardware device, made per a
	// certificate template: its subject and usages come with the request.
	PurposeDevice = "device"
)

// Paths of the public endpoints, joined to the public URL in issued certificates.
const (
	PathCACert = "/pki/ca.crt"
	PathCRL    = "/pki/crl"
	PathOCSP   = "/pki/ocsp"
)

// Revocation reasons of RFC 5280 §5.3.1 the API accepts, by name.
var Reasons = map[string]int{
	"unspecified":          0,
	"keyCompromise":        1,
	"affiliationChanged":   3,
	"superseded":           4,
	"cessationOfOperation": 5,
	"privilegeWithdrawn":   9,
}

// ReasonNames are the names of Reasons in a stable order (for validation messages and enums).
var ReasonNames = []string{"unspecified", "keyCompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "privilegeWithdrawn"}

// ReasonName returns the RFC 5280 name of a reason code ("" when unknown).
func ReasonName(code int) string {
	for n, c := range Reasons {
		if c == code {
			return n
		}
	}
	return ""
}

// IssueRequest asks for a certificate. The CA writes the subject itself (a CSR's subject
// is not trusted): CN = CommonName, O = "Custos", OU = Purpose.
type IssueRequest struct {
	PublicKey    any    // from the parsed CSR (csr method); nil for IssueBundle
	CommonName   string // the system's name
	Purpose      string // PurposeSystem (client auth) or PurposeServer
	OwnerID      string // the owner's id (the system), kept in the ledger
	ValidityDays int    // 1..the CA's remaining life; beyond → invalid, field "validity_days"
	// For PurposeDevice only: the whole subject (CommonName is its CN), the key usages
	// and the extended key usages of the template.
	Subject         *pkix.Name
	KeyUsage        x509.KeyUsage
	ExtKeyUsageOIDs []asn1.ObjectIdentifier
}

// Issued is a certificate the CA signed.
type Issued struct {
	Serial            string // lower-case hex
	FingerprintSHA256 string // lower-case hex of the DER
	Subject           string // RFC 4514 string
	KeyAlgorithm      string // "ECDSA P-256", "RSA 2048", …
	NotBefore         time.Time
	NotAfter          time.Time
	PEM               string
}

// CAInfo describes the active certificate authority.
type CAInfo struct {
	Subject           string    `json:"subject" example:"CN=Custos CA,O=Custos"`
	Serial            string    `json:"serial"`
	FingerprintSHA256 string    `json:"fingerprint_sha256"`
	KeyAlgorithm      string    `json:"key_algorithm" example:"ECDSA P-256"`
	NotBefore         time.Time `json:"not_before"`
	NotAfter          time.Time `json:"not_after"`
	// Imported is true when an administrator imported the CA, false when Custos made it.
	Imported bool   `json:"imported"`
	CACrtURL string `json:"ca_crt_url" example:"https://custos.example.com/pki/ca.crt"`
	CRLURL   string `json:"crl_url" example:"https://custos.example.com/pki/crl"`
	OCSPURL  string `json:"ocsp_url" example:"https://custos.example.com/pki/ocsp"`
} //	@name	CAInfo

// ImportInput replaces the active CA with one made elsewhere.
type ImportInput struct {
	// Certificate is one PEM CERTIFICATE: a CA (basic constraints CA, key usage
	// keyCertSign), not expired.
	Certificate string `json:"certificate"`
	// PrivateKey is the CA's PEM private key (PKCS#8, EC or RSA), unencrypted. Write-only:
	// sealed with the application key, never returned or logged.
	PrivateKey string `json:"private_key"`
} //	@name	CAImport

// Public errors.
var (
	errNoCA = apperr.New(apperr.KindUnavailable, "ca.notReady",
		"The certificate authority is not set up yet; try again in a moment.")
	errUnknownSerial = apperr.New(apperr.KindNotFound, "ca.unknownSerial",
		"This certificate authority issued no certificate with that serial number.")
)
