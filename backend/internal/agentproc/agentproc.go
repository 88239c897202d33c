// Package agentproc runs the real custos-agent (backend/agent, built with cgo) on a
// throwaway SoftHSM2 token, for the tests and the benchmark that drive a device issuance
// end to end: build the binary, make the token (scripts/softhsm-token.sh), start the agent
// and catch the pairing code it prints.
package agentproc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Build compiles backend/agent's custos-agent into out (cgo on).
func Build(ctx context.Context, repo, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/custos-agent")
	cmd.Dir, cmd.Env = filepath.Join(repo, "backend", "agent"), append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build custos-agent: %v\n%s", err, b)
	}
	return nil
}

// Token is a SoftHSM2 token in its own directory.
type Token struct {
	Env    []string // SOFTHSM2_CONF, CUSTOS_AGENT_PKCS11_MODULE, CUSTOS_AGENT_STATE
	Module string   // the PKCS#11 module (libsofthsm2.so)
	Serial string
}

// MakeToken initialises a token labelled label with the two PINs under dir.
func MakeToken(ctx context.Context, repo, dir, label, soPIN, userPIN string) (Token, error) {
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(repo, "scripts", "softhsm-token.sh"), dir, label, soPIN, userPIN).Output()
	if err != nil {
		return Token{}, fmt.Errorf("softhsm-token.sh: %w", err)
	}
	var t Token
	serial := regexp.MustCompile(`serial (\S+)`)
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "export "); ok {
			t.Env = append(t.Env, v)
			if m, ok := strings.CutPrefix(v, "CUSTOS_AGENT_PKCS11_MODULE="); ok {
				t.Module = m
			}
		}
		if m := serial.FindStringSubmatch(line); m != nil {
			t.Serial = m[1]
		}
	}
	if t.Module == "" || t.Serial == "" {
		return Token{}, fmt.Errorf("softhsm-token.sh printed no module or serial:\n%s", out)
	}
	return t, nil
}

// Proc is a running agent.
type Proc struct {
	URL  string // http://127.0.0.1:port
	Code string // the pairing code it printed at start
	cmd  *exec.Cmd
}

// Start runs bin on 127.0.0.1:port with the token's environment and waits for the
// pairing code it prints (20 s at most).
func Start(bin string, t Token, port int) (*Proc, error) {
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), t.Env...), "CUSTOS_AGENT_ADDR=127.0.0.1:"+strconv.Itoa(port))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &Proc{URL: "http://127.0.0.1:" + strconv.Itoa(port), cmd: cmd}
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
	case p.Code = <-codes:
		return p, nil
	case <-time.After(20 * time.Second):
		p.Stop()
		return nil, errors.New("custos-agent printed no pairing code")
	}
}

// Stop ends the agent (SIGTERM, then SIGKILL after 5 s).
func (p *Proc) Stop() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}
