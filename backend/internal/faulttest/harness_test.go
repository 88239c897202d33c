// Package faulttest drives the real custos binary through faults: a PostgreSQL
// failover (a primary killed under load, its synchronous standby promoted), a
// PostgreSQL restart, kill -9 and SIGTERM of Custos. `make test-faults` runs it with
// CUSTOS_REQUIRE_FAULTS=1, so missing PostgreSQL server binaries fail the run.
package faulttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"custos/internal/platform/db"
)

const adminPassword = "fault-test-admin-pw"

var (
	binary   string // the custos binary under test
	repoRoot string // for scripts/
)

func TestMain(m *testing.M) {
	wd, _ := os.Getwd()
	repoRoot = filepath.Clean(filepath.Join(wd, "../../.."))
	code := func() int {
		dir, err := os.MkdirTemp("", "custos-faulttest-bin")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary = os.Getenv("CUSTOS_BIN")
		if binary == "" && enabled() {
			// The server as shipped (CGO off); the SPA is not needed by these tests.
			binary = filepath.Join(dir, "custos")
			cmd := exec.Command("go", "build", "-o", binary, "./cmd/custos")
			cmd.Dir = filepath.Join(repoRoot, "backend")
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				fmt.Fprintf(os.Stderr, "build custos: %v\n%s", err, out)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// enabled: the scenarios take a minute and start their own servers, so a plain
// `go test ./...` (and make test-go) leaves them to make test-faults, and says so.
func enabled() bool {
	return os.Getenv("CUSTOS_REQUIRE_FAULTS") == "1" || os.Getenv("CUSTOS_FAULTS") == "1"
}

// requirePeers stops the test when PostgreSQL's server binaries are missing: a
// failure under CUSTOS_REQUIRE_FAULTS=1 (make test-faults), a loud skip otherwise.
func requirePeers(t *testing.T) {
	t.Helper()
	if !enabled() {
		t.Skip("!!! fault scenarios NOT running here: make test-faults runs them (or set CUSTOS_FAULTS=1)")
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_basebackup")
	if len(m) > 0 || os.Getenv("PG_BINDIR") != "" {
		return
	}
	if os.Getenv("CUSTOS_REQUIRE_FAULTS") == "1" {
		t.Fatal("PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are missing but CUSTOS_REQUIRE_FAULTS=1: apt-get install postgresql")
	}
	t.Skip("!!! PostgreSQL server binaries missing: the fault tests are NOT running")
}

// pg is a private PostgreSQL made by scripts/pg-failover.sh.
type pg struct {
	Dir, URL, PrimaryURL, StandbyPort string
}

func startPG(t *testing.T, single bool) *pg {
	t.Helper()
	args := []string{filepath.Join(repoRoot, "scripts/pg-failover.sh"), "start"}
	if single {
		args = append(args, "--single")
	}
	start := time.Now()
	out, err := exec.Command("bash", args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("pg-failover.sh start: %v\n%s", err, stderr)
	}
	kv := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			kv[k] = v
		}
	}
	p := &pg{Dir: kv["PG_DIR"], URL: kv["DATABASE_URL"], PrimaryURL: kv["PRIMARY_URL"], StandbyPort: kv["STANDBY_PORT"]}
	if p.Dir == "" || p.URL == "" {
		t.Fatalf("pg-failover.sh printed no PG_DIR/DATABASE_URL: %s", out)
	}
	t.Cleanup(func() {
		_ = exec.Command("bash", filepath.Join(repoRoot, "scripts/pg-failover.sh"), "stop", p.Dir).Run()
	})
	t.Logf("PostgreSQL (%s) ready in %s", map[bool]string{true: "single", false: "primary + synchronous standby"}[single],
		time.Since(start).Round(time.Millisecond))
	return p
}

func (p *pg) ctl(t *testing.T, action string) {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join(repoRoot, "scripts/pg-failover.sh"), action, p.Dir).CombinedOutput()
	if err != nil {
		t.Fatalf("pg-failover.sh %s: %v\n%s", action, err, out)
	}
}

// database creates a database on the primary and returns its URL (name swapped in
// every URL form the harness prints).
func (p *pg) database(t *testing.T, name string) string {
	t.Helper()
	d, err := db.Open(p.PrimaryURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.W.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	return strings.Replace(p.URL, "/postgres?", "/"+name+"?", 1)
}

// custos is a running custos serve process.
type custos struct {
	cmd     *exec.Cmd
	base    string
	env     []string
	log     *syncBuffer
	exited  chan struct{}
	exitErr error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func custosEnv(t *testing.T, dbURL, dataDir string) []string {
	return append(os.Environ(), "DATABASE_URL="+dbURL, "CUSTOS_DATA_DIR="+dataDir, "CUSTOS_ADMIN_PASSWORD="+adminPassword,
		"CUSTOS_LOG_LEVEL=warn", "CUSTOS_LOG_FORMAT=text", "CUSTOS_ADDR="+freeAddr(t))
}

// startCustos starts custos serve with env and waits until /readyz answers 200.
func startCustos(t *testing.T, env []string) *custos {
	t.Helper()
	c := &custos{env: env, log: &syncBuffer{}, exited: make(chan struct{})}
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "CUSTOS_ADDR="); ok {
			c.base = "http://" + v
		}
	}
	c.cmd = exec.Command(binary, "serve")
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.exitErr = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.exited
		if t.Failed() {
			t.Logf("custos log:\n%s", tail(c.log.String(), 4000))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			t.Fatalf("custos exited at start: %v\n%s", c.exitErr, c.log.String())
		default:
		}
		r, err := http.Get(c.base + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("custos did not become ready within 60 s:\n%s", c.log.String())
	return nil
}

// signal sends sig and waits up to d for the process to exit.
func (c *custos) signal(t *testing.T, sig syscall.Signal, d time.Duration) {
	t.Helper()
	_ = c.cmd.Process.Signal(sig)
	select {
	case <-c.exited:
	case <-time.After(d):
		t.Fatalf("custos did not exit within %s after %s", d, sig)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// client is a signed-in API client that never fails the test itself: the load
// goroutines record what they get.
type client struct {
	base string
	hc   *http.Client
	csrf string
	hdr  http.Header
}

func login(t *testing.T, base string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{base: base, hc: &http.Client{Jar: jar, Timeout: 10 * time.Second}, hdr: http.Header{}}
	r := c.do(context.Background(), "POST", "/api/v1/auth/login", map[string]string{"login": "tech_admin", "password": adminPassword})
	if r.err != nil || r.status != 200 {
		t.Fatalf("login: %v %d %s", r.err, r.status, r.body)
	}
	return c
}

func tokenClient(base, token string) *client {
	c := &client{base: base, hc: &http.Client{Timeout: 10 * time.Second}, hdr: http.Header{}}
	c.hdr.Set("Authorization", "Api-Token "+token)
	return c
}

type answer struct {
	status     int
	code       string
	ctype      string
	retryAfter string
	body       []byte
	took       time.Duration
	at         time.Time
	err        error
	json       map[string]any
}

func (c *client) do(ctx context.Context, method, path string, body any) answer {
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	if c.hc.Jar != nil {
		for _, ck := range c.hc.Jar.Cookies(req.URL) {
			if ck.Name == "custos_csrf" {
				req.Header.Set("X-CSRF-Token", ck.Value)
			}
		}
	}
	start := time.Now()
	res, err := c.hc.Do(req)
	a := answer{at: start}
	if err != nil {
		a.err, a.took = err, time.Since(start)
		return a
	}
	a.body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	a.took = time.Since(start)
	a.status, a.ctype, a.retryAfter = res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Retry-After")
	_ = json.Unmarshal(a.body, &a.json)
	if s, ok := a.json["code"].(string); ok {
		a.code = s
	}
	return a
}

func (a answer) str(k string) string { s, _ := a.json[k].(string); return s }

// custosCLI runs a custos command with env and returns its exit code and output.
func custosCLI(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// lines is a helper for printing figures in the test log and on stdout (make prints it).
func figure(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	t.Log(msg)
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "FIGURE "+t.Name()+": "+msg)
	_ = w.Flush()
}
