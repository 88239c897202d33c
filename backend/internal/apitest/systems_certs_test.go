package apitest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func p256(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

// csrPEM is a PKCS#10 request of key with a subject the CA must not trust.
func csrPEM(t *testing.T, key crypto.Signer) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject: pkix.Name{CommonName: "tech_admin", Organization: []string{"Evil Corp"}}}, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

// selfSigned makes a self-signed client certificate (SIGEX style) valid from notBefore
// to notAfter; mutate may change the template.
func selfSigned(t *testing.T, cn string, notBefore, notAfter time.Time, mutate func(*x509.Certificate)) (string, *ecdsa.PrivateKey) {
	t.Helper()
	key := p256(t)
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if mutate != nil {
		mutate(tpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), key
}

func keyPEM(t *testing.T, key crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// openssl runs openssl and returns its combined output and error.
func openssl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("openssl", args...).CombinedOutput()
	return string(out), err
}

func TestSystemCertificatesThreeWaysIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id := newSystem(t, admin, "Document archive", "users.read")
		base := "/api/v1/systems/" + id + "/certificates"
		dir := t.TempDir()
		caPEM := anonGet(t, a, "/pki/ca.crt")
		require.NoError(t, os.WriteFile(filepath.Join(dir, "ca.crt"), []byte(caPEM), 0o600))

		// csr: the CA signs the request with its own subject; openssl accepts it.
		key := p256(t)
		r := testutil.MustCreate(t, admin, base, map[string]any{"method": "csr", "csr": csrPEM(t, key), "validity_days": 90})
		csrID := r.Str("id")
		assert.Equal(t, "csr", r.Str("origin"))
		assert.Equal(t, "active", r.Str("status"))
		assert.Equal(t, true, r.Get("enabled"))
		assert.Contains(t, r.Str("subject"), "CN=Document archive")
		assert.NotContains(t, r.Str("subject"), "Evil Corp", "the CSR's subject is not trusted")
		assert.Equal(t, "ECDSA P-256", r.Str("key_algorithm"))
		assert.Len(t, r.Str("fingerprint_sha256"), 64)
		assert.Nil(t, r.Get("p12"), "only a bundle carries p12")
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		notAfter, err := time.Parse(time.RFC3339, r.Str("not_after"))
		require.NoError(t, err)
		assert.InDelta(t, 90*24, time.Until(notAfter).Hours(), 25)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "csr.crt"), []byte(r.Str("pem")), 0o600))
		out, err := openssl(t, "verify", "-CAfile", filepath.Join(dir, "ca.crt"), filepath.Join(dir, "csr.crt"))
		require.NoError(t, err, out)
		assert.Contains(t, out, "OK")

		// p12: the bundle and the CA certificate, answered once; the key is not kept.
		r = testutil.MustCreate(t, admin, base, map[string]any{"method": "p12", "password": ""})
		p12ID := r.Str("id")
		assert.Equal(t, "p12", r.Str("origin"))
		assert.Equal(t, caPEM, r.Str("ca_certificate"))
		bundle, err := base64.StdEncoding.DecodeString(r.Str("p12"))
		require.NoError(t, err)
		bkey, bcert, _, err := pkcs12.DecodeChain(bundle, "")
		require.NoError(t, err)
		assert.Equal(t, r.Str("fingerprint_sha256"), fingerprintOf(bcert.Raw))
		require.NotNil(t, bkey)
		got := admin.Do("GET", base+"/"+p12ID, nil)
		require.Equal(t, 200, got.Status, got.String())
		assert.Nil(t, got.Get("p12"), "the bundle is answered once")
		assert.Equal(t, int64(0), testutil.Count(t, a, "system_certificates", "pem LIKE ?", "%PRIVATE%"))

		// manual: a self-signed certificate, trusted by its fingerprint.
		selfPEM, _ := selfSigned(t, "sigex-like", time.Now().Add(-time.Hour), time.Now().Add(365*24*time.Hour), nil)
		r = testutil.MustCreate(t, admin, base, map[string]any{"method": "manual", "pem": selfPEM})
		manualID := r.Str("id")
		assert.Equal(t, "manual", r.Str("origin"))
		assert.Equal(t, "CN=sigex-like", r.Str("issuer"))
		assert.Equal(t, selfPEM, r.Str("pem"))
		testutil.AssertProblem(t, admin.Do("POST", base, map[string]any{"method": "manual", "pem": selfPEM}),
			409, "certificate.duplicateFingerprint")

		// Enable switch with the version, revoke with a reason; status precedence.
		p := admin.Do("PATCH", base+"/"+manualID, map[string]any{"version": 1, "enabled": false})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, "disabled", p.Str("status"))
		testutil.AssertProblem(t, admin.Do("PATCH", base+"/"+manualID, map[string]any{"version": 1, "enabled": true}),
			409, "resource.versionConflict")
		testutil.AssertProblem(t, admin.Do("POST", base+"/"+csrID+"/revoke", map[string]any{"reason": "stolen"}), 400, "validation.failed")
		rv := admin.Do("POST", base+"/"+csrID+"/revoke", map[string]any{"reason": "keyCompromise"})
		require.Equal(t, 200, rv.Status, rv.String())
		assert.Equal(t, "revoked", rv.Str("status"))
		assert.Equal(t, "keyCompromise", rv.Str("revocation_reason"))
		assert.NotNil(t, rv.Get("revoked_at"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "ca_certificates", "serial = ? AND revoked_at IS NOT NULL", rv.Str("serial")),
			"a CA-issued certificate is revoked in the CA's ledger too")
		again := admin.Do("POST", base+"/"+csrID+"/revoke", map[string]any{"reason": "superseded"})
		require.Equal(t, 200, again.Status)
		assert.Equal(t, "keyCompromise", again.Str("revocation_reason"), "revoking twice changes nothing")
		testutil.AssertProblem(t, admin.Do("PATCH", base+"/"+csrID, map[string]any{"version": rv.Num("version"), "enabled": true}),
			422, "certificate.revoked")
		rv = admin.Do("POST", base+"/"+manualID+"/revoke", map[string]any{"reason": "cessationOfOperation"})
		assert.Equal(t, "revoked", rv.Str("status"), "revoked wins over disabled")

		// The list: status filter, sorts, and the system's count.
		l := admin.Do("GET", base+"?status=revoked&sort=not_after&order=asc", nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(2), l.Num("total"))
		l = admin.Do("GET", base+"?status=active", nil)
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, p12ID, l.Str("items.0.id"))
		assert.Equal(t, false, l.Get("items.0.expiring_soon"))
		assert.Equal(t, float64(3), admin.Do("GET", "/api/v1/systems/"+id, nil).Num("certificate_count"))

		// Every change is audited as system_certificate, with the system in the diff.
		log := admin.Do("GET", "/api/v1/audit?resource_type=system_certificate&resource_id="+csrID, nil)
		require.Equal(t, float64(2), log.Num("total"), log.String())
		assert.Contains(t, string(log.Body), id)

		// Deleting the system deletes its certificates and revokes the CA-issued ones.
		require.Equal(t, 204, admin.Do("DELETE", "/api/v1/systems/"+id, nil).Status)
		assert.Equal(t, int64(0), testutil.Count(t, a, "system_certificates", "system_id = ?", id))
		assert.Equal(t, int64(0), testutil.Count(t, a, "ca_certificates", "owner_id = ? AND revoked_at IS NULL", id))
	})
}

