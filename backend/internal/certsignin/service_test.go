package certsignin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/certsignin"
	"custos/internal/identity"
	"custos/internal/issuance"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// fakeDevices answers one holder for every fingerprint (found = false: none).
type fakeDevices struct {
	h     issuance.Holder
	found bool
}

func (f fakeDevices) CertificateHolder(context.Context, string) (issuance.Holder, bool, error) {
	return f.h, f.found, nil
}

type fakeCA struct{ revoked bool }

func (f fakeCA) RevokedFingerprint(context.Context, string) (bool, error) { return f.revoked, nil }

type noUsers struct{}

func (noUsers) GetUser(context.Context, string) (identity.User, error) {
	return identity.User{}, apperr.NotFound("user")
}

func leaf(t *testing.T, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "anna"}, NotBefore: notBefore, NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

// TestResolveDecidesInOrder runs the refusals of a presented certificate on a controlled
// clock: revocation (by the CA, the issuance or the device) before a blocked device,
// both before the validity period; an unbound certificate nobody holds is unknown.
func TestResolveDecidesInOrder(t *testing.T) {
	d := testutil.NewDB(t, db.SQLite)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	valid := leaf(t, now.Add(-time.Hour), now.Add(time.Hour))
	expired := leaf(t, now.Add(-2*time.Hour), now)
	onDevice := func(status string, revoked bool) fakeDevices {
		return fakeDevices{h: issuance.Holder{UserID: "u1", DeviceID: "d1", DeviceStatus: status, Revoked: revoked}, found: true}
	}
	for _, tc := range []struct {
		name    string
		devices fakeDevices
		ca      fakeCA
		cert    *x509.Certificate
		want    string
	}{
		{"a device's certificate in good standing", onDevice(issuance.DeviceIssued, false), fakeCA{}, valid, ""},
		{"revoked by the CA", onDevice(issuance.DeviceIssued, false), fakeCA{revoked: true}, valid, "auth.certificateRevoked"},
		{"superseded on its issuance", onDevice(issuance.DeviceIssued, true), fakeCA{}, valid, "auth.certificateRevoked"},
		{"its device revoked", onDevice(issuance.DeviceRevoked, false), fakeCA{}, valid, "auth.certificateRevoked"},
		{"its device blocked", onDevice(issuance.DeviceBlocked, false), fakeCA{}, valid, "auth.deviceBlocked"},
		{"blocked and expired: blocked first", onDevice(issuance.DeviceBlocked, false), fakeCA{}, expired, "auth.deviceBlocked"},
		{"expired at the very second of not_after", onDevice(issuance.DeviceIssued, false), fakeCA{}, expired, "auth.certificateExpired"},
		{"held by nobody, bound to nobody", fakeDevices{}, fakeCA{}, valid, "auth.certificateUnknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := certsignin.NewService(d, tc.devices, tc.ca, noUsers{}, slog.Default())
			s.SetClock(func() time.Time { return now })
			o, err := s.Resolve(context.Background(), tc.cert)
			assert.Equal(t, tc.want, code(err))
			if tc.devices.found {
				assert.Equal(t, "u1", o.UserID, "the owner is named with a refusal too (the audit event)")
				assert.Equal(t, certsignin.SourceDevice, o.Source)
			}
			assert.Len(t, o.Fingerprint, 64)
		})
	}
}
