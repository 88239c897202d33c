package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The classes of the mixed workload (make bench-load) and their shares in percent.
const (
	ClassRead  = "list/read (session)"
	ClassToken = "API read (token)"
	ClassWrite = "write + audit"
)

// Mixed is what the mixed workload needs, made once through the API: a signed-in
// session (cookie and CSRF token), API tokens, and users to read. It works on any
// replica of one database.
type Mixed struct {
	session, csrf string
	tokens        []string
	userIDs       []string
	prefixes      []string
	client        *http.Client
	run           atomic.Int64
}

// MixedResult is one run of the workload against one entry point.
type MixedResult struct {
	Name       string
	Clients    int
	Took       time.Duration
	N, Errors  int
	P50, P99   time.Duration
	Class      map[string]Stats
	PerReplica map[string]int // X-Custos-Replica → answers
	FirstError string
}

// PrepareMixed signs in as tech_admin at base and creates users users and three API
// tokens (users.read).
func PrepareMixed(ctx context.Context, base, password string, users, clients int) (*Mixed, error) {
	m := &Mixed{client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * clients,
		MaxIdleConns: 4 * clients, IdleConnTimeout: time.Minute}}}
	body, _ := json.Marshal(map[string]string{"login": "tech_admin", "password": password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login: HTTP %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		switch c.Name {
		case "custos_session":
			m.session = c.Value
		case "custos_csrf":
			m.csrf = c.Value
		}
	}
	if m.session == "" || m.csrf == "" {
		return nil, errors.New("login: no session or CSRF cookie")
	}
	for i := 0; i < 3; i++ {
		var tok struct{ Token string }
		if err := m.call(ctx, base, http.MethodPost, "/api/v1/tokens", map[string]any{"name": fmt.Sprintf("load-%d-%d", time.Now().UnixNano(), i),
			"scopes": []string{"users.read"}}, &tok); err != nil {
			return nil, err
		}
		m.tokens = append(m.tokens, tok.Token)
	}
	names := []string{"ivanov", "petrov", "sidorov", "smirnova", "kuznetsov", "popova", "alexeev", "orlova"}
	m.prefixes = []string{"iva", "pet", "sid", "smi", "kuz", "pop", "ale", "orl"}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, clients)
	next := atomic.Int64{}
	stamp := time.Now().UnixNano() % 1_000_000
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)); i <= users; i = int(next.Add(1)) {
				var u struct{ ID string }
				n := names[i%len(names)]
				if err := m.call(ctx, base, http.MethodPost, "/api/v1/users", map[string]any{"login": fmt.Sprintf("%s.%d.%d", n, stamp, i),
					"display_name": strings.ToUpper(n[:1]) + n[1:] + fmt.Sprintf(" %d", i)}, &u); err != nil {
					errs[c] = err
					return
				}
				mu.Lock()
				m.userIDs = append(m.userIDs, u.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return m, errors.Join(errs...)
}

// call makes one session request and decodes a 2xx answer into out (when not nil).
func (m *Mixed) call(ctx context.Context, base, method, path string, body, out any) error {
	_, status, b, err := m.do(ctx, base, method, path, body, "")
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %.300s", method, path, status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// do sends one request with the session (token empty) or the API token.
func (m *Mixed) do(ctx context.Context, base, method, path string, body any, token string) (string, int, []byte, error) {
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return "", 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Api-Token "+token)
	} else {
		req.AddCookie(&http.Cookie{Name: "custos_session", Value: m.session})
		req.AddCookie(&http.Cookie{Name: "custos_csrf", Value: m.csrf})
		req.Header.Set("X-CSRF-Token", m.csrf)
	}
	res, err := m.client.Do(req)
	if err != nil {
		return "", 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.Header.Get("X-Custos-Replica"), res.StatusCode, b, err
}

// op is one request of the workload: 80% session lists and reads, 15% token reads, 5%
// writes (a user created, audited).
func (m *Mixed) op(ctx context.Context, base string, r *rand.Rand, run int64, seq *atomic.Int64) (string, string, error) {
	p := r.IntN(100)
	var class, method, path, token string
	var body any
	want := http.StatusOK
	switch {
	case p < 80:
		class, method = ClassRead, http.MethodGet
		switch r.IntN(5) {
		case 0:
			path = "/api/v1/users?page_size=20&sort=login"
		case 1:
			path = "/api/v1/users?page_size=20&q=" + m.prefixes[r.IntN(len(m.prefixes))]
		case 2:
			path = "/api/v1/users/" + m.userIDs[r.IntN(len(m.userIDs))]
		case 3:
			path = "/api/v1/groups?page_size=20"
		default:
			path = "/api/v1/audit?page_size=20"
		}
	case p < 95:
		class, method, token = ClassToken, http.MethodGet, m.tokens[r.IntN(len(m.tokens))]
		if r.IntN(2) == 0 {
			path = "/api/v1/users?page_size=20&sort=login&order=desc"
		} else {
			path = "/api/v1/users/" + m.userIDs[r.IntN(len(m.userIDs))]
		}
	default:
		class, method, path, want = ClassWrite, http.MethodPost, "/api/v1/users", http.StatusCreated
		body = map[string]any{"login": fmt.Sprintf("load.r%d.%d.%d", run, time.Now().UnixNano()%1_000_000_000, seq.Add(1)),
			"display_name": "Load test"}
	}
	replica, status, b, err := m.do(ctx, base, method, path, body, token)
	if err == nil && status != want {
		err = fmt.Errorf("%s %s: HTTP %d: %.200s", method, path, status, b)
	}
	return class, replica, err
}

// Run drives the workload at base with clients concurrent clients for d (after a short
// untimed warm-up) and returns the figures.
func (m *Mixed) Run(ctx context.Context, name, base string, clients int, d time.Duration) MixedResult {
	run := m.run.Add(1)
	var seq atomic.Int64
	warm := rand.New(rand.NewPCG(uint64(run), 0))
	for i := 0; i < 4*clients; i++ {
		_, _, _ = m.op(ctx, base, warm, run, &seq)
	}
	type sample struct {
		class string
		d     time.Duration
	}
	res := MixedResult{Name: name, Clients: clients, Class: map[string]Stats{}, PerReplica: map[string]int{}}
	var mu sync.Mutex
	var samples []sample
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(run), uint64(c+1)))
			var mine []sample
			per := map[string]int{}
			errs, first := 0, ""
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				class, replica, err := m.op(ctx, base, r, run, &seq)
				mine = append(mine, sample{class, time.Since(t)})
				per[replica]++
				if err != nil {
					if errs++; first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			samples = append(samples, mine...)
			for k, v := range per {
				res.PerReplica[k] += v
			}
			res.Errors += errs
			if res.FirstError == "" {
				res.FirstError = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Took = time.Since(start)
	res.N = len(samples)
	all := make([]time.Duration, 0, len(samples))
	by := map[string][]time.Duration{}
	for _, s := range samples {
		all = append(all, s.d)
		by[s.class] = append(by[s.class], s.d)
	}
	slices.Sort(all)
	res.P50, res.P99 = Percentile(all, 0.5), Percentile(all, 0.99)
	for k, v := range by {
		slices.Sort(v)
		res.Class[k] = Stats{N: len(v), P50: Percentile(v, 0.5), P99: Percentile(v, 0.99), Max: v[len(v)-1]}
	}
	return res
}

// PrintMixed prints the runs side by side.
func PrintMixed(w io.Writer, runs []MixedResult) {
	row := func(label string, cell func(r MixedResult) string) {
		fmt.Fprintf(w, "  %-30s", label)
		for _, r := range runs {
			fmt.Fprintf(w, " %26s", cell(r))
		}
		fmt.Fprintln(w)
	}
	row("", func(r MixedResult) string { return r.Name })
	row("clients × duration", func(r MixedResult) string {
		return fmt.Sprintf("%d × %v", r.Clients, r.Took.Round(100*time.Millisecond))
	})
	row("requests", func(r MixedResult) string { return fmt.Sprint(r.N) })
	row("throughput", func(r MixedResult) string { return fmt.Sprintf("%.0f req/s", float64(r.N)/r.Took.Seconds()) })
	row("p50 / p99", func(r MixedResult) string { return Ms(r.P50) + " / " + Ms(r.P99) })
	row("errors", func(r MixedResult) string {
		return fmt.Sprintf("%d (%.2f%%)", r.Errors, 100*float64(r.Errors)/float64(max(1, r.N)))
	})
	for _, c := range []string{ClassRead, ClassToken, ClassWrite} {
		row(c+" p50/p99", func(r MixedResult) string {
			s := r.Class[c]
			return fmt.Sprintf("%s / %s (%d)", Ms(s.P50), Ms(s.P99), s.N)
		})
	}
	row("answers per replica", func(r MixedResult) string {
		var parts []string
		for k, v := range r.PerReplica {
			if k == "" {
				k = "?"
			}
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
		slices.Sort(parts)
		return strings.Join(parts, ", ")
	})
}
