package p11

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"

	"github.com/miekg/pkcs11"
)

// Algorithms are the key algorithms of the server's certificate templates.
var Algorithms = []string{"ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-4096"}

// DER of the named curves' OIDs (CKA_EC_PARAMS).
var (
	oidP256 = []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}
	oidP384 = []byte{0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22}
)

// ParseID reads a CKA_ID given as hex (as pkcs11-tool --id takes it): 1 to 64 bytes.
func ParseID(s string) ([]byte, error) {
	id, err := hex.DecodeString(s)
	if err != nil || len(id) == 0 || len(id) > 64 {
		return nil, invalid("id", "invalid", "id is the key's CKA_ID in hex, 1 to 64 bytes (e.g. 01 or a1b2c3)")
	}
	return id, nil
}

// KeyRequest asks for a key pair on the token.
type KeyRequest struct {
	UserPIN   string
	Algorithm string
	ID        []byte
	Label     string
	// Replace destroys the objects already holding this CKA_ID (an unfinished attempt)
	// instead of refusing.
	Replace bool
}

// GenerateKey makes a key pair on the token, private half sensitive, private and never
// extractable, and answers a PKCS#10 request (PEM) signed by it. The subject is empty:
// the server writes the subject from the certificate template.
func (m *Module) GenerateKey(ref string, r KeyRequest) (string, error) {
	if !slices.Contains(Algorithms, r.Algorithm) {
		return "", invalid("algorithm", "unknown", "algorithm is one of ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096")
	}
	if len(r.Label) > 128 {
		return "", invalid("label", "tooLong", "a label is at most 128 bytes")
	}
	var csrPEM string
	err := m.session(ref, true, "user", r.UserPIN, "user_pin", func(t Token, sh pkcs11.SessionHandle) error {
		existing, err := m.findObjects(sh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_ID, r.ID)})
		if err != nil {
			return err
		}
		if len(existing) > 0 && !r.Replace {
			return &Error{Kind: KindConflict, Code: "key.idTaken", Field: "id",
				Detail: "the token already holds objects with this id (send replace: true to destroy them)"}
		}
		for _, o := range existing {
			if err := m.ctx.DestroyObject(sh, o); err != nil {
				return deviceErr("C_DestroyObject", err)
			}
		}
		pub, priv, err := m.generate(sh, r)
		if err != nil {
			return err
		}
		signer, err := m.signer(sh, pub, priv)
		if err != nil {
			return err
		}
		der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, signer)
		if err != nil {
			return &Error{Kind: KindDevice, Code: "csr.failed", Detail: "the token could not sign the request", err: err}
		}
		csrPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
		return nil
	})
	return csrPEM, err
}

func (m *Module) generate(sh pkcs11.SessionHandle, r KeyRequest) (pkcs11.ObjectHandle, pkcs11.ObjectHandle, error) {
	common := func(class uint) []*pkcs11.Attribute {
		return []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, class),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
			pkcs11.NewAttribute(pkcs11.CKA_ID, r.ID),
			pkcs11.NewAttribute(pkcs11.CKA_LABEL, r.Label),
		}
	}
	pub := append(common(pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true))
	priv := append(common(pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true))
	var mech uint
	switch r.Algorithm {
	case "ecdsa-p256", "ecdsa-p384":
		mech = pkcs11.CKM_EC_KEY_PAIR_GEN
		params := oidP256
		if r.Algorithm == "ecdsa-p384" {
			params = oidP384
		}
		pub = append(pub, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC), pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, params))
		priv = append(priv, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC))
	default:
		mech = pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN
		bits := map[string]int{"rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096}[r.Algorithm]
		pub = append(pub, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS_BITS, bits),
			pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, []byte{1, 0, 1}))
		priv = append(priv, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA))
	}
	pubH, privH, err := m.ctx.GenerateKeyPair(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}, pub, priv)
	if err != nil {
		var ck pkcs11.Error
		if errors.As(err, &ck) && (ck == pkcs11.CKR_MECHANISM_INVALID || ck == pkcs11.CKR_ATTRIBUTE_VALUE_INVALID || ck == pkcs11.CKR_DOMAIN_PARAMS_INVALID) {
			return 0, 0, &Error{Kind: KindUnprocessable, Code: "algorithm.unsupported", Field: "algorithm",
				Detail: "the token cannot make " + r.Algorithm + " keys", err: err}
		}
		return 0, 0, deviceErr("C_GenerateKeyPair", err)
	}
	return pubH, privH, nil
}

