package apitest

import (
	"encoding/base64"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/ca"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/testutil"
)

// ossl runs openssl in dir and returns its combined output and whether it exited 0.
// openssl is the judge of what the CA makes: software we did not write.
func ossl(t *testing.T, dir string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("openssl %v: %v", args, err)
	}
	return string(out), err == nil
}

func mustOSSL(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, ok := ossl(t, dir, args...)
	require.True(t, ok, "openssl %v:\n%s", args, out)
	return out
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// fetchPKI saves ca.crt and the CRL (as PEM, through openssl) of the app into dir.
func fetchPKI(t *testing.T, a *testutil.TestApp, dir string) {
	t.Helper()
	anon := a.Anonymous()
	r := anon.Do("GET", "/pki/ca.crt", nil)
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, "application/x-pem-file", r.Header.Get("Content-Type"))
	write(t, dir, "ca.crt", r.Body)
	r = anon.Do("GET", "/pki/crl", nil)
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, "application/pkix-crl", r.Header.Get("Content-Type"))
	write(t, dir, "crl.der", r.Body)
	mustOSSL(t, dir, "crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem")
}

// csrFromOpenSSL makes a key and a request with openssl, with a subject of its own that
// the CA must not copy.
func csrFromOpenSSL(t *testing.T, dir string) *ca.IssueRequest {
	t.Helper()
	mustOSSL(t, dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", "x.key", "-subj", "/CN=Root Impostor/O=Another Org", "-out", "x.csr")
	csr, err := ca.ParseCSR(read(t, dir, "x.csr"))
	require.NoError(t, err)
	return &ca.IssueRequest{PublicKey: csr.PublicKey, CommonName: "ERP gateway", Purpose: ca.PurposeSystem,
		OwnerID: "00000000-0000-7000-8000-000000000001", ValidityDays: 30}
}

// A certificate issued from an openssl CSR and one from a PKCS#12 bundle pass `openssl
// verify`; the bundle opens with an empty password and no -legacy; after a revoke the CRL
// and the OCSP responder (GET and POST) both say so.
func TestCAIssuesWhatOpenSSLAcceptsAndRevokes(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.PublicURL = "https://custos.example.test/" })
		dir := t.TempDir()
		fetchPKI(t, a, dir)
		ctx := testutil.Ctx()

		req := csrFromOpenSSL(t, dir)
		x, err := a.CA.Issue(ctx, *req)
		require.NoError(t, err)
		write(t, dir, "x.pem", []byte(x.PEM))
		assert.Contains(t, mustOSSL(t, dir, "verify", "-CAfile", "ca.crt", "x.pem"), "x.pem: OK")
		text := mustOSSL(t, dir, "x509", "-in", "x.pem", "-noout", "-text", "-nameopt", "RFC2253")
		assert.Contains(t, text, "Subject: CN=ERP gateway,OU=system,O=Custos", "the CA writes the subject, not the CSR")
		assert.NotContains(t, text, "Impostor")
		assert.Contains(t, text, "URI:https://custos.example.test/pki/crl")
		assert.Contains(t, text, "OCSP - URI:https://custos.example.test/pki/ocsp")
		assert.Contains(t, text, "TLS Web Client Authentication")
		assert.Equal(t, "ECDSA P-256", x.KeyAlgorithm)
		serial, ok := new(big.Int).SetString(x.Serial, 16)
		require.True(t, ok, x.Serial)
		assert.Greater(t, serial.BitLen(), 96, "a random 128-bit serial")
		assert.LessOrEqual(t, serial.BitLen(), 128)
		// The key openssl kept matches the certificate we issued for its request.
		assert.Equal(t, mustOSSL(t, dir, "pkey", "-in", "x.key", "-pubout"), mustOSSL(t, dir, "x509", "-in", "x.pem", "-noout", "-pubkey"))

		b, p12, err := a.CA.IssueBundle(ctx, ca.IssueRequest{CommonName: "Browser of ERP", Purpose: ca.PurposeSystem, ValidityDays: 7}, "")
		require.NoError(t, err)
		write(t, dir, "b.p12", p12)
		info := mustOSSL(t, dir, "pkcs12", "-info", "-nokeys", "-passin", "pass:", "-in", "b.p12")
		assert.Contains(t, info, "PBES2", "modern encryption, readable without -legacy")
		assert.Contains(t, info, "subject=O = Custos, OU = system, CN = Browser of ERP")
		assert.Contains(t, info, "subject=O = Custos, CN = Custos CA", "the bundle carries the CA certificate")
		mustOSSL(t, dir, "pkcs12", "-in", "b.p12", "-passin", "pass:", "-clcerts", "-nokeys", "-out", "b.pem")
		keyOut := mustOSSL(t, dir, "pkcs12", "-in", "b.p12", "-passin", "pass:", "-nocerts", "-noenc")
		assert.Contains(t, keyOut, "BEGIN PRIVATE KEY")
		assert.Contains(t, mustOSSL(t, dir, "verify", "-CAfile", "ca.crt", "b.pem"), "b.pem: OK")
		bSerial, _ := new(big.Int).SetString(strings.TrimPrefix(strings.TrimSpace(
			mustOSSL(t, dir, "x509", "-in", "b.pem", "-noout", "-serial")), "serial="), 16)
		assert.Equal(t, b.Serial, bSerial.Text(16), "the bundle holds the certificate IssueBundle answered")
		assert.Contains(t, mustOSSL(t, dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "x.pem"), "x.pem: OK")
		assert.Equal(t, int64(0), testutil.Count(t, a, "ca_certificates", "pem LIKE ?", "%PRIVATE KEY%"))

		ocspURL := a.URL + ca.PathOCSP
		assert.Contains(t, mustOSSL(t, dir, "ocsp", "-issuer", "ca.crt", "-cert", "x.pem", "-url", ocspURL, "-CAfile", "ca.crt"),
			"x.pem: good")
		assert.Contains(t, mustOSSL(t, dir, "ocsp", "-issuer", "ca.crt", "-serial", "0x1234abcd", "-url", ocspURL, "-CAfile", "ca.crt"),
			": unknown", "a serial the CA never issued")

		require.NoError(t, a.CA.Revoke(ctx, x.Serial, ca.Reasons["keyCompromise"]))
		fetchPKI(t, a, dir)
		out, ok := ossl(t, dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "x.pem")
		assert.False(t, ok, out)
		assert.Contains(t, out, "certificate revoked")
		assert.Contains(t, mustOSSL(t, dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "b.pem"), "b.pem: OK",
			"the other certificate stays good")
		crl := mustOSSL(t, dir, "crl", "-in", "crl.pem", "-noout", "-text")
		assert.Contains(t, crl, "Key Compromise")
		assert.Regexp(t, `CRL Number:\s*\n\s*2\n`, crl, "the revocation made the second CRL")

		post := mustOSSL(t, dir, "ocsp", "-issuer", "ca.crt", "-cert", "x.pem", "-url", ocspURL, "-CAfile", "ca.crt")
		assert.Contains(t, post, "x.pem: revoked")
		assert.Contains(t, post, "Response verify OK")
		assert.Contains(t, post, "Reason: keyCompromise")

		// GET: the base64 request in the path (RFC 6960 A.1), answered the same.
		mustOSSL(t, dir, "ocsp", "-issuer", "ca.crt", "-cert", "x.pem", "-no_nonce", "-reqout", "req.der")
		reqB64 := base64.StdEncoding.EncodeToString([]byte(read(t, dir, "req.der")))
		r := a.Anonymous().Do("GET", ca.PathOCSP+"/"+url.PathEscape(reqB64), nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "application/ocsp-response", r.Header.Get("Content-Type"))
		write(t, dir, "resp.der", r.Body)
		get := mustOSSL(t, dir, "ocsp", "-respin", "resp.der", "-issuer", "ca.crt", "-cert", "x.pem", "-CAfile", "ca.crt")
		assert.Contains(t, get, "x.pem: revoked")
		assert.Contains(t, get, "Response verify OK")

		// Revoking twice keeps the first revocation; an unknown serial is a 404 error.
		require.NoError(t, a.CA.Revoke(ctx, x.Serial, 0))
		assert.Contains(t, mustOSSL(t, dir, "ocsp", "-issuer", "ca.crt", "-cert", "x.pem", "-url", ocspURL, "-CAfile", "ca.crt"),
			"Reason: keyCompromise")
		err = a.CA.Revoke(ctx, "abcdef", 0)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "ca.unknownSerial")
	})
}

