package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"custos/agent/internal/p11"
	"custos/agent/internal/pairing"
)

const console = "http://localhost:8080"

// agent is one agent under test: its HTTP server, the codes it showed, its log.
type agent struct {
	t     *testing.T
	url   string
	store *pairing.Store
	mu    sync.Mutex
	codes []string
	log   *bytes.Buffer
	now   time.Time
}

func (a *agent) lastCode() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.codes[len(a.codes)-1]
}

// lockedBuffer lets the server log from its goroutines while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func newAgent(t *testing.T, dev *p11.Module, clock func() time.Time) *agent {
	t.Helper()
	store, err := pairing.Open(filepath.Join(t.TempDir(), "state.json"), clock)
	if err != nil {
		t.Fatal(err)
	}
	a := &agent{t: t, store: store, log: &bytes.Buffer{}}
	logger := slog.New(slog.NewTextHandler(&lockedBuffer{b: a.log}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(New(Config{Version: "test", Device: dev, Pairing: store, Log: logger,
		ShowCode: func(code string, _ time.Time) {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.codes = append(a.codes, code)
			logger.Info("pairing code shown") // the terminal shows it; the log does not need it
		}}))
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

// res is an answer: status, headers and the decoded JSON body.
type res struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (r res) str(k string) string { s, _ := r.Body[k].(string); return s }

// call sends a request from origin with the bearer secret (both may be empty).
func (a *agent) call(method, path, origin, secret string, body any, hdr ...string) res {
	a.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if len(hdr) > 0 && strings.EqualFold(hdr[0], "Host") {
		req.Host = hdr[1]
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := res{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// pair asks for a code and pairs origin with it, answering the secret.
func (a *agent) pair(origin string) string {
	a.t.Helper()
	if r := a.call("POST", "/pair/start", origin, "", nil); r.Status != 200 {
		a.t.Fatalf("pair/start: %d %s", r.Status, r.Raw)
	}
	r := a.call("POST", "/pair", origin, "", map[string]string{"code": a.lastCode(), "origin": origin})
	if r.Status != 200 || r.str("secret") == "" {
		a.t.Fatalf("pair: %d %s", r.Status, r.Raw)
	}
	return r.str("secret")
}

func expect(t *testing.T, r res, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.str("code") != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, status, code)
	}
}
