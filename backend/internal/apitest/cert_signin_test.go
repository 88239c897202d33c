package apitest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// personClient is a cookie-keeping client of the mTLS entry presenting cert.
func personClient(t *testing.T, a *testutil.TestApp, addr string, cert *tls.Certificate) *testutil.Client {
	t.Helper()
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM([]byte(anonGet(t, a, "/pki/ca.crt"))))
	cfg := &tls.Config{RootCAs: roots, ServerName: "localhost", MinVersion: tls.VersionTLS12,
		Certificates: []tls.Certificate{*cert}}
	return a.ClientAt("https://"+addr, &http.Transport{TLSClientConfig: cfg})
}

// tlsCert pairs a PEM certificate with its key.
func tlsCert(t *testing.T, certPEM string, key any) *tls.Certificate {
	t.Helper()
	b, _ := pem.Decode([]byte(certPEM))
	require.NotNil(t, b)
	return &tls.Certificate{Certificate: [][]byte{b.Bytes}, PrivateKey: key}
}

// issueToDevice runs a self-service issuance for a new member of a catalogue group with
// a key the test holds (the device's, in software) and answers the person's client, the
// device id and the certificate with its key.
func issueToDevice(t *testing.T, a *testutil.TestApp, admin *testutil.Client, serial string) (*testutil.Client, string, *tls.Certificate) {
	t.Helper()
	cat := newCatalogue(t, a, admin, nil)
	anna := a.As(cat.group)
	id := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
	base := "/api/v1/me/issuances/" + id
	key := p256(t)
	c := testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": serial, "template_id": cat.templateID, "csr": csrPEM(t, key)})
	done := anna.Do("POST", base+"/confirm", map[string]any{"serial": serial, "fingerprints": []string{c.Str("fingerprint_sha256")}})
	require.Equal(t, 200, done.Status, done.String())
	return anna, done.Str("device_id"), tlsCert(t, c.Str("pem"), key)
}

func loginFailures(t *testing.T, a *testutil.TestApp, reason string) int64 {
	t.Helper()
	return testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "login.failure", "%"+reason+"%")
}

func TestCertificateSignInWithDeviceCertificate(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		anna, devID, cert := issueToDevice(t, a, admin, "C0FFEE01")
		me := anna.Do("GET", "/api/v1/auth/me", nil)
		login, uid := me.Str("user.login"), me.Str("user.id")
		addr := serveMTLS(t, a.App)
		c := personClient(t, a, addr, cert)

		// The login page learns whose certificate it is, without a session.
		info := c.Do("GET", "/api/v1/auth/certificate", nil)
		require.Equal(t, 200, info.Status, info.String())
		assert.Equal(t, true, info.Get("presented"))
		assert.Equal(t, true, info.Get("usable"))
		assert.Equal(t, login, info.Str("common_name"))
		assert.Nil(t, testutil.Cookie(info, "custos_session"))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		// The console's page is served to a person's certificate.
		page := c.Do("GET", "/", nil)
		assert.Equal(t, 200, page.Status, page.String())

		// Signing in: no password, a session marked as a certificate sign-in.
		r := c.Do("POST", "/api/v1/auth/login/certificate", map[string]any{})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, login, r.Str("user.login"))
		assert.Equal(t, login, c.Do("GET", "/api/v1/auth/me", nil).Str("user.login"), "the session works on the mTLS entry")
		ss := admin.Do("GET", "/api/v1/users/"+uid+"/sessions", nil)
		require.Equal(t, 200, ss.Status, ss.String())
		assert.Contains(t, string(ss.Body), `"sign_in_method":"certificate"`)
		ok := admin.Do("GET", "/api/v1/audit?action=login.success&resource_id="+uid, nil)
		assert.Contains(t, string(ok.Body), `"provider":"certificate"`, ok.String())

		// A blocked device: refused at once (a kept-alive connection too), audited.
		blk := admin.Do("POST", "/api/v1/devices/"+devID+"/block", map[string]any{"version": 1, "comment": "lost"})
		require.Equal(t, 200, blk.Status, blk.String())
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.deviceBlocked")
		assert.Equal(t, "auth.deviceBlocked", c.Do("GET", "/api/v1/auth/certificate", nil).Str("code"))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "system.certificateRefused")
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.deviceBlocked"))
		require.Equal(t, 200, admin.Do("POST", "/api/v1/devices/"+devID+"/unblock", map[string]any{"version": 2}).Status)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/login/certificate", nil).Status)

		// The device revoked: its certificate is revoked by our CA.
		rev := admin.Do("POST", "/api/v1/devices/"+devID+"/revoke", map[string]any{"version": 3, "comment": "stolen"})
		require.Equal(t, 200, rev.Status, rev.String())
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateRevoked")
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.certificateRevoked"))
		ev := admin.Do("GET", "/api/v1/audit?action=login.failure&resource_id="+uid, nil)
		assert.Contains(t, string(ev.Body), `"source":"device"`, ev.String())
	})
}
