package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInitTokenAndUserPIN(t *testing.T) {
	needHSM(t)
	a := newAgent(t, hsm.mod, nil)
	s := a.pair(console)
	tok := a.token(s, "init")
	serial := tok["serial"].(string)
	base := "/tokens/" + serial

	r := a.call("POST", base+"/init", console, s, map[string]string{"admin_pin": "00000000", "label": "issued"})
	expect(t, r, http.StatusUnauthorized, "pin.incorrect")
	if r.str("pin") != "admin" {
		t.Fatalf("wrong admin PIN answered as %s", r.Raw)
	}
	r = a.call("POST", base+"/init", console, s, map[string]string{"admin_pin": soPIN, "label": "init-issued"})
	expect(t, r, 200, "")
	if r.str("serial") != serial || r.str("label") != "init-issued" || r.Body["user_pin_initialized"] != false {
		t.Fatalf("after init: %s", r.Raw)
	}
	// Initialised, no user PIN yet: keys cannot be made.
	r = a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": "ecdsa-p256", "id": "01"})
	expect(t, r, http.StatusUnprocessableEntity, "pin.notInitialized")

	expect(t, a.call("POST", base+"/user-pin", console, s, map[string]string{"new_pin": "24681357"}), 400, "required")
	r = a.call("POST", base+"/user-pin", console, s, map[string]string{"admin_pin": soPIN, "new_pin": "12"})
	expect(t, r, 400, "pin.length")
	if r.Body["errors"].([]any)[0].(map[string]any)["field"] != "new_pin" {
		t.Fatalf("short PIN not named: %s", r.Raw)
	}
	r = a.call("POST", base+"/user-pin", console, s, map[string]string{"admin_pin": soPIN, "new_pin": "24681357"})
	expect(t, r, 200, "")
	if r.Body["user_pin_initialized"] != true {
		t.Fatalf("user PIN not set: %s", r.Raw)
	}
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": "24681357"}), 200, "")

	r = a.call("POST", base+"/user-pin", console, s, map[string]string{"old_pin": "24681357", "new_pin": "11223344"})
	expect(t, r, 200, "")
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": "24681357"}), 401, "pin.incorrect")
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": "11223344"}), 200, "")

	// OpenSC logs in with the PIN we set, and sees a wiped token.
	out, err := pkcs11Tool(t, "init-issued", "--list-objects", "--login", "--pin", "11223344")
	if err != nil || len(objectsWithID(out, "Private Key Object", "01")) != 0 {
		t.Fatalf("pkcs11-tool after init: %v\n%s", err, out)
	}
	if _, err := pkcs11Tool(t, "init-issued", "--list-objects", "--login", "--pin", "24681357"); err == nil {
		t.Fatal("pkcs11-tool logged in with the old PIN")
	}
}

func TestInitBlankToken(t *testing.T) {
	needHSM(t)
	a := newAgent(t, hsm.mod, nil)
	s := a.pair(console)
	r := a.call("GET", "/tokens", console, s, nil)
	var ref string
	for _, it := range r.Body["items"].([]any) {
		if tok := it.(map[string]any); tok["initialized"] == false {
			ref = tok["ref"].(string)
		}
	}
	if !strings.HasPrefix(ref, "slot-") {
		t.Fatalf("a blank SoftHSM2 slot should be addressed by slot: %s", r.Raw)
	}
	r = a.call("POST", "/tokens/"+ref+"/init", console, s, map[string]string{"admin_pin": "10203040", "label": "blank-init"})
	expect(t, r, 200, "")
	if r.Body["initialized"] != true || r.str("serial") == "" || r.str("label") != "blank-init" {
		t.Fatalf("blank token after init: %s", r.Raw)
	}
	expect(t, a.call("POST", "/tokens/"+r.str("serial")+"/user-pin", console, s,
		map[string]string{"admin_pin": "10203040", "new_pin": "50607080"}), 200, "")
	expect(t, a.call("POST", "/tokens/nope/init", console, s, map[string]string{"admin_pin": "10203040"}), 404, "token.notFound")
}

// testCA is a throwaway CA that signs the token's requests as the server's CA would.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Custos test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	file := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	return &testCA{cert: cert, key: key, file: file}
}

