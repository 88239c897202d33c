package testutil

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	agentOnce sync.Once
	agentBin  string
	agentErr  error
)

// Agent is a real custos-agent process (backend/agent, built with cgo) on a throwaway
// SoftHSM2 token made by scripts/softhsm-token.sh in the test's own directory.
type Agent struct {
	URL     string // http://127.0.0.1:port
	Code    string // the pairing code it printed
	Module  string // the PKCS#11 module (libsofthsm2.so)
	Env     []string
	Serial  string // the token's serial number
	SOPIN   string
	UserPIN string
}

// RequireSoftHSM skips the test when SoftHSM2 is missing, unless CUSTOS_REQUIRE_SOFTHSM=1
// (make test sets it): then a missing token is a failure, never a silent skip.
func RequireSoftHSM(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("softhsm2-util"); err == nil {
		return
	}
	if os.Getenv("CUSTOS_REQUIRE_SOFTHSM") == "1" {
		t.Fatal("SoftHSM2 is required (CUSTOS_REQUIRE_SOFTHSM=1) but softhsm2-util is missing: run make deps")
	}
	t.Skip("softhsm2-util is missing (make deps installs it)")
}

// StartAgent makes a SoftHSM2 token and runs custos-agent on it until the test ends.
func StartAgent(t testing.TB) *Agent {
	t.Helper()
	RequireSoftHSM(t)
	root := repoRoot(t)
	agentOnce.Do(func() {
		dir, err := os.MkdirTemp("", "custos-agent-bin.")
		if err != nil {
			agentErr = err
			return
		}
		agentBin = filepath.Join(dir, "custos-agent")
		cmd := exec.Command("go", "build", "-o", agentBin, "./cmd/custos-agent")
		cmd.Dir = filepath.Join(root, "backend", "agent")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			agentErr = fmt.Errorf("go build custos-agent: %v\n%s", err, out)
		}
	})
	if agentErr != nil {
		t.Fatal(agentErr)
	}
	a := &Agent{SOPIN: "87654321", UserPIN: "12345678"}
	dir := t.TempDir()
	out, err := exec.Command("bash", filepath.Join(root, "scripts", "softhsm-token.sh"), dir, "custos-test", a.SOPIN, a.UserPIN).Output()
	if err != nil {
		t.Fatalf("softhsm-token.sh: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export "); ok {
			a.Env = append(a.Env, v)
			if m, ok := strings.CutPrefix(v, "CUSTOS_AGENT_PKCS11_MODULE="); ok {
				a.Module = m
			}
		}
		if m := regexp.MustCompile(`serial (\S+)`).FindStringSubmatch(line); m != nil {
			a.Serial = m[1]
		}
	}
	port := freePort(t)
	a.URL = "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(agentBin)
	cmd.Env = append(append(os.Environ(), a.Env...), "CUSTOS_AGENT_ADDR=127.0.0.1:"+strconv.Itoa(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil // its request log; the test asserts what it answers
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	codes := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`pairing code: (\d{4}) (\d{4})`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case codes <- m[1] + m[2]:
				default:
				}
			}
		}
	}()
	select {
	case a.Code = <-codes:
	case <-time.After(20 * time.Second):
		t.Fatal("custos-agent printed no pairing code")
	}
	return a
}
