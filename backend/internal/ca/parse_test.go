package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/httpx"
)

func csrPEM(t testing.TB, key crypto.Signer) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "x"}}, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func keyPEM(t testing.TB, key any) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func ecKey(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	return k
}

// assertRefused checks err is a 400 problem naming field with code, and that the answer
// a client would read holds nothing of secret.
func assertRefused(t *testing.T, err error, field, code, secret string) {
	t.Helper()
	require.Error(t, err)
	p := httpx.ToProblem(err)
	assert.Equal(t, 400, p.Status, err.Error())
	require.Len(t, p.Errors, 1, err.Error())
	assert.Equal(t, field, p.Errors[0].Field)
	assert.Equal(t, code, p.Errors[0].Code, err.Error())
	if secret != "" {
		assert.NotContains(t, err.Error()+p.Detail+p.Errors[0].Message, secret)
	}
}

func TestParseCSRAcceptsTheKeysWeIssueFor(t *testing.T) {
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	for name, k := range map[string]crypto.Signer{"P-256": ecKey(t, elliptic.P256()), "P-384": ecKey(t, elliptic.P384()), "RSA 2048": rsa2048} {
		csr, err := ParseCSR(csrPEM(t, k))
		require.NoError(t, err, name)
		assert.Contains(t, KeyAlgorithm(csr.PublicKey), strings.Split(name, " ")[0])
	}
	csr, err := ParseCSR("\n  " + csrPEM(t, ecKey(t, elliptic.P256())) + "\n\n")
	require.NoError(t, err, "surrounding blank space is fine")
	assert.Equal(t, "ECDSA P-256", KeyAlgorithm(csr.PublicKey))
}

func TestParseCSRRefusesBadInputNamingTheField(t *testing.T) {
	p256 := ecKey(t, elliptic.P256())
	good := csrPEM(t, p256)
	block, _ := pem.Decode([]byte(good))
	tampered := append([]byte(nil), block.Bytes...)
	tampered[len(tampered)-3] ^= 0xff // inside the signature
	badSig := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: tampered}))
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	pasted := keyPEM(t, p256)
	secret := strings.Split(pasted, "\n")[1]

	cases := []struct{ name, in, code string }{
		{"empty", "", "invalidFormat"},
		{"garbage", "hello, this is not PEM", "invalidFormat"},
		{"garbage inside the PEM armour", "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgcmVxdWVzdA==\n-----END CERTIFICATE REQUEST-----\n", "invalidFormat"},
		{"a bad signature", badSig, "badSignature"},
		{"RSA 1024", csrPEM(t, rsa1024), "weakKey"},
		{"P-224", csrPEM(t, ecKey(t, elliptic.P224())), "unsupportedKey"},
		{"P-521", csrPEM(t, ecKey(t, elliptic.P521())), "unsupportedKey"},
		{"Ed25519", csrPEM(t, edKey), "unsupportedKey"},
		{"two requests", good + good, "severalBlocks"},
		{"a request and text after it", good + "trailing words", "severalBlocks"},
		{"a private key pasted", pasted, "privateKey"},
		{"a request followed by its key", good + pasted, "privateKey"},
		{"an EC PRIVATE KEY", strings.ReplaceAll(pasted, "PRIVATE KEY", "EC PRIVATE KEY"), "privateKey"},
		{"a certificate instead", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "invalidFormat"},
		{"too long", strings.Repeat("A", MaxPEM+1), "tooLong"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseCSR(c.in)
			assertRefused(t, err, "csr", c.code, secret)
		})
	}
}

// leaf makes a certificate signed by itself or by parent.
func leaf(t testing.TB, tmpl *x509.Certificate, key *ecdsa.PrivateKey) string {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestParseCertificatePEMForTheManualMethod(t *testing.T) {
	now := time.Now()
	k := ecKey(t, elliptic.P256())
	ok := leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "SIGEX client"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(24 * time.Hour)}, k)
	cert, err := ParseCertificatePEM(ok, now)
	require.NoError(t, err)
	assert.Equal(t, "SIGEX client", cert.Subject.CommonName)
	assert.Len(t, Fingerprint(cert.Raw), 64)

	caCert := leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "root"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, k)
	expired := leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "old"}, NotBefore: now.Add(-48 * time.Hour),
		NotAfter: now.Add(-time.Hour)}, k)
	future := leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "later"}, NotBefore: now.Add(time.Hour),
		NotAfter: now.Add(48 * time.Hour)}, k)
	pasted := keyPEM(t, k)
	for _, c := range []struct{ name, in, code string }{
		{"a CA certificate", caCert, "caCertificate"},
		{"expired", expired, "expired"},
		{"not yet valid", future, "notYetValid"},
		{"two certificates", ok + ok, "severalBlocks"},
		{"a private key", pasted, "privateKey"},
		{"a certificate and its key", ok + pasted, "privateKey"},
		{"a CSR", csrPEM(t, k), "invalidFormat"},
		{"garbage", "not pem", "invalidFormat"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseCertificatePEM(c.in, now)
			assertRefused(t, err, "pem", c.code, strings.Split(pasted, "\n")[1])
		})
	}
}

func TestBaseURL(t *testing.T) {
	for _, c := range []struct{ public, addr, want string }{
		{"https://custos.example.com/", "0.0.0.0:8080", "https://custos.example.com"},
		{"https://example.com/custos", "", "https://example.com/custos"},
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", ":9000", "http://127.0.0.1:9000"},
		{"", "0.0.0.0:8443", "http://127.0.0.1:8443"},
		{"", "[::]:8080", "http://127.0.0.1:8080"},
		{"", "custos.internal:8080", "http://custos.internal:8080"},
		{"", "[2001:db8::1]:80", "http://[2001:db8::1]:80"},
		{"", "", "http://127.0.0.1:8080"},
	} {
		s := &Service{opts: Options{PublicURL: c.public, ListenAddr: c.addr}}
		assert.Equal(t, c.want, s.baseURL(), "%+v", c)
	}
}

func TestReasonNamesMatchRFC5280(t *testing.T) {
	assert.Len(t, ReasonNames, len(Reasons))
	for _, n := range ReasonNames {
		assert.Equal(t, n, ReasonName(Reasons[n]))
	}
	assert.Equal(t, "", ReasonName(2), "cACompromise is not ours to give")
}

func leafFor(t testing.TB, k *ecdsa.PrivateKey, now time.Time) string {
	return leaf(t, &x509.Certificate{Subject: pkix.Name{CommonName: "seed"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour)}, k)
}
