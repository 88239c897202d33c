package testutil

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"custos/internal/agentproc"
)

var (
	agentOnce sync.Once
	agentBin  string
	agentErr  error
)

// Agent is a real custos-agent process on a throwaway SoftHSM2 token made in the test's
// own directory.
type Agent struct {
	*agentproc.Proc
	agentproc.Token
	SOPIN, UserPIN string
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
		agentErr = agentproc.Build(context.Background(), root, agentBin)
	})
	if agentErr != nil {
		t.Fatal(agentErr)
	}
	a := &Agent{SOPIN: "87654321", UserPIN: "12345678"}
	tok, err := agentproc.MakeToken(context.Background(), root, t.TempDir(), "custos-test", a.SOPIN, a.UserPIN)
	if err != nil {
		t.Fatal(err)
	}
	p, err := agentproc.Start(agentBin, tok, freePort(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	a.Proc, a.Token = p, tok
	return a
}
