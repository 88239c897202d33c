package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// agentClient calls a real custos-agent as the console's page does: from the console's
// origin, with the pairing secret.
type agentClient struct {
	t      *testing.T
	url    string
	origin string
	secret string
}

func (c *agentClient) do(method, path string, body any) *testutil.Resp {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.url+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Origin", c.origin)
	req.Header.Set("Content-Type", "application/json")
	if c.secret != "" {
		req.Header.Set("Authorization", "Bearer "+c.secret)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &testutil.Resp{Status: res.StatusCode, Header: res.Header, Body: b}
	_ = json.Unmarshal(b, &r.JSON)
	return r
}

func (c *agentClient) must(method, path string, body any, status int) *testutil.Resp {
	c.t.Helper()
	r := c.do(method, path, body)
	require.Equal(c.t, status, r.Status, "%s %s: %s", method, path, r)
	return r
}

// writeOnDevice runs the device steps of an issuance through the agent — a key pair per
// template made on the token, its request signed by our CA, the certificate written next
// to the key and read back — and confirms it; it answers the certificates' PEM.
func writeOnDevice(t *testing.T, user *testutil.Client, ag *agentClient, serial, pin, issuanceID string, templates []string) []string {
	t.Helper()
	base := "/api/v1/me/issuances/" + issuanceID
	var fps, pems []string
	for i, tmpl := range templates {
		id := []string{"01", "02", "03"}[i]
		k := ag.must("POST", "/tokens/"+serial+"/keys", map[string]any{"user_pin": pin, "algorithm": "ecdsa-p256", "id": id,
			"label": "custos " + id, "replace": true}, 201)
		c := testutil.MustCreate(t, user, base+"/csr", map[string]any{"serial": serial, "template_id": tmpl, "csr": k.Str("csr")})
		w := ag.must("POST", "/tokens/"+serial+"/certificates", map[string]any{"user_pin": pin, "id": id, "label": "custos " + id,
			"pem": c.Str("pem")}, 201)
		require.Equal(t, c.Str("fingerprint_sha256"), w.Str("fingerprint_sha256"), "the agent read back what the CA signed")
		fps = append(fps, w.Str("fingerprint_sha256"))
		pems = append(pems, c.Str("pem"))
	}
	done := user.Do("POST", base+"/confirm", map[string]any{"serial": serial, "label": "Token of the test", "fingerprints": fps})
	require.Equal(t, 200, done.Status, done.String())
	require.Equal(t, "issued", done.Str("state"))
	return pems
}

// TestDeviceIssuanceOnSoftHSM runs both issuance flows end to end on a real PKCS#11
// token (SoftHSM2) through the real custos-agent, and has software we did not write judge
// the result: pkcs11-tool lists the key (never extractable) and our certificate under one
// id, openssl verifies the certificate against our CA, and openssl's OCSP client hears
// "revoked" after an operator revokes the device.
func TestDeviceIssuanceOnSoftHSM(t *testing.T) {
	t.Parallel()
	agent := testutil.StartAgent(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()

	ag := &agentClient{t: t, url: agent.URL, origin: a.URL}
	testutil.AssertProblem(t, ag.do("GET", "/tokens", nil), 403, "origin.refused")
	p := ag.must("POST", "/pair", map[string]any{"code": agent.Code, "origin": a.URL}, 200)
	ag.secret = p.Str("secret")
	require.NotEmpty(t, ag.secret)
	assert.Equal(t, 403, (&agentClient{t: t, url: agent.URL, origin: "https://evil.example", secret: ag.secret}).do("GET", "/tokens", nil).Status,
		"another origin with the secret is refused")
	toks := ag.must("GET", "/tokens", nil, 200)
	serial := ""
	list, _ := toks.Get("items").([]any)
	for _, tk := range list {
		if m := tk.(map[string]any); m["label"] == "custos-test" {
			serial = m["serial"].(string)
		}
	}
	require.NotEmpty(t, serial, toks.String())

	// Self-service, no approval: initialise (the policy says so), set the user PIN, write.
	cat := newCatalogue(t, a, admin, map[string]any{"initialise_before_issuance": true})
	anna := a.As(cat.group)
	iss := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
	require.Equal(t, "approved", iss.Str("state"))
	ag.must("POST", "/tokens/"+serial+"/init", map[string]any{"admin_pin": agent.SOPIN, "label": "custos-test"}, 200)
	pin := "24681357"
	ag.must("POST", "/tokens/"+serial+"/user-pin", map[string]any{"admin_pin": agent.SOPIN, "new_pin": pin}, 200)
	pems := writeOnDevice(t, anna, ag, serial, pin, iss.Str("id"), []string{cat.templateID})

	env := append(os.Environ(), agent.Env...)
	objs, err := runEnv(env, "pkcs11-tool", "--module", agent.Module, "--token-label", "custos-test", "--login", "--pin", pin, "--list-objects")
	require.NoError(t, err, objs)
	assert.Contains(t, objs, "Private Key Object; EC")
	assert.Contains(t, objs, "never extractable")
	assert.Contains(t, objs, "Certificate Object; type = X.509 cert")
	assert.Equal(t, 3, strings.Count(objs, "ID:         01"), "private key, public key and certificate share one id:\n%s", objs)
	_, err = runEnv(env, "pkcs11-tool", "--module", agent.Module, "--token-label", "custos-test", "--login", "--pin", "11112222", "--list-objects")
	assert.Error(t, err, "the old PIN no longer opens the token")

	dir := t.TempDir()
	caFile, certFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "device.pem")
	require.NoError(t, os.WriteFile(caFile, []byte(anonGet(t, a, "/pki/ca.crt")), 0o600))
	require.NoError(t, os.WriteFile(certFile, []byte(pems[0]), 0o600))
	out, err := runEnv(nil, "openssl", "verify", "-CAfile", caFile, certFile)
	require.NoError(t, err, out)
	assert.Contains(t, out, "device.pem: OK")

	// The two-stage flow: a CA operator approves in between; the device steps continue after.
	cat2 := newCatalogue(t, a, admin, map[string]any{"approval_required": true})
	boris := a.As(cat2.group)
	req := testutil.MustCreate(t, boris, "/api/v1/me/issuances", map[string]any{"device_type_id": cat2.typeID})
	require.Equal(t, "pending_approval", req.Str("state"))
	testutil.AssertProblem(t, boris.Do("POST", "/api/v1/me/issuances/"+req.Str("id")+"/csr", map[string]any{"serial": serial,
		"template_id": cat2.templateID, "csr": deviceCSR(t, false)}), 409, "issuance.wrongState")
	require.Equal(t, 200, a.As("operators").Do("POST", "/api/v1/issuances/"+req.Str("id")+"/approve", map[string]any{"comment": "ok"}).Status)
	// The token is still anna's: its serial is issued, so boris cannot write on it.
	testutil.AssertProblem(t, boris.Do("POST", "/api/v1/me/issuances/"+req.Str("id")+"/csr", map[string]any{"serial": serial,
		"template_id": cat2.templateID, "csr": deviceCSR(t, false)}), 409, "device.serialTaken")

	// The operator revokes anna's device: openssl's OCSP client hears "revoked" at once, and
	// the token may be issued again — to boris, whose approved request continues.
	dev := anna.Do("GET", "/api/v1/me/devices", nil)
	require.Equal(t, float64(1), dev.Num("total"), dev.String())
	require.Equal(t, 200, admin.Do("POST", "/api/v1/devices/"+dev.Str("items.0.id")+"/revoke", map[string]any{"version": 1}).Status)
	out, err = runEnv(nil, "openssl", "ocsp", "-issuer", caFile, "-cert", certFile, "-url", a.URL+"/pki/ocsp", "-CAfile", caFile)
	require.NoError(t, err, out)
	assert.Contains(t, out, "device.pem: revoked", out)

	pems = writeOnDevice(t, boris, ag, serial, pin, req.Str("id"), []string{cat2.templateID})
	require.NoError(t, os.WriteFile(certFile, []byte(pems[0]), 0o600))
	out, err = runEnv(nil, "openssl", "ocsp", "-issuer", caFile, "-cert", certFile, "-url", a.URL+"/pki/ocsp", "-CAfile", caFile)
	require.NoError(t, err, out)
	assert.Contains(t, out, "device.pem: good", out)
}

func runEnv(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	if env != nil {
		cmd.Env = env
	}
	b, err := cmd.CombinedOutput()
	return string(b), err
}
