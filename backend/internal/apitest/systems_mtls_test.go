package apitest

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"custos/internal/app"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func fingerprintOf(der []byte) string {
	h := sha256.Sum256(der)
	return hex.EncodeToString(h[:])
}

// anonGet reads a public endpoint of the app's plain port.
func anonGet(t *testing.T, a *testutil.TestApp, path string) string {
	t.Helper()
	res, err := http.Get(a.URL + path)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, string(b))
	return string(b)
}

// mtlsHosts are the names the test mTLS entry's server certificate is made for.
func mtlsHosts(c *config.Config) { c.MTLSHostnames = []string{"localhost", "127.0.0.1"} }

// serveMTLS runs a.Serve on a plain and an mTLS listener (jobs included, so the change
// bus runs) until the test ends, and returns the mTLS address.
func serveMTLS(t *testing.T, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln, mln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			assert.NoError(t, err)
		case <-time.After(20 * time.Second):
			t.Error("Serve did not return")
		}
	})
	return mln.Addr().String()
}

// mtlsClient is a Go TLS client presenting cert (none when nil) and trusting the CA.
type mtlsClient struct {
	t    *testing.T
	addr string
	hc   *http.Client
}

func newMTLSClient(t *testing.T, a *testutil.TestApp, addr string, cert *tls.Certificate) *mtlsClient {
	t.Helper()
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM([]byte(anonGet(t, a, "/pki/ca.crt"))))
	cfg := &tls.Config{RootCAs: roots, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	return &mtlsClient{t: t, addr: addr, hc: &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: cfg}}}
}

