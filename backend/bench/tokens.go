package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"time"
)

// TokenRun measures what authenticating a request with an API token costs, through
// the real server: the same cheap request (GET /healthz, no database work) sent with
// no credentials, with an organisation API token, with a personal access token and
// with a session cookie, interleaved one after another from one client so all four
// see the same machine load. The overhead is p50(with credential) − p50(anonymous).
type TokenRun struct {
	Bin, DataDir string
	DB, URL      string // "sqlite" with URL "", or "postgres" with a database URL
	Requests     int    // per variant
	Target       time.Duration
	Logf         func(string, ...any)
}

type variant struct {
	name   string
	header http.Header
	durs   []time.Duration
}

// Measure starts the server on an empty database, issues the tokens through the API,
// runs the interleaved requests and returns the latency and overhead rows.
func (r TokenRun) Measure(ctx context.Context) ([]Result, error) {
	if err := os.MkdirAll(r.DataDir, 0o700); err != nil {
		return nil, err
	}
	srv, err := StartServer(ctx, r.Bin, r.DataDir, r.URL, 2)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	session, csrf, err := loginCookies(ctx, srv)
	if err != nil {
		return nil, err
	}
	cookie := "custos_session=" + session + "; custos_csrf=" + csrf
	api, err := issueToken(ctx, srv, cookie, csrf, "/api/v1/tokens")
	if err != nil {
		return nil, err
	}
	pat, err := issueToken(ctx, srv, cookie, csrf, "/api/v1/me/tokens")
	if err != nil {
		return nil, err
	}
	vs := []*variant{
		{name: "anonymous", header: http.Header{}},
		{name: "API token (cst01, header)", header: http.Header{"Authorization": {"Api-Token " + api}}},
		{name: "personal token (csp01, header)", header: http.Header{"Authorization": {"Api-Token " + pat}}},
		{name: "session cookie", header: http.Header{"Cookie": {"custos_session=" + session}}},
	}
	for i := 0; i < r.Requests/10+20; i++ { // warm-up: connections, caches, the token cache
		for _, v := range vs {
			if _, err := timedGet(ctx, srv, v.header); err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
		}
	}
	for i := 0; i < r.Requests; i++ {
		for j := range vs {
			v := vs[(i+j)%len(vs)] // rotate the order so none always runs first
			d, err := timedGet(ctx, srv, v.header)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
			v.durs = append(v.durs, d)
		}
	}
	stats := make([]Stats, len(vs))
	for i, v := range vs {
		slices.Sort(v.durs)
		stats[i] = Stats{N: len(v.durs), P50: Percentile(v.durs, 0.5), P99: Percentile(v.durs, 0.99), Max: v.durs[len(v.durs)-1]}
	}
	base := stats[0]
	out := []Result{Latency("(t) GET /healthz, anonymous (baseline)", r.DB, 0, base, 0)}
	for i, v := range vs[1:] {
		st := stats[i+1]
		out = append(out, Latency("(t) GET /healthz, "+v.name, r.DB, 0, st, 0))
		over := st.P50 - base.P50
		res := Result{Scenario: fmt.Sprintf("(t) overhead of the %s (×%.2f at p50)", v.name, float64(st.P50)/float64(base.P50)),
			DB: r.DB, N: st.N, P50: Ms(over), P99: Ms(st.P99 - base.P99), Verdict: "-"}
		if i < 2 { // the target is for tokens; the session is shown for comparison
			res.Target, res.Verdict = "p50 < "+Ms(r.Target), verdict(over < r.Target)
		}
		out = append(out, res)
		r.Logf("  %-34s p50=%s p99=%s overhead p50=%s", v.name, Ms(st.P50), Ms(st.P99), Ms(over))
	}
	return out, nil
}

func timedGet(ctx context.Context, srv *Server, h http.Header) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.Base+"/healthz", nil)
	if err != nil {
		return 0, err
	}
	req.Header = h.Clone()
	t := time.Now()
	resp, err := srv.Client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(t)
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /healthz: HTTP %d", resp.StatusCode)
	}
	return d, nil
}

// loginCookies signs in as tech_admin and returns the session and CSRF cookies.
func loginCookies(ctx context.Context, srv *Server) (session, csrf string, err error) {
	body, _ := json.Marshal(map[string]string{"login": "tech_admin", "password": AdminPassword})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.Base+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("login: HTTP %d", resp.StatusCode)
	}
	for _, c := range resp.Cookies() {
		switch c.Name {
		case "custos_session":
			session = c.Value
		case "custos_csrf":
			csrf = c.Value
		}
	}
	if session == "" || csrf == "" {
		return "", "", errors.New("login: no session or CSRF cookie")
	}
	return session, csrf, nil
}

// issueToken creates a token with the users.read scope through the API.
func issueToken(ctx context.Context, srv *Server, cookie, csrf, path string) (string, error) {
	body, _ := json.Marshal(map[string]any{"name": "bench", "scopes": []string{"users.read"}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.Base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", cookie)
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := srv.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct {
		Token string `json:"token"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, &out) != nil || out.Token == "" {
		return "", fmt.Errorf("POST %s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	return out.Token, nil
}

// MeasureTokens runs TokenRun on a fresh SQLite data dir under dir and, when pgAdminURL
// is set, on a fresh PostgreSQL database created on that server (dropped afterwards).
func MeasureTokens(ctx context.Context, bin, dir, pgAdminURL string, requests int, logf func(string, ...any)) ([]Result, error) {
	const target = 200 * time.Microsecond
	r := TokenRun{Bin: bin, DataDir: dir + "/sqlite", DB: "sqlite", Requests: requests, Target: target, Logf: logf}
	logf("tokens: %d interleaved requests per variant on sqlite", requests)
	out, err := r.Measure(ctx)
	if err != nil || pgAdminURL == "" {
		return out, err
	}
	name, url, err := CreatePGDatabase(ctx, pgAdminURL)
	if err != nil {
		return out, err
	}
	defer func() {
		if err := DropPGDatabase(pgAdminURL, name); err != nil {
			logf("drop database %s: %v", name, err)
		}
	}()
	logf("tokens: %d interleaved requests per variant on postgres", requests)
	r.DataDir, r.DB, r.URL = dir+"/postgres", "postgres", url
	more, err := r.Measure(ctx)
	return append(out, more...), err
}
