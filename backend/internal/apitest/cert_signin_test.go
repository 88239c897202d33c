package apitest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

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

func TestCertificateSignInWithBoundCertificate(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		bob := a.As("users")
		me := bob.Do("GET", "/api/v1/auth/me", nil)
		login, uid := me.Str("user.login"), me.Str("user.id")
		certs := "/api/v1/users/" + uid + "/certificates"
		addr := serveMTLS(t, a.App)

		// Unknown: a self-signed certificate nobody bound; refused, audited, no session.
		selfPEM, selfKey := selfSigned(t, "Bob Self", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), nil)
		c := personClient(t, a, addr, tlsCert(t, selfPEM, selfKey))
		info := c.Do("GET", "/api/v1/auth/certificate", nil)
		assert.Equal(t, false, info.Get("usable"), info.String())
		assert.Equal(t, "auth.certificateUnknown", info.Str("code"))
		assert.Equal(t, "Bob Self", info.Str("common_name"))
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateUnknown")
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.certificateUnknown"))
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/users", nil), 401, "system.certificateRefused")

		// Bound by its fingerprint (colons, upper case): it signs bob in.
		fp := fingerprintOf(tlsCert(t, selfPEM, selfKey).Certificate[0])
		colons := ""
		for i := 0; i < len(fp); i += 2 {
			if i > 0 {
				colons += ":"
			}
			colons += fp[i : i+2]
		}
		testutil.AssertProblem(t, bob.Do("POST", certs, map[string]any{"fingerprint_sha256": fp}), 403, "authz.denied")
		b := testutil.MustCreate(t, admin, certs, map[string]any{"fingerprint_sha256": strings.ToUpper(colons), "comment": "laptop"})
		assert.Equal(t, fp, b.Str("fingerprint_sha256"))
		r := c.Do("POST", "/api/v1/auth/login/certificate", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, login, r.Str("user.login"))
		l := admin.Do("GET", certs, nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.Equal(t, "laptop", l.Str("items.0.comment"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "certificate.bind", b.Str("id")))

		// Bad input: nothing written.
		for _, tc := range []struct {
			body        map[string]any
			field, code string
		}{
			{map[string]any{}, "pem", "required"},
			{map[string]any{"pem": selfPEM, "fingerprint_sha256": fp}, "fingerprint_sha256", "exclusive"},
			{map[string]any{"fingerprint_sha256": "abc"}, "fingerprint_sha256", "invalidFormat"},
			{map[string]any{"fingerprint_sha256": strings.Repeat("zz", 32)}, "fingerprint_sha256", "invalidFormat"},
			{map[string]any{"pem": "garbage"}, "pem", "invalidFormat"},
			{map[string]any{"pem": keyPEM(t, selfKey)}, "pem", "privateKey"},
		} {
			bad := admin.Do("POST", certs, tc.body)
			testutil.AssertProblem(t, bad, 400, "validation.failed")
			assert.Equal(t, tc.code, testutil.FieldCode(bad, tc.field), bad.String())
		}
		testutil.AssertProblem(t, admin.Do("POST", certs, map[string]any{"pem": selfPEM}), 409, "certificate.alreadyBound")
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/users/00000000-0000-0000-0000-000000000000/certificates",
			map[string]any{"fingerprint_sha256": strings.Repeat("ab", 32)}), 404, "resource.notFound")
		assert.Equal(t, int64(1), testutil.Count(t, a, "user_certificates", "user_id = ?", uid), "nothing half-written")

		// Expired: bound by fingerprint, refused at sign-in.
		oldPEM, oldKey := selfSigned(t, "Bob Old", time.Now().Add(-48*time.Hour), time.Now().Add(-time.Hour), nil)
		old := tlsCert(t, oldPEM, oldKey)
		testutil.MustCreate(t, admin, certs, map[string]any{"fingerprint_sha256": fingerprintOf(old.Certificate[0])})
		testutil.AssertProblem(t, admin.Do("POST", certs, map[string]any{"pem": oldPEM}), 400, "validation.failed")
		testutil.AssertProblem(t, personClient(t, a, addr, old).Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateExpired")

		// Issued by our CA (as a system's certificate) and bound by PEM: revoked by the CA, refused.
		sysID := newSystem(t, admin, "Bob's desk", "users.read")
		cid, caCert, caPEM, _ := issueCSR(t, admin, sysID, 30)
		testutil.MustCreate(t, admin, certs, map[string]any{"pem": caPEM})
		cc := personClient(t, a, addr, caCert)
		require.Equal(t, 200, cc.Do("POST", "/api/v1/auth/login/certificate", nil).Status)
		rv := admin.Do("POST", "/api/v1/systems/"+sysID+"/certificates/"+cid+"/revoke", map[string]any{"reason": "keyCompromise"})
		require.Equal(t, 200, rv.Status, rv.String())
		testutil.AssertProblem(t, cc.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateRevoked")

		// A deactivated account: refused with its own code, audited, no session.
		u := admin.Do("GET", "/api/v1/users/"+uid, nil)
		p := admin.Do("PATCH", "/api/v1/users/"+uid, map[string]any{"version": u.Num("version"), "active": false})
		require.Equal(t, 200, p.Status, p.String())
		fresh := personClient(t, a, addr, tlsCert(t, selfPEM, selfKey))
		dis := fresh.Do("POST", "/api/v1/auth/login/certificate", nil)
		testutil.AssertProblem(t, dis, 403, "auth.accountDisabled")
		assert.Nil(t, testutil.Cookie(dis, "custos_session"))
		assert.Equal(t, "auth.accountDisabled", fresh.Do("GET", "/api/v1/auth/certificate", nil).Str("code"))
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.accountDisabled"))
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/users/"+uid, map[string]any{"version": p.Num("version"), "active": true}).Status)

		// Unbound: no longer signs in; audited.
		require.Equal(t, 204, admin.Do("DELETE", certs+"/"+b.Str("id"), nil).Status)
		testutil.AssertProblem(t, fresh.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateUnknown")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "certificate.unbind", b.Str("id")))
		testutil.AssertProblem(t, admin.Do("DELETE", certs+"/"+b.Str("id"), nil), 404, "resource.notFound")

		// No certificate: the mTLS handshake needs one; off it, the sign-in is refused and audited.
		_, err := newMTLSClient(t, a, addr, nil).do("GET", "/api/v1/auth/certificate", "")
		require.Error(t, err, "the mTLS entry still requires a client certificate at the handshake")
		plain := a.Anonymous()
		assert.Equal(t, false, plain.Do("GET", "/api/v1/auth/certificate", nil).Get("presented"))
		testutil.AssertProblem(t, plain.Do("POST", "/api/v1/auth/login/certificate", nil), 401, "auth.certificateMissing")
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.certificateMissing"))
	})
}

