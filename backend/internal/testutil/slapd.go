package testutil

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// LDAPServer is a throwaway OpenLDAP slapd started by scripts/slapd.sh: suffix
// dc=custos,dc=test, users alice and bob under ou=people (passwords
// alice-password, bob-password), plain LDAP with STARTTLS on Port and LDAPS on
// TLSPort with a certificate for 127.0.0.1 signed by CACert.
type LDAPServer struct {
	Host, BaseDN, AdminDN, AdminPassword string
	Port, TLSPort                        int
	// CACert is the PEM of the CA that signed the server's certificate.
	CACert string
}

// StartSLAPD starts slapd for the test and stops it at cleanup. Without slapd the
// test is skipped loudly — or fails when CUSTOS_REQUIRE_LDAP=1, so LDAP never drops
// out of a run that promises it.
func StartSLAPD(t testing.TB) *LDAPServer {
	t.Helper()
	script := filepath.Join(repoRoot(t), "scripts", "slapd.sh")
	var stderr bytes.Buffer
	var out []byte
	var err error
	// A free port can be taken by a parallel test between the check and slapd's bind:
	// try again (with new ports) before calling it a failure.
	for attempt := 0; attempt < 3; attempt++ {
		stderr.Reset()
		cmd := exec.Command("bash", script)
		cmd.Stderr = &stderr
		if out, err = cmd.Output(); err == nil {
			break
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			break
		}
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			if os.Getenv("CUSTOS_REQUIRE_LDAP") == "1" {
				t.Fatalf("slapd is required (CUSTOS_REQUIRE_LDAP=1) but missing: %s", stderr.String())
			}
			t.Skipf("!!! slapd is not installed: LDAP tests are NOT running (%s)", strings.TrimSpace(stderr.String()))
		}
		t.Fatalf("scripts/slapd.sh: %v\n%s", err, stderr.String())
	}
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	pid, _ := strconv.Atoi(env["SLAPD_PID"])
	dir := env["SLAPD_DIR"]
	t.Cleanup(func() {
		if pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGTERM)
			for i := 0; i < 50 && syscall.Kill(pid, 0) == nil; i++ {
				time.Sleep(50 * time.Millisecond)
			}
		}
		if strings.Contains(dir, "custos-slapd.") {
			_ = os.RemoveAll(dir)
		}
	})
	if pid == 0 || dir == "" {
		t.Fatalf("scripts/slapd.sh printed no pid or directory:\n%s", out)
	}
	s := &LDAPServer{Host: env["LDAP_HOST"], BaseDN: env["LDAP_BASE_DN"], AdminDN: env["LDAP_ADMIN_DN"],
		AdminPassword: env["LDAP_ADMIN_PASSWORD"]}
	s.Port, _ = strconv.Atoi(env["LDAP_PORT"])
	s.TLSPort, _ = strconv.Atoi(env["LDAPS_PORT"])
	ca, err := os.ReadFile(env["LDAP_CA_CERT"])
	if err != nil {
		t.Fatal(err)
	}
	s.CACert = string(ca)
	waitTCP(t, net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	waitTCP(t, net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)))
	return s
}

func waitTCP(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("slapd does not listen on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// repoRoot is the checkout's root (the directory holding scripts/).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if ok {
		root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
		if _, err := os.Stat(filepath.Join(root, "scripts")); err == nil {
			return root
		}
	}
	dir, _ := os.Getwd()
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "scripts", "slapd.sh")); err == nil {
			return d
		}
	}
	t.Fatal("cannot find the repository root (scripts/slapd.sh)")
	return ""
}
