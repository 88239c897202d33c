package system_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/system"
	"custos/internal/testutil"
)

// registered adds a self-signed certificate to a new system of svc and returns it.
func registered(t *testing.T, svc *system.Service) *x509.Certificate {
	t.Helper()
	ctx := testutil.Ctx()
	sys, err := svc.Create(ctx, system.SystemInput{Name: "Archive", AllowedServices: []string{authz.UsersRead}})
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "archive"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	_, err = svc.AddCertificate(ctx, sys.ID, system.CertificateInput{Method: system.OriginManual,
		PEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))})
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

// The certificate middleware acts only on requests the mTLS server marked: a request of
// the plain listener carrying TLS state (a TLS-terminating setup, a forged context) never
// becomes a system, and on the mTLS listener a missing certificate is refused.
func TestMiddlewareOnlyOnTheMTLSListener(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		cert := registered(t, a.Systems)
		var seen *authz.Principal
		h := a.Systems.Middleware()(func(c echo.Context) error {
			seen = authz.FromEcho(c)
			return c.NoContent(http.StatusOK)
		})
		e := echo.New()
		e.HTTPErrorHandler = func(err error, c echo.Context) { _ = c.NoContent(http.StatusUnauthorized) }
		e.GET("/", h)
		serve := func(marked bool, peers []*x509.Certificate) int {
			seen = nil
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req = req.WithContext(testutil.Ctx())
			req.TLS = &tls.ConnectionState{PeerCertificates: peers}
			rec := httptest.NewRecorder()
			var handler http.Handler = e
			if marked {
				handler = system.OnMTLS(e)
			}
			handler.ServeHTTP(rec, req)
			return rec.Code
		}
		assert.Equal(t, 200, serve(false, []*x509.Certificate{cert}))
		assert.Nil(t, seen, "the plain listener never yields a system")
		assert.Equal(t, 200, serve(true, []*x509.Certificate{cert}))
		require.NotNil(t, seen)
		assert.Equal(t, authz.KindSystem, seen.Kind)
		assert.Equal(t, "Archive", seen.SystemName)
		assert.Equal(t, []string{authz.UsersRead}, seen.Scopes)
		assert.Equal(t, 401, serve(true, nil), "no certificate on the mTLS listener")
	})
}