// publicKey reads a public key object.
func (m *Module) publicKey(sh pkcs11.SessionHandle, pub pkcs11.ObjectHandle) (crypto.PublicKey, error) {
	attrs, err := m.ctx.GetAttributeValue(sh, pub, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, nil)})
	if err != nil {
		return nil, deviceErr("C_GetAttributeValue", err)
	}
	switch bytesToUint(attrs[0].Value) {
	case pkcs11.CKK_EC:
		a, err := m.ctx.GetAttributeValue(sh, pub, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, nil), pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
		if err != nil {
			return nil, deviceErr("C_GetAttributeValue", err)
		}
		var curve elliptic.Curve
		switch {
		case bytes.Equal(a[0].Value, oidP256):
			curve = elliptic.P256()
		case bytes.Equal(a[0].Value, oidP384):
			curve = elliptic.P384()
		default:
			return nil, &Error{Kind: KindUnprocessable, Code: "key.unsupported", Detail: "the key's curve is not P-256 or P-384"}
		}
		point := a[1].Value
		var inner []byte // CKA_EC_POINT is a DER OCTET STRING; some modules give it bare
		if _, err := asn1.Unmarshal(point, &inner); err == nil {
			point = inner
		}
		k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil {
			return nil, &Error{Kind: KindDevice, Code: "token.error", Detail: "the token answered a malformed EC point", err: err}
		}
		return k, nil
	case pkcs11.CKK_RSA:
		a, err := m.ctx.GetAttributeValue(sh, pub, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS, nil), pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, nil)})
		if err != nil {
			return nil, deviceErr("C_GetAttributeValue", err)
		}
		e := new(big.Int).SetBytes(a[1].Value)
		if !e.IsInt64() || e.Int64() > 1<<31-1 {
			return nil, &Error{Kind: KindUnprocessable, Code: "key.unsupported", Detail: "the RSA exponent is too large"}
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(a[0].Value), E: int(e.Int64())}, nil
	}
	return nil, &Error{Kind: KindUnprocessable, Code: "key.unsupported", Detail: "the key is neither EC nor RSA"}
}

func (m *Module) signer(sh pkcs11.SessionHandle, pub, priv pkcs11.ObjectHandle) (crypto.Signer, error) {
	pk, err := m.publicKey(sh, pub)
	if err != nil {
		return nil, err
	}
	return &tokenSigner{m: m, sh: sh, key: priv, pub: pk}, nil
}

// tokenSigner signs with a private key that never leaves the token. It is used inside
// one session with the module lock held.
type tokenSigner struct {
	m   *Module
	sh  pkcs11.SessionHandle
	key pkcs11.ObjectHandle
	pub crypto.PublicKey
}

func (s *tokenSigner) Public() crypto.PublicKey { return s.pub }

// DigestInfo prefixes of PKCS#1 v1.5 (RFC 8017 §9.2, note 1).
var digestInfo = map[crypto.Hash][]byte{
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

func (s *tokenSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	switch s.pub.(type) {
	case *ecdsa.PublicKey:
		raw, err := s.sign(pkcs11.CKM_ECDSA, digest)
		if err != nil {
			return nil, err
		}
		if len(raw)%2 != 0 {
			return nil, errors.New("the token answered a malformed ECDSA signature")
		}
		h := len(raw) / 2
		return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:h]), new(big.Int).SetBytes(raw[h:])})
	case *rsa.PublicKey:
		if _, ok := opts.(*rsa.PSSOptions); ok {
			return nil, errors.New("RSA-PSS is not used for requests")
		}
		prefix, ok := digestInfo[opts.HashFunc()]
		if !ok {
			return nil, fmt.Errorf("unsupported hash %v", opts.HashFunc())
		}
		return s.sign(pkcs11.CKM_RSA_PKCS, append(slices.Clone(prefix), digest...))
	}
	return nil, errors.New("unsupported key")
}

func (s *tokenSigner) sign(mech uint, data []byte) ([]byte, error) {
	if err := s.m.ctx.SignInit(s.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(mech, nil)}, s.key); err != nil {
		return nil, deviceErr("C_SignInit", err)
	}
	sig, err := s.m.ctx.Sign(s.sh, data)
	if err != nil {
		return nil, deviceErr("C_Sign", err)
	}
	return sig, nil
}

func (m *Module) findObjects(sh pkcs11.SessionHandle, tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	if err := m.ctx.FindObjectsInit(sh, tmpl); err != nil {
		return nil, deviceErr("C_FindObjectsInit", err)
	}
	var out []pkcs11.ObjectHandle
	for {
		objs, _, err := m.ctx.FindObjects(sh, 64)
		if err != nil {
			_ = m.ctx.FindObjectsFinal(sh)
			return nil, deviceErr("C_FindObjects", err)
		}
		out = append(out, objs...)
		if len(objs) == 0 {
			break
		}
	}
	if err := m.ctx.FindObjectsFinal(sh); err != nil {
		return nil, deviceErr("C_FindObjectsFinal", err)
	}
	return out, nil
}

// bytesToUint reads a CK_ULONG attribute in the machine's byte order.
func bytesToUint(b []byte) uint {
	var v uint
	for i := len(b) - 1; i >= 0; i-- { // little-endian hosts (amd64, arm64)
		v = v<<8 | uint(b[i])
	}
	return v
}
