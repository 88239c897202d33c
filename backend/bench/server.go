package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// AdminPassword is the tech_admin password the benchmark server is started with.
const AdminPassword = "bench-Admin-pass-2024"

// BuildServer compiles cmd/custos (run from the backend module) into dir.
func BuildServer(ctx context.Context, backendDir, dir string) (string, error) {
	out := filepath.Join(dir, "custos")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/custos")
	cmd.Dir = backendDir
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/custos: %w\n%s", err, b)
	}
	return out, nil
}

// Server is a running custos subprocess.
type Server struct {
	Base      string
	Cmd       *exec.Cmd
	LogPath   string
	ColdStart time.Duration
	Session   string
	Client    *http.Client
	exited    chan error
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StartServer runs `bin serve` on a free port against databaseURL (empty = SQLite in
// dataDir), and measures the cold start: process start until /readyz answers 200.
// extraEnv adds KEY=value settings (the mTLS entry's address, say).
func StartServer(ctx context.Context, bin, dataDir, databaseURL string, clients int, extraEnv ...string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dataDir, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CUSTOS_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	env = append(env, "CUSTOS_ADDR="+addr, "CUSTOS_DATA_DIR="+dataDir, "DATABASE_URL="+databaseURL,
		"CUSTOS_ADMIN_PASSWORD="+AdminPassword)
	env = append(env, extraEnv...)
	cmd := exec.Command(bin, "serve")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute}
	s := &Server{Base: "http://" + addr, Cmd: cmd, LogPath: logPath, Client: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan error, 1)
	s.exited = exited
	go func() { exited <- cmd.Wait() }()
	probe := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case err := <-exited:
			s.exited = nil
			return nil, fmt.Errorf("server exited before ready (%v); log:\n%s", err, s.LogTail(30))
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		default:
		}
		if resp, err := probe.Get(s.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.ColdStart = time.Since(t0)
				break
			}
		}
		if time.Since(t0) > time.Minute {
			s.Stop()
			return nil, fmt.Errorf("server not ready after a minute; log:\n%s", s.LogTail(30))
		}
		time.Sleep(2 * time.Millisecond)
	}
	return s, nil
}

// Login signs in as tech_admin and keeps the session cookie.
func (s *Server) Login(ctx context.Context) error {
	body, _ := json.Marshal(map[string]string{"login": "tech_admin", "password": AdminPassword})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.Base+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("login: HTTP %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "custos_session" {
			s.Session = c.Value
			return nil
		}
	}
	return errors.New("login: no custos_session cookie")
}

// RSS reads the server's resident set size from /proc.
func (s *Server) RSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// LogTail returns the last n lines of the server's log.
func (s *Server) LogTail(n int) string {
	b, _ := os.ReadFile(s.LogPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Stop sends SIGTERM and waits for the graceful shutdown (SIGKILL after 20 s).
func (s *Server) Stop() {
	if s == nil || s.Cmd.Process == nil {
		return
	}
	if s.exited == nil { // already reaped
		return
	}
	_ = s.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.Cmd.Process.Kill()
		<-s.exited
	}
	s.exited = nil
}