func TestCertificateAsTheSecondFactor(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d, mtlsHosts)
		admin := a.Admin()
		carol := a.As("users")
		enrol(t, carol, clock)
		me := carol.Do("GET", "/api/v1/auth/me", nil)
		login, uid := me.Str("user.login"), me.Str("user.id")
		selfPEM, selfKey := selfSigned(t, "Carol", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), nil)
		testutil.MustCreate(t, admin, "/api/v1/users/"+uid+"/certificates", map[string]any{"pem": selfPEM})
		otherPEM, otherKey := selfSigned(t, "Dave", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), nil)
		dave := a.As("users").Do("GET", "/api/v1/auth/me", nil).Str("user.id")
		testutil.MustCreate(t, admin, "/api/v1/users/"+dave+"/certificates", map[string]any{"pem": otherPEM})
		addr := serveMTLS(t, a.App)

		// On the plain listener the certificate is not offered.
		plain := a.Anonymous().Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": "password-123"})
		require.Equal(t, 200, plain.Status, plain.String())
		assert.Equal(t, []string{"totp"}, testutil.Strings(plain.Get("second_factors")))

		// Someone else's certificate is not offered, and not accepted.
		dc := personClient(t, a, addr, tlsCert(t, otherPEM, otherKey))
		step := dc.Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": "password-123"})
		require.Equal(t, 200, step.Status, step.String())
		assert.Equal(t, []string{"totp"}, testutil.Strings(step.Get("second_factors")))
		no := dc.Do("POST", "/api/v1/auth/login/second-factor/certificate", map[string]any{"challenge": step.Str("challenge")})
		testutil.AssertProblem(t, no, 401, "auth.certificateNotYours")
		assert.Nil(t, testutil.Cookie(no, "custos_session"))
		assert.Equal(t, int64(1), loginFailures(t, a, "auth.certificateNotYours"))

		// Carol's own: offered after the password, and it completes the sign-in.
		cc := personClient(t, a, addr, tlsCert(t, selfPEM, selfKey))
		step = cc.Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": "password-123"})
		require.Equal(t, 200, step.Status, step.String())
		assert.Equal(t, []string{"totp", "certificate"}, testutil.Strings(step.Get("second_factors")))
		assert.Nil(t, testutil.Cookie(step, "custos_session"))
		done := cc.Do("POST", "/api/v1/auth/login/second-factor/certificate", map[string]any{"challenge": step.Str("challenge")})
		require.Equal(t, 200, done.Status, done.String())
		assert.Equal(t, login, done.Str("user.login"))
		testutil.AssertProblem(t, cc.Do("POST", "/api/v1/auth/login/second-factor/certificate",
			map[string]any{"challenge": step.Str("challenge")}), 401, "mfa.challengeInvalid")
		ss := admin.Do("GET", "/api/v1/users/"+uid+"/sessions", nil)
		assert.Contains(t, string(ss.Body), `"sign_in_method":"password+certificate"`, ss.String())
		ev := admin.Do("GET", "/api/v1/audit?action=login.success&resource_id="+uid, nil)
		assert.Contains(t, string(ev.Body), `"second_factor":"certificate"`, ev.String())

		// Signing in with the certificate alone skips the code: it is the strong factor.
		direct := personClient(t, a, addr, tlsCert(t, selfPEM, selfKey)).Do("POST", "/api/v1/auth/login/certificate", nil)
		require.Equal(t, 200, direct.Status, direct.String())
		assert.Equal(t, login, direct.Str("user.login"))
	})
}