func (c *mtlsClient) do(method, path, body string) (*testutil.Resp, error) {
	req, err := http.NewRequest(method, "https://"+c.addr+path, strings.NewReader(body))
	require.NoError(c.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &testutil.Resp{Status: res.StatusCode, Header: res.Header, Body: b}
	_ = json.Unmarshal(b, &r.JSON)
	return r, nil
}

func (c *mtlsClient) get(path string) *testutil.Resp {
	c.t.Helper()
	r, err := c.do("GET", path, "")
	require.NoError(c.t, err)
	return r
}

// issueCSR issues a certificate for a fresh P-256 key through the csr method and returns
// its id and the TLS certificate with that key.
func issueCSR(t *testing.T, admin *testutil.Client, systemID string, days int) (string, *tls.Certificate, string, string) {
	t.Helper()
	key := p256(t)
	r := testutil.MustCreate(t, admin, "/api/v1/systems/"+systemID+"/certificates",
		map[string]any{"method": "csr", "csr": csrPEM(t, key), "validity_days": days})
	b, _ := pem.Decode([]byte(r.Str("pem")))
	return r.Str("id"), &tls.Certificate{Certificate: [][]byte{b.Bytes}, PrivateKey: key}, r.Str("pem"), keyPEM(t, key)
}

func TestMTLSEntry(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, mtlsHosts)
		admin := a.Admin()
		sysID := newSystem(t, admin, "Archive", "users.read", "users.write")
		certs := "/api/v1/systems/" + sysID + "/certificates/"
		cid, cert, certPEM, certKey := issueCSR(t, admin, sysID, 90)
		addr := serveMTLS(t, a.App)
		c := newMTLSClient(t, a, addr, cert)

		// Active: the request is the system, with its allowed services as scopes.
		r := c.get("/api/v1/users")
		require.Equal(t, 200, r.Status, r.String())
		me := c.get("/api/v1/auth/me")
		require.Equal(t, 200, me.Status, me.String())
		assert.Equal(t, "Archive", me.Str("user.display_name"))
		assert.Equal(t, []string{"users.read", "users.write"}, testutil.Strings(me.Get("permissions")))
		testutil.AssertProblem(t, c.get("/api/v1/audit"), 403, "authz.denied")

		// Its writes are audited in its name and its certificate's.
		w, err := c.do("POST", "/api/v1/groups", `{"code":"made_by_archive","name":"Made by the archive","permissions":[]}`)
		require.NoError(t, err)
		require.Equal(t, 201, w.Status, w.String())
		ev := admin.Do("GET", "/api/v1/audit?resource_type=group&resource_id="+w.Str("id"), nil)
		require.Equal(t, float64(1), ev.Num("total"), ev.String())
		assert.Equal(t, "system", ev.Str("items.0.actor_type"))
		assert.Equal(t, sysID, ev.Str("items.0.actor_id"))
		assert.Equal(t, "Archive · CN=Archive,OU=system,O=Custos", ev.Str("items.0.actor_name"))

		// curl with the certificate and key files, as an integrator would.
		dir := t.TempDir()
		for name, body := range map[string]string{"c.crt": certPEM, "c.key": certKey, "ca.crt": anonGet(t, a, "/pki/ca.crt")} {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
		}
		out, err := exec.Command("curl", "-sS", "--fail-with-body", "--cert", filepath.Join(dir, "c.crt"), "--key", filepath.Join(dir, "c.key"),
			"--cacert", filepath.Join(dir, "ca.crt"), "https://"+strings.Replace(addr, "127.0.0.1", "localhost", 1)+"/api/v1/auth/me").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), `"display_name":"Archive"`)
		out, err = exec.Command("curl", "-sS", "--cacert", filepath.Join(dir, "ca.crt"), "-o", "/dev/null", "-w", "%{http_code}",
			"https://localhost:"+strings.Split(addr, ":")[1]+"/api/v1/users").CombinedOutput()
		assert.Error(t, err, "curl without a client certificate is refused at the handshake: %s", out)

		// No certificate at all: the handshake fails.
		_, err = newMTLSClient(t, a, addr, nil).do("GET", "/api/v1/users", "")
		require.Error(t, err)

		// Unknown (a self-signed certificate nobody added): refused, and audited once.
		selfPEM, selfKey := selfSigned(t, "stranger", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), nil)
		sb, _ := pem.Decode([]byte(selfPEM))
		stranger := newMTLSClient(t, a, addr, &tls.Certificate{Certificate: [][]byte{sb.Bytes}, PrivateKey: selfKey})
		testutil.AssertProblem(t, stranger.get("/api/v1/users"), 401, "system.certificateRefused")
		testutil.AssertProblem(t, stranger.get("/api/v1/users"), 401, "system.certificateRefused")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_type = ? AND resource_name = ?",
			"access.denied", "system_certificate", "CN=stranger"))

		// Added by hand, the same certificate is trusted by its fingerprint.
		m := testutil.MustCreate(t, admin, "/api/v1/systems/"+sysID+"/certificates", map[string]any{"method": "manual", "pem": selfPEM})
		require.Equal(t, 200, stranger.get("/api/v1/users").Status)

		// Disabled certificate, then its system disabled: refused at once, on a kept-alive connection too.
		p := admin.Do("PATCH", certs+cid, map[string]any{"version": 1, "enabled": false})
		require.Equal(t, 200, p.Status, p.String())
		testutil.AssertProblem(t, c.get("/api/v1/users"), 401, "system.certificateRefused")
		require.Equal(t, 200, admin.Do("PATCH", certs+cid, map[string]any{"version": 2, "enabled": true}).Status)
		require.Equal(t, 200, c.get("/api/v1/users").Status)
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+sysID, map[string]any{"version": 1, "enabled": false}).Status)
		testutil.AssertProblem(t, c.get("/api/v1/users"), 401, "system.certificateRefused")
		testutil.AssertProblem(t, stranger.get("/api/v1/users"), 401, "system.certificateRefused")
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+sysID, map[string]any{"version": 2, "enabled": true}).Status)
		require.Equal(t, 200, c.get("/api/v1/users").Status)

		// Revoked (the manual one: in our trust store only).
		require.Equal(t, 200, admin.Do("POST", certs+m.Str("id")+"/revoke", map[string]any{"reason": "keyCompromise"}).Status)
		testutil.AssertProblem(t, stranger.get("/api/v1/users"), 401, "system.certificateRefused")

		// A token on the mTLS port authenticates the token (audit.read, which the system
		// lacks), but only with an acceptable certificate; the plain port never yields a system.
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "auditor", "scopes": []string{"audit.read"}})
		withToken := func(cl *mtlsClient) int {
			req, _ := http.NewRequest("GET", "https://"+addr+"/api/v1/audit", nil)
			req.Header.Set("Authorization", "Api-Token "+tok)
			res, err := cl.hc.Do(req)
			require.NoError(t, err)
			res.Body.Close()
			return res.StatusCode
		}
		assert.Equal(t, 200, withToken(c))
		assert.Equal(t, 401, withToken(stranger), "a revoked certificate refuses the token's request too")
		assert.Equal(t, 401, a.Anonymous().Do("GET", "/api/v1/users", nil).Status)

		// The p12 bundle is a working client certificate.
		bundle := testutil.MustCreate(t, admin, "/api/v1/systems/"+sysID+"/certificates", map[string]any{"method": "p12", "password": "s3cret"})
		raw, err := base64.StdEncoding.DecodeString(bundle.Str("p12"))
		require.NoError(t, err)
		bkey, bcert, _, err := pkcs12.DecodeChain(raw, "s3cret")
		require.NoError(t, err)
		viaP12 := newMTLSClient(t, a, addr, &tls.Certificate{Certificate: [][]byte{bcert.Raw}, PrivateKey: bkey})
		require.Equal(t, 200, viaP12.get("/api/v1/users").Status)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "s.p12"), raw, 0o600))
		out, err = exec.Command("curl", "-sS", "--fail-with-body", "--cert-type", "P12", "--cert", filepath.Join(dir, "s.p12")+":s3cret",
			"--cacert", filepath.Join(dir, "ca.crt"), "https://"+strings.Replace(addr, "127.0.0.1", "localhost", 1)+"/api/v1/auth/me").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), `"display_name":"Archive"`)

		// Expired: the clock moves past the csr certificate's notAfter.
		var ahead atomic.Int64
		a.Systems.SetClock(func() time.Time { return time.Now().UTC().Add(time.Duration(ahead.Load())) })
		require.Equal(t, 200, c.get("/api/v1/users").Status)
		ahead.Store(int64(91 * 24 * time.Hour))
		testutil.AssertProblem(t, c.get("/api/v1/users"), 401, "system.certificateRefused")
		assert.Equal(t, "expired", admin.Do("GET", certs+cid, nil).Str("status"))
	})
}

