package apitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/ca"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// opensslCA makes a self-signed certificate and key with openssl in dir (name.crt,
// name.key); ext are its -addext extensions.
func opensslCA(t *testing.T, dir, name, subject string, ext ...string) (certPEM, keyPEM string) {
	t.Helper()
	args := []string{"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
		"-keyout", name + ".key", "-out", name + ".crt", "-days", "365", "-subj", subject}
	for _, e := range ext {
		args = append(args, "-addext", e)
	}
	mustOSSL(t, dir, args...)
	return read(t, dir, name+".crt"), read(t, dir, name+".key")
}

// expiredCA is a CA certificate (made in Go: openssl 3.0 cannot backdate) that expired yesterday.
func expiredCA(t *testing.T) (string, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Old Root"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	require.NoError(t, err)
	k8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k8}))
}

// An import is refused, naming the field, for what is not a usable CA; the answer never
// carries the key.
func TestCAImportRefusesWhatIsNotAUsableCA(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()
	dir := t.TempDir()
	good, goodKey := opensslCA(t, dir, "good", "/CN=Imported Root/O=Elsewhere",
		"basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign")
	leaf, leafKey := opensslCA(t, dir, "leaf", "/CN=leaf", "basicConstraints=critical,CA:FALSE")
	noSign, noSignKey := opensslCA(t, dir, "nosign", "/CN=No Sign", "basicConstraints=critical,CA:TRUE",
		"keyUsage=critical,digitalSignature")
	old, oldKey := expiredCA(t)
	mustOSSL(t, dir, "pkey", "-in", "good.key", "-aes256", "-passout", "pass:secret", "-out", "enc.key")
	keyBody := strings.Split(goodKey, "\n")[1]
	before := a.CA.CertificatePEM

	for _, c := range []struct {
		name, cert, key, field, code string
	}{
		{"not a CA", leaf, leafKey, "certificate", "notCA"},
		{"a CA that may not sign certificates", noSign, noSignKey, "certificate", "noKeyCertSign"},
		{"expired", old, oldKey, "certificate", "expired"},
		{"another CA's key", good, leafKey, "private_key", "mismatch"},
		{"an encrypted key", good, read(t, dir, "enc.key"), "private_key", "encrypted"},
		{"the key in the certificate field", goodKey, goodKey, "certificate", "privateKey"},
		{"two certificates", good + leaf, goodKey, "certificate", "severalBlocks"},
		{"garbage", "hello", goodKey, "certificate", "invalidFormat"},
		{"no key", good, "", "private_key", "invalidFormat"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := admin.Do("POST", "/api/v1/ca/import", map[string]string{"certificate": c.cert, "private_key": c.key})
			testutil.AssertProblem(t, r, 400, "validation.failed")
			assert.Equal(t, c.code, testutil.FieldCode(r, c.field), r.String())
			assert.NotContains(t, string(r.Body), keyBody, "the answer echoes the private key")
		})
	}
	cur, err := before(testutil.Ctx())
	require.NoError(t, err)
	assert.Contains(t, cur, "BEGIN CERTIFICATE")
	assert.Equal(t, int64(1), testutil.Count(t, a, "cas", "1 = 1"), "nothing imported")
	assert.Equal(t, 403, a.As("auditors").Do("POST", "/api/v1/ca/import",
		map[string]string{"certificate": good, "private_key": goodKey}).Status)
}

