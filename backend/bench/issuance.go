package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"custos/internal/agentproc"
)

// IssuanceRuns is how many full issuances MeasureIssuance times (issue 15: p50 of 20).
const IssuanceRuns = 20

// MeasureIssuance times one full device issuance on a SoftHSM2 token through the real
// custos-agent: the request (POST /me/issuances, approved by the policy), a P-256 key
// pair generated on the token and its PKCS#10 request (agent), the certificate signed by
// our CA per the template (POST …/csr), written next to the key and read back (agent),
// and the confirmation that registers the device (POST …/confirm). Between runs the
// device is revoked (not timed) so the same token is issued again. repo is the checkout
// (scripts/softhsm-token.sh, backend/agent). It answers nothing, and says why, when
// SoftHSM2 is not installed.
func MeasureIssuance(ctx context.Context, bin, repo, dir string, logf func(string, ...any)) ([]Result, error) {
	if _, err := exec.LookPath("softhsm2-util"); err != nil {
		logf("issuance: skipped, softhsm2-util is missing (make deps installs it)")
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	agentBin := filepath.Join(dir, "custos-agent")
	if err := agentproc.Build(ctx, repo, agentBin); err != nil {
		return nil, err
	}
	const soPIN, userPIN = "87654321", "12345678"
	tok, err := agentproc.MakeToken(ctx, repo, filepath.Join(dir, "token"), "custos-bench", soPIN, userPIN)
	if err != nil {
		return nil, err
	}
	serial := tok.Serial
	srv, err := StartServer(ctx, bin, dir, "", 2)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	ag, stop, err := startAgent(ctx, agentBin, tok, srv.Base)
	if err != nil {
		return nil, err
	}
	defer stop()
	session, csrf, err := loginCookies(ctx, srv)
	if err != nil {
		return nil, err
	}
	api := &jsonClient{base: srv.Base, hc: srv.Client, header: http.Header{"Cookie": {"custos_session=" + session + "; custos_csrf=" + csrf},
		"X-Csrf-Token": {csrf}}}
	typeID, err := issuanceCatalogue(ctx, api)
	if err != nil {
		return nil, err
	}
	var lat []time.Duration
	for i := 0; i < IssuanceRuns; i++ {
		t0 := time.Now()
		var iss struct{ ID, State string }
		if err := api.do(ctx, "POST", "/api/v1/me/issuances", map[string]any{"device_type_id": typeID}, 201, &iss); err != nil {
			return nil, err
		}
		var tmpl struct {
			TemplateIDs []string `json:"template_ids"`
		}
		if err := api.do(ctx, "GET", "/api/v1/me/issuances/"+iss.ID, nil, 200, &tmpl); err != nil {
			return nil, err
		}
		var key struct{ CSR string }
		if err := ag.do(ctx, "POST", "/tokens/"+serial+"/keys", map[string]any{"user_pin": userPIN, "algorithm": "ecdsa-p256",
			"id": "01", "label": "bench", "replace": true}, 201, &key); err != nil {
			return nil, err
		}
		var cert struct {
			PEM         string `json:"pem"`
			Fingerprint string `json:"fingerprint_sha256"`
		}
		if err := api.do(ctx, "POST", "/api/v1/me/issuances/"+iss.ID+"/csr", map[string]any{"serial": serial,
			"template_id": tmpl.TemplateIDs[0], "csr": key.CSR}, 201, &cert); err != nil {
			return nil, err
		}
		var back struct {
			Fingerprint string `json:"fingerprint_sha256"`
		}
		if err := ag.do(ctx, "POST", "/tokens/"+serial+"/certificates", map[string]any{"user_pin": userPIN, "id": "01",
			"label": "bench", "pem": cert.PEM}, 201, &back); err != nil {
			return nil, err
		}
		var done struct {
			State    string  `json:"state"`
			DeviceID *string `json:"device_id"`
		}
		if err := api.do(ctx, "POST", "/api/v1/me/issuances/"+iss.ID+"/confirm", map[string]any{"serial": serial,
			"fingerprints": []string{back.Fingerprint}}, 200, &done); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(t0))
		if done.State != "issued" || done.DeviceID == nil {
			return nil, fmt.Errorf("issuance %s ended %s", iss.ID, done.State)
		}
		if err := api.do(ctx, "POST", "/api/v1/devices/"+*done.DeviceID+"/revoke", map[string]any{"version": 1}, 200, nil); err != nil {
			return nil, err
		}
	}
	slices.Sort(lat)
	logf("issuance: %d full issuances on SoftHSM2, p50 %s", len(lat), Ms(Percentile(lat, 0.5)))
	return []Result{{Scenario: "(devices) full issuance on SoftHSM2 via custos-agent: request, P-256 key on the token + CSR, CA signs, write + read back, confirm",
		DB: "sqlite", N: len(lat), P50: Ms(Percentile(lat, 0.5)), P99: Ms(Percentile(lat, 0.99)), Target: "-", Verdict: "-", Load: load1(),
		Peer: "Rutoken KeyBox, Indeed CM: no published figure"}}, nil
}

