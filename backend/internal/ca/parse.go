package ca

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"custos/internal/platform/apperr"
)

// MaxPEM bounds any PEM text we parse (a 4096-bit RSA chain is far below it).
const MaxPEM = 64 << 10

func invalid(field, code, msg string) error { return apperr.Invalid(apperr.Field(field, code, msg)) }

// oneBlock decodes the only PEM block of text, which must be of type want. Nothing of
// the text is echoed in the errors: it may be a private key pasted by mistake.
func oneBlock(text, want, field string) (*pem.Block, error) {
	if len(text) > MaxPEM {
		return nil, invalid(field, "tooLong", fmt.Sprintf("must be at most %d bytes", MaxPEM))
	}
	rest := []byte(strings.TrimSpace(text))
	block, rest := pem.Decode(rest)
	if block == nil {
		return nil, invalid(field, "invalidFormat", "is not PEM: expected one -----BEGIN "+want+"----- block")
	}
	if strings.Contains(block.Type, "PRIVATE KEY") {
		return nil, invalid(field, "privateKey", "holds a private key; never send a private key, send the "+strings.ToLower(want)+" only")
	}
	if block.Type != want {
		return nil, invalid(field, "invalidFormat", "expected a "+want+" block, got another kind of PEM block")
	}
	if len(block.Headers) > 0 {
		return nil, invalid(field, "invalidFormat", "the PEM block must have no headers (an encrypted block?)")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		if b, _ := pem.Decode(rest); b != nil && strings.Contains(b.Type, "PRIVATE KEY") {
			return nil, invalid(field, "privateKey", "holds a private key too; never send a private key")
		}
		return nil, invalid(field, "severalBlocks", "must hold exactly one "+want+" block and nothing after it")
	}
	return block, nil
}

// ParseCSR parses one PEM "CERTIFICATE REQUEST", checks its signature and key (ECDSA
// P-256/P-384, RSA 2048–4096) and refuses garbage, several blocks and a private key
// pasted by mistake (never echoing it): an invalid error naming the field "csr".
func ParseCSR(pemText string) (*x509.CertificateRequest, error) {
	block, err := oneBlock(pemText, "CERTIFICATE REQUEST", "csr")
	if err != nil {
		return nil, err
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, invalid("csr", "invalidFormat", "is not a PKCS#10 certificate request")
	}
	if err := checkKey(csr.PublicKey, "csr"); err != nil {
		return nil, err
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, invalid("csr", "badSignature", "its signature does not verify with its own key")
	}
	return csr, nil
}

// checkKey accepts the keys we issue for: ECDSA P-256/P-384 and RSA 2048–4096.
func checkKey(pub any, field string) error {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() {
			return nil
		}
		return invalid(field, "unsupportedKey", "ECDSA keys must be on P-256 or P-384")
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < 2048 || n > 4096 {
			return invalid(field, "weakKey", fmt.Sprintf("RSA keys must be 2048 to 4096 bits, not %d", n))
		}
		return nil
	case nil:
		return invalid(field, "required", "has no public key")
	}
	return invalid(field, "unsupportedKey", "the key must be ECDSA P-256/P-384 or RSA 2048–4096")
}

// ParseCertificatePEM parses one PEM CERTIFICATE given by hand (the manual method): not
// a CA, not expired at now, no private key, nothing else in the text; an invalid error
// naming the field "pem".
func ParseCertificatePEM(pemText string, now time.Time) (*x509.Certificate, error) {
	block, err := oneBlock(pemText, "CERTIFICATE", "pem")
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, invalid("pem", "invalidFormat", "is not an X.509 certificate")
	}
	switch {
	case cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign != 0:
		return nil, invalid("pem", "caCertificate", "is a CA certificate; add the system's own (leaf) certificate")
	case !now.Before(cert.NotAfter):
		return nil, invalid("pem", "expired", "expired on "+cert.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(cert.NotBefore):
		return nil, invalid("pem", "notYetValid", "is not valid before "+cert.NotBefore.UTC().Format(time.RFC3339))
	}
	return cert, nil
}

// KeyAlgorithm names a public key: "ECDSA P-256", "RSA 2048", "Ed25519".
func KeyAlgorithm(pub any) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return "unknown"
}

// Fingerprint is the lower-case hex SHA-256 of a certificate's DER.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// parseImport checks an imported CA: one CA certificate with keyCertSign, valid now,
// and its private key.
func parseImport(in ImportInput, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	block, err := oneBlock(in.Certificate, "CERTIFICATE", "certificate")
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	switch {
	case err != nil:
		return nil, nil, invalid("certificate", "invalidFormat", "is not an X.509 certificate")
	case !cert.BasicConstraintsValid || !cert.IsCA:
		return nil, nil, invalid("certificate", "notCA", "is not a CA certificate (basic constraints CA:TRUE)")
	case cert.KeyUsage&x509.KeyUsageCertSign == 0:
		return nil, nil, invalid("certificate", "noKeyCertSign", "its key usage does not allow signing certificates (keyCertSign)")
	case !now.Before(cert.NotAfter):
		return nil, nil, invalid("certificate", "expired", "expired on "+cert.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(cert.NotBefore):
		return nil, nil, invalid("certificate", "notYetValid", "is not valid before "+cert.NotBefore.UTC().Format(time.RFC3339))
	}
	if err := checkCAKey(cert.PublicKey); err != nil {
		return nil, nil, err
	}
	key, err := parsePrivateKey(in.PrivateKey)
	if err != nil {
		return nil, nil, err
	}
	if !samePublic(key.Public(), cert.PublicKey) {
		return nil, nil, invalid("private_key", "mismatch", "does not belong to the certificate's public key")
	}
	return cert, key, nil
}

func checkCAKey(pub any) error {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() || k.Curve == elliptic.P384() || k.Curve == elliptic.P521() {
			return nil
		}
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return nil
		}
		return invalid("certificate", "weakKey", "the CA's RSA key must be at least 2048 bits")
	}
	return invalid("certificate", "unsupportedKey", "the CA's key must be ECDSA (P-256, P-384, P-521) or RSA")
}

// parsePrivateKey reads one unencrypted PEM private key: PKCS#8, SEC 1 (EC) or PKCS#1 (RSA).
func parsePrivateKey(text string) (crypto.Signer, error) {
	const field = "private_key"
	if len(text) > MaxPEM {
		return nil, invalid(field, "tooLong", fmt.Sprintf("must be at most %d bytes", MaxPEM))
	}
	block, rest := pem.Decode([]byte(strings.TrimSpace(text)))
	switch {
	case block == nil:
		return nil, invalid(field, "invalidFormat", "is not a PEM private key")
	case len(bytes.TrimSpace(rest)) > 0:
		return nil, invalid(field, "severalBlocks", "must hold exactly one private key block")
	case block.Type == "ENCRYPTED PRIVATE KEY" || len(block.Headers) > 0:
		return nil, invalid(field, "encrypted", "is encrypted; export the key without a passphrase")
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, invalid(field, "invalidFormat", "expected a PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block")
	}
	if err != nil {
		return nil, invalid(field, "invalidFormat", "the private key does not parse")
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, invalid(field, "unsupportedKey", "this kind of private key cannot sign")
	}
	return signer, nil
}

func samePublic(a, b any) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}