// An imported CA signs from then on (openssl verifies against it), its key is sealed
// and audited without the key, and the replaced CA still answers OCSP for its serials.
func TestCAImportTakesOverAndKeepsAnsweringForTheOld(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		dir := t.TempDir()
		ctx := testutil.Ctx()
		info := admin.Do("GET", "/api/v1/ca", nil)
		require.Equal(t, 200, info.Status, info.String())
		assert.Equal(t, "CN=Custos CA,O=Custos", info.Str("subject"))
		assert.Equal(t, "ECDSA P-256", info.Str("key_algorithm"))
		assert.Equal(t, false, info.Get("imported"))
		assert.Equal(t, a.URL+"/pki/ocsp", info.Str("ocsp_url"), "no public URL: the request's own address")
		assert.Equal(t, a.URL+"/pki/crl", info.Str("crl_url"))
		assert.Equal(t, a.URL+"/pki/ca.crt", info.Str("ca_crt_url"))
		nb, err := time.Parse(time.RFC3339, info.Str("not_before"))
		require.NoError(t, err)
		na, err := time.Parse(time.RFC3339, info.Str("not_after"))
		require.NoError(t, err)
		assert.InDelta(t, 3650, na.Sub(nb).Hours()/24, 1, "ten years")

		fetchPKI(t, a, dir)
		mustOSSL(t, dir, "x509", "-in", "ca.crt", "-out", "old-ca.crt")
		oldCert, err := a.CA.Issue(ctx, *csrFromOpenSSL(t, dir))
		require.NoError(t, err)
		write(t, dir, "old.pem", []byte(oldCert.PEM))

		cert, key := opensslCA(t, dir, "new", "/CN=Imported Root/O=Elsewhere",
			"basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign")
		r := admin.Do("POST", "/api/v1/ca/import", map[string]string{"certificate": cert, "private_key": key})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "CN=Imported Root,O=Elsewhere", r.Str("subject"))
		assert.Equal(t, "ECDSA P-384", r.Str("key_algorithm"))
		assert.Equal(t, true, r.Get("imported"))
		keyBody := strings.Split(key, "\n")[1]
		assert.NotContains(t, string(r.Body), keyBody)
		fp := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(
			mustOSSL(t, dir, "x509", "-in", "new.crt", "-noout", "-fingerprint", "-sha256")), "sha256 Fingerprint="), ":", ""))
		assert.Equal(t, fp, r.Str("fingerprint_sha256"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "cas", "key_sealed LIKE ?", "%PRIVATE KEY%"), "the key is sealed at rest")
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/ca/import", map[string]string{"certificate": cert, "private_key": key}),
			409, "ca.alreadyKnown")

		ev := admin.Do("GET", "/api/v1/audit?resource_type=ca", nil)
		require.Equal(t, 200, ev.Status, ev.String())
		assert.Contains(t, string(ev.Body), `"import"`)
		assert.Contains(t, string(ev.Body), "Imported Root")
		assert.NotContains(t, string(ev.Body), keyBody, "the audit log holds the key")
		var diffs []string
		require.NoError(t, a.DB.R.Table("audit_events").Where("resource_type = ?", "ca").Pluck("diff", &diffs).Error)
		assert.NotContains(t, strings.Join(diffs, "\n"), keyBody)

		fetchPKI(t, a, dir)
		assert.Equal(t, read(t, dir, "new.crt"), read(t, dir, "ca.crt"), "ca.crt is the imported CA")
		assert.Contains(t, mustOSSL(t, dir, "crl", "-in", "crl.pem", "-CAfile", "new.crt", "-noout"), "verify OK",
			"the CRL is signed by the imported CA")
		x, err := a.CA.Issue(ctx, *csrFromOpenSSL(t, dir))
		require.NoError(t, err)
		write(t, dir, "x.pem", []byte(x.PEM))
		assert.Contains(t, mustOSSL(t, dir, "verify", "-crl_check", "-CAfile", "ca.crt", "-CRLfile", "crl.pem", "x.pem"), "x.pem: OK")
		assert.Contains(t, mustOSSL(t, dir, "ocsp", "-issuer", "old-ca.crt", "-cert", "old.pem", "-url", a.URL+ca.PathOCSP,
			"-CAfile", "old-ca.crt"), "old.pem: good", "the replaced CA still answers for what it issued")
		require.NoError(t, a.CA.Revoke(ctx, oldCert.Serial, ca.Reasons["superseded"]))
		assert.Contains(t, mustOSSL(t, dir, "ocsp", "-issuer", "old-ca.crt", "-cert", "old.pem", "-url", a.URL+ca.PathOCSP,
			"-CAfile", "old-ca.crt"), "old.pem: revoked")
	})
}