// issuanceCatalogue makes a device type, a template and a policy for tech_admins (the
// bench issues as tech_admin) and answers the type's id.
func issuanceCatalogue(ctx context.Context, api *jsonClient) (string, error) {
	var groups struct {
		Items []struct{ ID, Code string }
	}
	if err := api.do(ctx, "GET", "/api/v1/groups?q=tech_admins", nil, 200, &groups); err != nil {
		return "", err
	}
	gid := ""
	for _, g := range groups.Items {
		if g.Code == "tech_admins" {
			gid = g.ID
		}
	}
	var typ, tmpl struct{ ID string }
	if err := api.do(ctx, "POST", "/api/v1/device-types", map[string]any{"name": "SoftHSM2 (bench)",
		"pin_areas": []map[string]any{{"code": "pki", "name": "PKI"}}}, 201, &typ); err != nil {
		return "", err
	}
	if err := api.do(ctx, "POST", "/api/v1/certificate-templates", map[string]any{"name": "Sign-in (bench)", "key_algorithm": "ecdsa-p256",
		"validity_days": 365, "subject": []map[string]string{{"attr": "CN", "value": "{{login}}"}},
		"key_usages": []string{"digitalSignature"}, "extended_key_usages": []string{"clientAuth"}}, 201, &tmpl); err != nil {
		return "", err
	}
	err := api.do(ctx, "POST", "/api/v1/device-policies", map[string]any{"name": "Bench", "priority": 1, "group_ids": []string{gid},
		"self_issuance_allowed": true, "template_ids": []string{tmpl.ID}}, 201, nil)
	return typ.ID, err
}

// startAgent runs custos-agent on a free port and pairs it with origin.
func startAgent(ctx context.Context, bin string, tok agentproc.Token, origin string) (*jsonClient, func(), error) {
	port, err := freePort()
	if err != nil {
		return nil, nil, err
	}
	p, err := agentproc.Start(bin, tok, port)
	if err != nil {
		return nil, nil, err
	}
	ag := &jsonClient{base: p.URL, hc: &http.Client{Timeout: time.Minute}, header: http.Header{"Origin": {origin}}}
	var pair struct{ Secret string }
	if err := ag.do(ctx, "POST", "/pair", map[string]any{"code": p.Code, "origin": origin}, 200, &pair); err != nil {
		p.Stop()
		return nil, nil, err
	}
	ag.header.Set("Authorization", "Bearer "+pair.Secret)
	return ag, p.Stop, nil
}

// jsonClient sends JSON with fixed headers and decodes the answer.
type jsonClient struct {
	base   string
	hc     *http.Client
	header http.Header
}

func (c *jsonClient) do(ctx context.Context, method, path string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	for k, v := range c.header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}