// Bad OCSP input is answered by the protocol (malformedRequest) or a 400 problem, never a 500.
func TestOCSPRefusesGarbage(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	dir := t.TempDir()
	r := testutil.Raw(t, a, "POST", ca.PathOCSP, []byte("not an ocsp request"), map[string]string{"Content-Type": "application/ocsp-request"})
	require.Equal(t, 200, r.Status, r.String())
	write(t, dir, "bad.der", r.Body)
	out, _ := ossl(t, dir, "ocsp", "-respin", "bad.der", "-resp_text", "-noverify")
	assert.Contains(t, out, "malformedrequest")
	testutil.AssertProblem(t, a.Anonymous().Do("GET", ca.PathOCSP+"/not*base64", nil), 400, "ca.badOcspRequest")
	big := testutil.Raw(t, a, "POST", ca.PathOCSP, []byte(strings.Repeat("A", 20000)), nil)
	testutil.AssertProblem(t, big, 400, "ca.badOcspRequest")
}

// The validity may not run past the CA's own; the p12 password is bounded.
func TestCAIssueRefusesValidityBeyondTheCA(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	ctx := testutil.Ctx()
	dir := t.TempDir()
	req := csrFromOpenSSL(t, dir)
	for _, days := range []int{0, -1, 3651, 1 << 30} {
		req.ValidityDays = days
		_, err := a.CA.Issue(ctx, *req)
		requireField(t, err, "validity_days")
	}
	_, _, err := a.CA.IssueBundle(ctx, ca.IssueRequest{CommonName: "x", Purpose: ca.PurposeSystem, ValidityDays: 1},
		strings.Repeat("p", 10<<10))
	requireField(t, err, "password")
	assert.Equal(t, int64(0), testutil.Count(t, a, "ca_certificates", "1 = 1"), "nothing issued")
}

func requireField(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	p := httpx.ToProblem(err)
	assert.Equal(t, 400, p.Status, err.Error())
	require.NotEmpty(t, p.Errors, err.Error())
	assert.Equal(t, field, p.Errors[0].Field, err.Error())
}
