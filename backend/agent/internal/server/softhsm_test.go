package server

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"custos/agent/internal/p11"
)

// hsm is the SoftHSM2 store the tests share: one module loaded once per process (a
// PKCS#11 library is initialised once), one token per test, made by the project's own
// scripts/softhsm-token.sh in a temporary SOFTHSM2_CONF directory.
var hsm struct {
	skip    string
	mod     *p11.Module
	modPath string
	dir     string
}

// Token labels, one per test; SO PIN and user PIN as the script sets them.
const (
	soPIN   = "87654321"
	userPIN = "12345678"
)

var tokenLabels = []string{"init", "keys", "pins", "redact"}

func TestMain(m *testing.M) {
	if msg := setupSoftHSM(); msg != "" {
		if os.Getenv("CUSTOS_REQUIRE_SOFTHSM") == "1" {
			fmt.Fprintln(os.Stderr, "SoftHSM2 is required (CUSTOS_REQUIRE_SOFTHSM=1) but:", msg)
			os.Exit(1)
		}
		hsm.skip = "SKIPPING the SoftHSM2 tests: " + msg + " (install softhsm2 opensc: make deps)"
		fmt.Fprintln(os.Stderr, hsm.skip)
	}
	rc := m.Run()
	if hsm.mod != nil {
		hsm.mod.Close()
	}
	if hsm.dir != "" {
		os.RemoveAll(hsm.dir)
	}
	os.Exit(rc)
}

func setupSoftHSM() string {
	for _, tool := range []string{"softhsm2-util", "pkcs11-tool", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			return tool + " is not installed"
		}
	}
	dir, err := os.MkdirTemp("", "custos-agent-softhsm-")
	if err != nil {
		return err.Error()
	}
	hsm.dir = dir
	script, _ := filepath.Abs("../../../../scripts/softhsm-token.sh")
	for _, label := range tokenLabels {
		out, err := exec.Command("bash", script, dir, label, soPIN, userPIN).Output()
		if err != nil {
			return "scripts/softhsm-token.sh: " + err.Error()
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok && !strings.HasPrefix(sc.Text(), "#") {
				os.Setenv(k, v) // SOFTHSM2_CONF, CUSTOS_AGENT_PKCS11_MODULE: as an operator would eval them
			}
		}
	}
	hsm.modPath = os.Getenv("CUSTOS_AGENT_PKCS11_MODULE")
	mod, err := p11.Open(hsm.modPath)
	if err != nil {
		return err.Error()
	}
	hsm.mod = mod
	return ""
}

func needHSM(t *testing.T) {
	t.Helper()
	if hsm.skip != "" {
		t.Skip(hsm.skip)
	}
}

// tokenByLabel answers the serial of the test's token as GET /tokens lists it.
func (a *agent) token(secret, label string) map[string]any {
	a.t.Helper()
	r := a.call("GET", "/tokens", console, secret, nil)
	expect(a.t, r, 200, "")
	items, _ := r.Body["items"].([]any)
	for _, it := range items {
		tok := it.(map[string]any)
		if tok["label"] == label {
			return tok
		}
	}
	a.t.Fatalf("no token labelled %q in %s", label, r.Raw)
	return nil
}

func pinFlag(tok map[string]any, who, flag string) bool {
	m, _ := tok[who].(map[string]any)
	return m[flag] == true
}

// pkcs11Tool runs OpenSC's pkcs11-tool on the token labelled label.
func pkcs11Tool(t *testing.T, label string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("pkcs11-tool", append([]string{"--module", hsm.modPath, "--token-label", label}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// objects splits pkcs11-tool --list-objects output into one block per object.
func objects(out string) []string {
	var blocks []string
	for _, line := range strings.Split(out, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			blocks = append(blocks, line)
		} else if len(blocks) > 0 {
			blocks[len(blocks)-1] += "\n" + line
		}
	}
	return blocks
}

// objectsWithID answers the blocks of the given kind ("Private Key Object") and CKA_ID.
func objectsWithID(out, kind, id string) []string {
	re := regexp.MustCompile(`(?m)^\s*ID:\s*` + id + `\s*$`)
	var got []string
	for _, b := range objects(out) {
		if strings.HasPrefix(b, kind) && re.MatchString(b) {
			got = append(got, b)
		}
	}
	return got
}