// A certificate disabled, of a system disabled, or revoked on one app is refused by another
// app on the same database within a second, although that app had it cached
// (platform/changes, topic "systems").
func TestMTLSRevokeReachesOtherReplicaWithinASecond(t *testing.T) {
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			var url string
			if dialect == db.SQLite {
				url = "sqlite:" + filepath.Join(t.TempDir(), "custos.db")
			} else {
				url = testutil.PostgresURL(t, true)
			}
			key := appKey(t) // replicas share the application key, hence the CA's sealed key
			opts := func(c *config.Config) { c.AppKey = key; mtlsHosts(c) }
			a := testutil.NewApp(t, testutil.NewDBAt(t, url), opts)
			b := testutil.NewApp(t, testutil.NewDBAt(t, url), opts)
			admin := a.Admin()
			sysID := newSystem(t, admin, "Replicated", "users.read")
			cid, cert, _, _ := issueCSR(t, admin, sysID, 30)
			onB := newMTLSClient(t, b, serveMTLS(t, b.App), cert)
			require.Equal(t, 200, onB.get("/api/v1/users").Status, "the other replica accepts the certificate (and caches it)")
			require.Equal(t, 200, onB.get("/api/v1/users").Status)

			// A disabled certificate, then a disabled system: refused there too, and let in
			// again once switched back on.
			refusedOnB := func(what string) {
				require.Eventually(t, func() bool { return onB.get("/api/v1/users").Status == 401 },
					time.Second, 10*time.Millisecond, "the other replica still accepts %s", what)
			}
			acceptedOnB := func(what string) {
				require.Eventually(t, func() bool { return onB.get("/api/v1/users").Status == 200 },
					time.Second, 10*time.Millisecond, "the other replica still refuses %s", what)
			}
			certURL := "/api/v1/systems/" + sysID + "/certificates/" + cid
			require.Equal(t, 200, admin.Do("PATCH", certURL, map[string]any{"version": 1, "enabled": false}).Status)
			refusedOnB("a disabled certificate")
			require.Equal(t, 200, admin.Do("PATCH", certURL, map[string]any{"version": 2, "enabled": true}).Status)
			acceptedOnB("a certificate enabled again")
			require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+sysID, map[string]any{"version": 1, "enabled": false}).Status)
			refusedOnB("the certificate of a disabled system")
			require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+sysID, map[string]any{"version": 2, "enabled": true}).Status)
			acceptedOnB("the certificate of a system enabled again")

			require.Equal(t, 200, admin.Do("POST", "/api/v1/systems/"+sysID+"/certificates/"+cid+"/revoke",
				map[string]any{"reason": "keyCompromise"}).Status)
			revoked := time.Now()
			require.Eventually(t, func() bool { return onB.get("/api/v1/users").Status == 401 },
				time.Second, 10*time.Millisecond, "the other replica still accepts the revoked certificate")
			t.Logf("%s: the other replica refused the revoked certificate %v after the revoke", dialect,
				time.Since(revoked).Round(time.Millisecond))
			assert.Equal(t, "system.certificateRefused", onB.get("/api/v1/users").Str("code"))
		})
	}
}