func (ca *testCA) sign(t *testing.T, csr *x509.CertificateRequest, cn string) []byte {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, csr.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestKeysOnTokenCSRAndCertificate(t *testing.T) {
	needHSM(t)
	a := newAgent(t, hsm.mod, nil)
	s := a.pair(console)
	serial := a.token(s, "keys")["serial"].(string)
	base := "/tokens/" + serial
	ca := newTestCA(t)
	dir := t.TempDir()
	algs := []struct{ alg, id string }{{"ecdsa-p256", "01"}, {"ecdsa-p384", "02"}, {"rsa-2048", "03"}, {"rsa-3072", "04"}, {"rsa-4096", "05"}}
	if testing.Short() {
		algs = algs[:3]
	}
	fps := map[string]string{}
	var firstPEM string
	for _, c := range algs {
		r := a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": c.alg, "id": c.id, "label": "key " + c.alg})
		expect(t, r, http.StatusCreated, "")
		csrFile := filepath.Join(dir, c.id+".csr")
		os.WriteFile(csrFile, []byte(r.str("csr")), 0o644)
		if out := run(t, "openssl", "req", "-in", csrFile, "-verify", "-noout"); !strings.Contains(out, "verify OK") {
			t.Fatalf("%s: openssl req -verify: %s", c.alg, out)
		}
		block, _ := pem.Decode([]byte(r.str("csr")))
		csr, err := x509.ParseCertificateRequest(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		switch k := csr.PublicKey.(type) {
		case *ecdsa.PublicKey:
			if want := map[string]int{"ecdsa-p256": 256, "ecdsa-p384": 384}[c.alg]; k.Curve.Params().BitSize != want {
				t.Fatalf("%s: key of %d bits", c.alg, k.Curve.Params().BitSize)
			}
		case *rsa.PublicKey:
			if want := map[string]int{"rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096}[c.alg]; k.N.BitLen() != want {
				t.Fatalf("%s: key of %d bits", c.alg, k.N.BitLen())
			}
		}
		der := ca.sign(t, csr, "user "+c.alg)
		certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		if firstPEM == "" {
			firstPEM = certPEM
		}
		r = a.call("POST", base+"/certificates", console, s, map[string]string{"user_pin": userPIN, "id": c.id, "label": "cert " + c.alg, "pem": certPEM})
		expect(t, r, http.StatusCreated, "")
		sum := sha256.Sum256(der)
		if r.str("fingerprint_sha256") != hex.EncodeToString(sum[:]) {
			t.Fatalf("%s: fingerprint %s, want %x", c.alg, r.str("fingerprint_sha256"), sum)
		}
		fps[c.id] = r.str("fingerprint_sha256")
		certFile := filepath.Join(dir, c.id+".pem")
		os.WriteFile(certFile, []byte(certPEM), 0o644)
		run(t, "openssl", "verify", "-CAfile", ca.file, certFile)
	}

	// OpenSC sees each private key, never extractable and sensitive, and our certificate
	// with the same CKA_ID.
	out, err := pkcs11Tool(t, "keys", "--list-objects", "--login", "--pin", userPIN)
	if err != nil {
		t.Fatalf("pkcs11-tool: %v\n%s", err, out)
	}
	for _, c := range algs {
		priv := objectsWithID(out, "Private Key Object", c.id)
		if len(priv) != 1 || !strings.Contains(priv[0], "never extractable") || !strings.Contains(priv[0], "sensitive") {
			t.Fatalf("%s: private key as pkcs11-tool lists it: %q\n%s", c.alg, priv, out)
		}
		if kind := map[bool]string{true: "EC", false: "RSA"}[strings.HasPrefix(c.alg, "ecdsa")]; !strings.HasPrefix(priv[0], "Private Key Object; "+kind) {
			t.Fatalf("%s: %s", c.alg, priv[0])
		}
		if cert := objectsWithID(out, "Certificate Object", c.id); len(cert) != 1 || !strings.Contains(cert[0], "cert "+c.alg) {
			t.Fatalf("%s: certificate as pkcs11-tool lists it: %q", c.alg, cert)
		}
	}

	// The agent lists them back with the same ids and fingerprints.
	r := a.call("GET", base+"/certificates", console, s, nil)
	expect(t, r, 200, "")
	got := map[string]string{}
	for _, it := range r.Body["items"].([]any) {
		c := it.(map[string]any)
		got[c["id"].(string)] = c["fingerprint_sha256"].(string)
		if !strings.HasPrefix(c["subject"].(string), "CN=user ") {
			t.Fatalf("subject %v", c["subject"])
		}
	}
	for id, fp := range fps {
		if got[id] != fp {
			t.Fatalf("certificate %s: listed %q, written %q", id, got[id], fp)
		}
	}

	// A certificate for another key is refused; so are a taken id and bad input.
	r = a.call("POST", base+"/certificates", console, s, map[string]string{"user_pin": userPIN, "id": "02", "label": "x", "pem": firstPEM})
	expect(t, r, http.StatusUnprocessableEntity, "certificate.keyMismatch")
	r = a.call("POST", base+"/certificates", console, s, map[string]string{"user_pin": userPIN, "id": "7f", "label": "x", "pem": firstPEM})
	expect(t, r, http.StatusNotFound, "key.notFound")
	expect(t, a.call("POST", base+"/certificates", console, s, map[string]string{"user_pin": userPIN, "id": "01", "pem": "junk"}), 400, "invalid")
	expect(t, a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": "ecdsa-p256", "id": "01"}), http.StatusConflict, "key.idTaken")
	expect(t, a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": "gost", "id": "0f"}), 400, "unknown")
	expect(t, a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": "ecdsa-p256", "id": "zz"}), 400, "invalid")
	expect(t, a.call("POST", "/tokens/0000000000000000/keys", console, s, map[string]string{"user_pin": userPIN, "algorithm": "ecdsa-p256", "id": "0f"}), 404, "token.notFound")

	// replace: an unfinished attempt's objects with this id make way for a new pair.
	r = a.call("POST", base+"/keys", console, s, map[string]any{"user_pin": userPIN, "algorithm": "ecdsa-p256", "id": "01", "replace": true})
	expect(t, r, http.StatusCreated, "")
	out, _ = pkcs11Tool(t, "keys", "--list-objects", "--login", "--pin", userPIN)
	if n, c := len(objectsWithID(out, "Private Key Object", "01")), len(objectsWithID(out, "Certificate Object", "01")); n != 1 || c != 0 {
		t.Fatalf("after replace: %d private keys, %d certificates with id 01\n%s", n, c, out)
	}
}

func TestWrongUserPINDecrementsTheCounter(t *testing.T) {
	needHSM(t)
	a := newAgent(t, hsm.mod, nil)
	s := a.pair(console)
	tok := a.token(s, "pins")
	if pinFlag(tok, "user_pin", "count_low") {
		t.Fatalf("fresh token already low: %v", tok)
	}
	base := "/tokens/" + tok["serial"].(string)
	r := a.call("POST", base+"/login", console, s, map[string]string{"user_pin": "87878787"})
	expect(t, r, http.StatusUnauthorized, "pin.incorrect")
	if r.str("pin") != "user" || r.str("retries_left_hint") != "low" {
		t.Fatalf("wrong user PIN: %s", r.Raw)
	}
	if !pinFlag(a.token(s, "pins"), "user_pin", "count_low") {
		t.Fatal("the token does not report the user PIN counter as low")
	}
	r = a.call("POST", base+"/keys", console, s, map[string]string{"user_pin": "87878787", "algorithm": "ecdsa-p256", "id": "01"})
	expect(t, r, http.StatusUnauthorized, "pin.incorrect")
	if r.str("retries_left_hint") != "low" {
		t.Fatalf("keys with a wrong PIN: %s", r.Raw)
	}
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": userPIN}), 200, "")
	if pinFlag(a.token(s, "pins"), "user_pin", "count_low") {
		t.Fatal("the counter stays low after a right PIN")
	}

	// Unblock with the admin PIN: a wrong one is counted against the admin PIN.
	r = a.call("POST", base+"/unblock", console, s, map[string]string{"admin_pin": "11111111", "new_pin": "99887766"})
	expect(t, r, http.StatusUnauthorized, "pin.incorrect")
	if r.str("pin") != "admin" || r.str("retries_left_hint") != "low" || !pinFlag(a.token(s, "pins"), "admin_pin", "count_low") {
		t.Fatalf("wrong admin PIN: %s", r.Raw)
	}
	expect(t, a.call("POST", base+"/unblock", console, s, map[string]string{"admin_pin": soPIN, "new_pin": "99887766"}), 200, "")
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": "99887766"}), 200, "")
	expect(t, a.call("POST", base+"/login", console, s, map[string]string{"user_pin": userPIN}), 401, "pin.incorrect")
}

func TestNoPINOrSecretInTheLog(t *testing.T) {
	needHSM(t)
	a := newAgent(t, hsm.mod, nil)
	s := a.pair(console)
	base := "/tokens/" + a.token(s, "redact")["serial"].(string)
	pins := []string{"So-Pin-731904", "Us3r-Pin-5524", "Us3r-Pin-6637", "Wrong-Pin-0913"}
	steps := []struct {
		path string
		body map[string]string
	}{
		{"/init", map[string]string{"admin_pin": soPIN, "label": "redact"}},
		{"/init", map[string]string{"admin_pin": pins[3], "label": "redact"}},
		{"/user-pin", map[string]string{"admin_pin": soPIN, "new_pin": pins[1]}},
		{"/user-pin", map[string]string{"old_pin": pins[1], "new_pin": pins[2]}},
		{"/login", map[string]string{"user_pin": pins[3]}},
		{"/keys", map[string]string{"user_pin": pins[2], "algorithm": "ecdsa-p256", "id": "01"}},
		{"/unblock", map[string]string{"admin_pin": soPIN, "new_pin": pins[1]}},
		{"/keys", map[string]string{"user_pin": pins[0], "algorithm": "nope", "id": "zz"}},
	}
	for _, st := range steps {
		a.call("POST", base+st.path, console, s, st.body)
	}
	a.call("POST", "/pair", console, "", map[string]string{"code": "12345678", "origin": console, "user_pin": pins[0]})
	log := a.log.String()
	if !strings.Contains(log, "path="+base+"/keys") || !strings.Contains(log, "status=401") {
		t.Fatalf("the log does not show the calls:\n%s", log)
	}
	for _, secret := range append(pins, soPIN, s) {
		if strings.Contains(log, secret) {
			t.Fatalf("the log holds %q:\n%s", secret, log)
		}
	}
}
