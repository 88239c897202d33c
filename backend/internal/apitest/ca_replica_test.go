package apitest

import (
	"crypto/x509"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/ca"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// crlOf fetches and parses the CRL another process serves.
func crlOf(t *testing.T, c *testutil.Client) *x509.RevocationList {
	t.Helper()
	r := c.Do(http.MethodGet, ca.PathCRL, nil)
	require.Equal(t, 200, r.Status, r.String())
	l, err := x509.ParseRevocationList(r.Body)
	require.NoError(t, err)
	return l
}

// A revocation on one replica is in the CRL another process serves within a second,
// although that replica had the previous CRL cached; both serve the same CRL number.
func TestRevocationReachesTheCRLOfOtherReplicas(t *testing.T) {
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			url := testutil.PostgresURL(t, true)
			if dialect == db.SQLite {
				url = "sqlite:" + filepath.Join(t.TempDir(), "custos.db")
			}
			key := appKey(t)
			t.Setenv("CUSTOS_APP_KEY", key) // the CA key is sealed with it
			a := testutil.NewApp(t, testutil.NewDBAt(t, url), func(c *config.Config) { c.AppKey = key })
			b := testutil.Remote(t, startReplica(t, url)).Anonymous()
			before := crlOf(t, b)
			assert.Empty(t, before.RevokedCertificateEntries)

			x, err := a.CA.Issue(testutil.Ctx(), *csrFromOpenSSL(t, t.TempDir()))
			require.NoError(t, err)
			require.NoError(t, a.CA.Revoke(testutil.Ctx(), x.Serial, ca.Reasons["cessationOfOperation"]))
			revoked := time.Now()
			var after *x509.RevocationList
			require.Eventually(t, func() bool {
				after = crlOf(t, b)
				return len(after.RevokedCertificateEntries) == 1
			}, time.Second, 10*time.Millisecond, "the other replica still serves the CRL without the revocation")
			t.Logf("%s: the other replica served the new CRL %v after the revoke", dialect, time.Since(revoked).Round(time.Millisecond))
			assert.Equal(t, x.Serial, after.RevokedCertificateEntries[0].SerialNumber.Text(16))
			assert.Equal(t, 5, after.RevokedCertificateEntries[0].ReasonCode)
			assert.Equal(t, 1, after.Number.Cmp(before.Number), "a higher CRL number")
			mine, err := a.CA.CRL(testutil.Ctx())
			require.NoError(t, err)
			assert.Equal(t, mine, after.Raw, "both replicas serve the same CRL")
		})
	}
}
