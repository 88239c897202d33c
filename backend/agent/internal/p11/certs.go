package p11

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"time"

	"github.com/miekg/pkcs11"
)

// Certificate is a certificate object on a token.
type Certificate struct {
	ID                string    `json:"id"`
	Label             string    `json:"label"`
	Subject           string    `json:"subject"`
	Issuer            string    `json:"issuer"`
	SerialNumber      string    `json:"serial_number"`
	NotAfter          time.Time `json:"not_after"`
	FingerprintSHA256 string    `json:"fingerprint_sha256"`
}

// Fingerprint is the lower-case hex SHA-256 of a certificate's DER (as the server
// computes it).
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// ParseCertificatePEM reads one certificate from PEM.
func ParseCertificatePEM(s string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, invalid("pem", "invalid", "pem is one PEM CERTIFICATE block")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, invalid("pem", "invalid", "the certificate cannot be parsed: "+err.Error())
	}
	return c, nil
}

// WriteCertificate writes cert next to the key with the same CKA_ID (the certificate
// must be for that key), replacing a certificate with that id, then reads it back and
// answers its SHA-256 fingerprint as read from the token.
func (m *Module) WriteCertificate(ref, userPIN string, id []byte, label string, cert *x509.Certificate) (string, error) {
	if len(label) > 128 {
		return "", invalid("label", "tooLong", "a label is at most 128 bytes")
	}
	var fp string
	err := m.session(ref, true, "user", userPIN, "user_pin", func(t Token, sh pkcs11.SessionHandle) error {
		pubs, err := m.findObjects(sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY), pkcs11.NewAttribute(pkcs11.CKA_ID, id)})
		if err != nil {
			return err
		}
		privs, err := m.findObjects(sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY), pkcs11.NewAttribute(pkcs11.CKA_ID, id)})
		if err != nil {
			return err
		}
		if len(pubs) != 1 || len(privs) != 1 {
			return &Error{Kind: KindNotFound, Code: "key.notFound", Field: "id", Detail: "the token holds no key pair with this id"}
		}
		pk, err := m.publicKey(sh, pubs[0])
		if err != nil {
			return err
		}
		if !samePublicKey(pk, cert.PublicKey) {
			return &Error{Kind: KindUnprocessable, Code: "certificate.keyMismatch", Field: "pem",
				Detail: "the certificate is not for the key with this id"}
		}
		old, err := m.findObjects(sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE), pkcs11.NewAttribute(pkcs11.CKA_ID, id)})
		if err != nil {
			return err
		}
		serial, err := asn1.Marshal(cert.SerialNumber)
		if err != nil {
			return invalid("pem", "invalid", "the certificate's serial number cannot be encoded")
		}
		h, err := m.ctx.CreateObject(sh, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
			pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
			pkcs11.NewAttribute(pkcs11.CKA_MODIFIABLE, true),
			pkcs11.NewAttribute(pkcs11.CKA_ID, id),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
			pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, cert.RawSubject),
			pkcs11.NewAttribute(pkcs11.CKA_ISSUER, cert.RawIssuer),
			pkcs11.NewAttribute(pkcs11.CKA_SERIAL_NUMBER, serial),
			pkcs11.NewAttribute(pkcs11.CKA_VALUE, cert.Raw),
		})
		if err != nil {
			return deviceErr("C_CreateObject", err)
		}
		// The old certificate goes only once the new one is on the token.
		for _, o := range old {
			if err := m.ctx.DestroyObject(sh, o); err != nil {
				return deviceErr("C_DestroyObject", err)
			}
		}
		a, err := m.ctx.GetAttributeValue(sh, h, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
		if err != nil {
			return deviceErr("C_GetAttributeValue", err)
		}
		if !bytes.Equal(a[0].Value, cert.Raw) {
			return &Error{Kind: KindDevice, Code: "certificate.readBackMismatch", Detail: "the certificate read back differs from the one written"}
		}
		fp = Fingerprint(a[0].Value)
		return nil
	})
	return fp, err
}

// Certificates lists the certificate objects on a token (public objects: no PIN).
func (m *Module) Certificates(ref string) ([]Certificate, error) {
	out := []Certificate{}
	err := m.session(ref, false, "", "", "", func(t Token, sh pkcs11.SessionHandle) error {
		objs, err := m.findObjects(sh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE)})
		if err != nil {
			return err
		}
		for _, o := range objs {
			a, err := m.ctx.GetAttributeValue(sh, o, []*pkcs11.Attribute{
				pkcs11.NewAttribute(pkcs11.CKA_ID, nil), pkcs11.NewAttribute(pkcs11.CKA_LABEL, nil), pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
			if err != nil {
				return deviceErr("C_GetAttributeValue", err)
			}
			c := Certificate{ID: hex.EncodeToString(a[0].Value), Label: string(a[1].Value), FingerprintSHA256: Fingerprint(a[2].Value)}
			if x, err := x509.ParseCertificate(a[2].Value); err == nil {
				c.Subject, c.Issuer, c.NotAfter = x.Subject.String(), x.Issuer.String(), x.NotAfter.UTC()
				c.SerialNumber = x.SerialNumber.Text(16)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

func samePublicKey(a, b crypto.PublicKey) bool {
	type eq interface{ Equal(x crypto.PublicKey) bool }
	if e, ok := a.(eq); ok {
		return e.Equal(b)
	}
	return false
}
