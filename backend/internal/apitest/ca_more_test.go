package apitest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/ca"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// The CRL job remakes the CRL when half its life is gone and when a revocation is newer
// than it (the replica that revoked stopped before remaking it), and leaves it alone
// otherwise.
func TestCRLJobRemakesTheCRLBeforeNextUpdate(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	ctx := testutil.Ctx()
	clock := time.Now().UTC()
	a.CA.SetClock(func() time.Time { return clock })
	job := a.CA.CRLJob()
	number := func() int64 {
		der, err := a.CA.CRL(ctx)
		require.NoError(t, err)
		l, err := x509.ParseRevocationList(der)
		require.NoError(t, err)
		return l.Number.Int64()
	}
	first := number()
	require.NoError(t, job.Run(ctx))
	assert.Equal(t, first, number(), "a fresh CRL is left alone")

	clock = clock.Add(11 * time.Hour)
	require.NoError(t, job.Run(ctx))
	assert.Equal(t, first, number())
	clock = clock.Add(2 * time.Hour) // 13 h: past half of the 24 h life
	require.NoError(t, job.Run(ctx))
	assert.Equal(t, first+1, number(), "remade before nextUpdate")
	der, err := a.CA.CRL(ctx)
	require.NoError(t, err)
	l, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	assert.WithinDuration(t, clock.Add(ca.CRLLifetime), l.NextUpdate, time.Second)

	// A revocation committed without its CRL (written straight to the ledger, as if the
	// revoking process died after its commit) is caught by the next pass.
	x, err := a.CA.Issue(ctx, *csrFromOpenSSL(t, t.TempDir()))
	require.NoError(t, err)
	clock = clock.Add(time.Minute)
	require.NoError(t, a.DB.W.Exec("UPDATE ca_certificates SET revoked_at = ?, reason = 1 WHERE serial = ?", clock, x.Serial).Error)
	require.NoError(t, job.Run(ctx))
	assert.Equal(t, first+2, number())
	der, err = a.CA.CRL(ctx)
	require.NoError(t, err)
	l, err = x509.ParseRevocationList(der)
	require.NoError(t, err)
	require.Len(t, l.RevokedCertificateEntries, 1)
	assert.Equal(t, x.Serial, l.RevokedCertificateEntries[0].SerialNumber.Text(16))
}

// Issued inside a transaction that rolls back, a certificate leaves no ledger row.
func TestIssueJoinsTheCallersTransaction(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	req := csrFromOpenSSL(t, t.TempDir())
	boom := errors.New("the caller's next step failed")
	err := a.DB.Tx(testutil.Ctx(), func(ctx context.Context) error {
		_, err := a.CA.Issue(ctx, *req)
		require.NoError(t, err)
		return boom
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, int64(0), testutil.Count(t, a, "ca_certificates", "1 = 1"), "nothing half-stored")
}

// ServerCertificate makes a certificate a TLS client trusting Roots accepts for the
// hosts, names and IPs alike, and openssl calls fit for a TLS server.
func TestServerCertificateServesTLS(t *testing.T) {
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	ctx := testutil.Ctx()
	cert, err := a.CA.ServerCertificate(ctx, []string{"localhost", "127.0.0.1"})
	require.NoError(t, err)
	roots, err := a.CA.Roots(ctx)
	require.NoError(t, err)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.(*tls.Conn).Handshake()
			_ = c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, host := range []string{"localhost", "127.0.0.1"} {
		c, err := tls.Dial("tcp", net.JoinHostPort(host, port), &tls.Config{RootCAs: roots, ServerName: host})
		require.NoError(t, err, host)
		_ = c.Close()
	}
	_, err = tls.Dial("tcp", net.JoinHostPort("127.0.0.1", port), &tls.Config{RootCAs: roots, ServerName: "custos.example.com"})
	require.Error(t, err, "a host it was not made for")

	dir := t.TempDir()
	fetchPKI(t, a, dir)
	write(t, dir, "srv.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}))
	assert.Contains(t, mustOSSL(t, dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "srv.pem"), "srv.pem: OK")
	out, ok := ossl(t, dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "srv.pem")
	assert.False(t, ok, "a server certificate is no client certificate: %s", out)
}
