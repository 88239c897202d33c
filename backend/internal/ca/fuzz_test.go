package ca

import (
	"crypto/elliptic"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"custos/internal/platform/apperr"
)

// refusedCleanly fails unless err is nil or an invalid error naming field: whatever the
// input, a parser answers a 400, never a panic or a 500.
func refusedCleanly(t *testing.T, err error, field string) {
	if err == nil {
		return
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid || len(e.Fields) != 1 || e.Fields[0].Field != field {
		t.Fatalf("not a clean refusal naming %s: %v", field, err)
	}
}

func FuzzParseCSR(f *testing.F) {
	good := csrPEM(f, ecKey(f, elliptic.P256()))
	for _, s := range []string{good, good + good, good[:len(good)/2], strings.ReplaceAll(good, "REQUEST", "REQ"),
		"-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n", keyPEM(f, ecKey(f, elliptic.P256())), ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		csr, err := ParseCSR(in)
		refusedCleanly(t, err, "csr")
		if err == nil && checkKey(csr.PublicKey, "csr") != nil {
			t.Fatal("accepted a key we do not issue for")
		}
	})
}

func FuzzParseCertificatePEM(f *testing.F) {
	now := time.Now()
	k := ecKey(f, elliptic.P256())
	for _, s := range []string{leafFor(f, k, now), keyPEM(f, k), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseCertificatePEM(in, now)
		refusedCleanly(t, err, "pem")
		if err == nil && (c.IsCA || !now.Before(c.NotAfter)) {
			t.Fatal("accepted a CA or an expired certificate")
		}
	})
}

func FuzzParseImport(f *testing.F) {
	k := ecKey(f, elliptic.P256())
	f.Add(leafFor(f, k, time.Now()), keyPEM(f, k))
	f.Add("", "")
	f.Fuzz(func(t *testing.T, cert, key string) {
		_, _, err := parseImport(ImportInput{Certificate: cert, PrivateKey: key}, time.Now())
		if err == nil {
			return
		}
		e, ok := apperr.As(err)
		if !ok || e.Kind != apperr.KindInvalid {
			t.Fatalf("not a clean refusal: %v", err)
		}
	})
}

// FuzzBundlePassword: the password of a PKCS#12 request ({"method":"p12","password":…})
// is refused naming the field, or the bundle is made with it and opens with it again.
func FuzzBundlePassword(f *testing.F) {
	k := ecKey(f, elliptic.P256())
	c, err := ParseCertificatePEM(leafFor(f, k, time.Now()), time.Now())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "secret", "пароль", "pass\U0001F600", "a\x00b", "\xff\xfe", strings.Repeat("p", MaxBundlePassword),
		strings.Repeat("p", MaxBundlePassword+1), strings.Repeat("я", 64), strings.Repeat("я", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, password string) {
		err := CheckBundlePassword(password)
		refusedCleanly(t, err, "password")
		if err != nil {
			return
		}
		p12, err := pkcs12.Modern2023.Encode(k, c, []*x509.Certificate{c}, password)
		if err != nil {
			t.Fatalf("accepted a password the bundle cannot carry: %v", err)
		}
		if _, got, _, err := pkcs12.DecodeChain(p12, password); err != nil || !got.Equal(c) {
			t.Fatalf("the bundle does not open with its password: %v", err)
		}
	})
}
