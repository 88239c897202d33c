package apitest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// The mTLS entry's server certificate given as files (CUSTOS_MTLS_CERT_FILE and
// CUSTOS_MTLS_KEY_FILE, here one made outside our CA) is the one it presents; a system's
// certificate from our CA still gets in as the system.
func TestMTLSServerCertificateFromFiles(t *testing.T) {
	dir := t.TempDir()
	serverPEM, serverKey := selfSigned(t, "localhost", time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour),
		func(c *x509.Certificate) {
			c.DNSNames = []string{"localhost"}
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		})
	certFile, keyFile := filepath.Join(dir, "mtls.crt"), filepath.Join(dir, "mtls.key")
	require.NoError(t, os.WriteFile(certFile, []byte(serverPEM), 0o600))
	require.NoError(t, os.WriteFile(keyFile, []byte(keyPEM(t, serverKey)), 0o600))

	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite), func(c *config.Config) {
		c.MTLSCertFile, c.MTLSKeyFile = certFile, keyFile
	})
	admin := a.Admin()
	sysID := newSystem(t, admin, "Files", "users.read")
	_, cert, _, _ := issueCSR(t, admin, sysID, 30)
	addr := serveMTLS(t, a.App)

	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM([]byte(serverPEM)))
	cfg := &tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	conn, err := tls.Dial("tcp", addr, cfg)
	require.NoError(t, err, "a client trusting only the file's certificate connects")
	assert.Equal(t, "localhost", conn.ConnectionState().PeerCertificates[0].Subject.CommonName)
	require.NoError(t, conn.Close())

	c := &mtlsClient{t: t, addr: addr, hc: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}}
	me := c.get("/api/v1/auth/me")
	require.Equal(t, 200, me.Status, me.String())
	assert.Equal(t, "Files", me.Str("user.display_name"))
	_, err = newMTLSClient(t, a, addr, cert).do("GET", "/api/v1/auth/me", "")
	assert.Error(t, err, "our CA did not make this server certificate")
}