// A short-lived certificate is flagged as expiring soon.
func TestSystemCertificateExpiringSoon(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id := newSystem(t, admin, "Short")
		r := testutil.MustCreate(t, admin, "/api/v1/systems/"+id+"/certificates",
			map[string]any{"method": "csr", "csr": csrPEM(t, p256(t)), "validity_days": 30})
		assert.Equal(t, true, r.Get("expiring_soon"))
		r = testutil.MustCreate(t, admin, "/api/v1/systems/"+id+"/certificates",
			map[string]any{"method": "csr", "csr": csrPEM(t, p256(t)), "validity_days": 31})
		assert.Equal(t, false, r.Get("expiring_soon"))
	})
}

func TestSystemCertificatesBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		id := newSystem(t, admin, "Target")
		base := "/api/v1/systems/" + id + "/certificates"
		now := time.Now()
		goodKey := p256(t)
		good := csrPEM(t, goodKey)
		rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
		require.NoError(t, err)
		p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		require.NoError(t, err)
		badSig := []byte(good)
		{ // flip a byte of the signature inside the DER
			b, _ := pem.Decode([]byte(good))
			b.Bytes[len(b.Bytes)-3] ^= 0xff
			badSig = pem.EncodeToMemory(b)
		}
		leaf1, _ := selfSigned(t, "one", now.Add(-time.Hour), now.Add(time.Hour*24), nil)
		leaf2, _ := selfSigned(t, "two", now.Add(-time.Hour), now.Add(time.Hour*24), nil)
		caCert, _ := selfSigned(t, "Some CA", now.Add(-time.Hour), now.Add(time.Hour*24), func(c *x509.Certificate) {
			c.IsCA, c.BasicConstraintsValid, c.KeyUsage = true, true, x509.KeyUsageCertSign
		})
		expired, _ := selfSigned(t, "old", now.Add(-48*time.Hour), now.Add(-24*time.Hour), nil)
		secretKey := keyPEM(t, goodKey)
		secretBody := strings.Split(secretKey, "\n")[1]
		cases := []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"unknown method", map[string]any{"method": "fax"}, "method"},
			{"garbage csr", map[string]any{"method": "csr", "csr": "hello"}, "csr"},
			{"bad csr signature", map[string]any{"method": "csr", "csr": string(badSig)}, "csr"},
			{"rsa 1024", map[string]any{"method": "csr", "csr": csrPEM(t, rsa1024)}, "csr"},
			{"p-521", map[string]any{"method": "csr", "csr": csrPEM(t, p521)}, "csr"},
			{"key as csr", map[string]any{"method": "csr", "csr": secretKey}, "csr"},
			{"validity beyond the CA", map[string]any{"method": "csr", "csr": good, "validity_days": 365 * 20}, "validity_days"},
			{"negative validity", map[string]any{"method": "csr", "csr": good, "validity_days": -1}, "validity_days"},
			{"10 KB password", map[string]any{"method": "p12", "password": strings.Repeat("p", 10<<10)}, "password"},
			{"password outside the BMP", map[string]any{"method": "p12", "password": "pass\U0001F600"}, "password"},
			{"password with NUL", map[string]any{"method": "p12", "password": "a\x00b"}, "password"},
			{"garbage pem", map[string]any{"method": "manual", "pem": "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"}, "pem"},
			{"several certificates", map[string]any{"method": "manual", "pem": leaf1 + leaf2}, "pem"},
			{"private key", map[string]any{"method": "manual", "pem": secretKey}, "pem"},
			{"certificate and key", map[string]any{"method": "manual", "pem": leaf1 + secretKey}, "pem"},
			{"CA certificate", map[string]any{"method": "manual", "pem": caCert}, "pem"},
			{"expired", map[string]any{"method": "manual", "pem": expired}, "pem"},
			{"empty pem", map[string]any{"method": "manual", "pem": ""}, "pem"},
		}
		ledger := testutil.Count(t, a, "ca_certificates", "")
		for _, c := range cases {
			r := admin.Do("POST", base, c.body)
			require.Equal(t, 400, r.Status, "%s: %s", c.name, r.String())
			assert.Contains(t, testutil.FieldsOf(r), c.field, "%s: %s", c.name, r.String())
			assert.NotContains(t, string(r.Body), secretBody, "%s: the key is never echoed", c.name)
		}
		assert.Equal(t, int64(0), testutil.Count(t, a, "system_certificates", ""), "nothing stored")
		assert.Equal(t, ledger, testutil.Count(t, a, "ca_certificates", ""), "nothing issued")
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "resource_type = ?", "system_certificate"))

		// A duplicate fingerprint, also across systems.
		other := newSystem(t, admin, "Other")
		testutil.MustCreate(t, admin, base, map[string]any{"method": "manual", "pem": leaf1})
		r := admin.Do("POST", "/api/v1/systems/"+other+"/certificates", map[string]any{"method": "manual", "pem": leaf1})
		testutil.AssertProblem(t, r, 409, "certificate.duplicateFingerprint")
		assert.Equal(t, []string{"pem"}, testutil.FieldsOf(r))
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/systems/0190c4a0-0000-7000-8000-000000000000/certificates",
			map[string]any{"method": "manual", "pem": leaf2}), 404, "resource.notFound")
		assert.Equal(t, int64(1), testutil.Count(t, a, "system_certificates", ""))
	})
}
