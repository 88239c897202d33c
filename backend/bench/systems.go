package bench

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

// SystemsRun measures integrated systems through the real server on PostgreSQL: the
// certificate issuance API end to end (POST …/certificates with a CSR: parse, sign,
// ledger row, certificate row and audit event in one transaction), by Clients
// concurrent callers; and one request (GET /api/v1/auth/me) made over the mTLS entry
// with a client certificate, with and without TLS session resumption, beside the same
// request with an API token on the plain port.
type SystemsRun struct {
	Bin, DataDir, URL string
	Issue, Clients    int // certificates issued in all, by that many concurrent callers
	Requests          int // per request variant
	Logf              func(string, ...any)
}

type sysEnv struct {
	srv           *Server
	cookie, csrf  string
	system, mtls  string
	token         string
	roots         *x509.CertPool
	clientCert    tls.Certificate
	csr           string
	issueEndpoint string
}

// MeasureSystems runs SystemsRun on a fresh PostgreSQL database created on pgAdminURL's
// server (dropped afterwards).
func MeasureSystems(ctx context.Context, bin, dir, pgAdminURL string, logf func(string, ...any)) ([]Result, error) {
	name, url, err := CreatePGDatabase(ctx, pgAdminURL)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := DropPGDatabase(pgAdminURL, name); err != nil {
			logf("drop database %s: %v", name, err)
		}
	}()
	r := SystemsRun{Bin: bin, DataDir: dir, URL: url, Issue: 3000, Clients: 8, Requests: 2000, Logf: logf}
	return r.Measure(ctx)
}

// Measure starts the server with the mTLS entry, issues the certificates, then times
// the request variants interleaved.
func (r SystemsRun) Measure(ctx context.Context) ([]Result, error) {
	if err := os.MkdirAll(r.DataDir, 0o700); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	mtls := "127.0.0.1:" + strconv.Itoa(port)
	srv, err := StartServer(ctx, r.Bin, r.DataDir, r.URL, r.Clients, "CUSTOS_MTLS_ADDR="+mtls)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	env, err := r.setUp(ctx, srv, mtls)
	if err != nil {
		return nil, err
	}
	r.Logf("systems: issuing %d certificates by %d concurrent callers on postgres", r.Issue, r.Clients)
	issue, err := r.issueMany(ctx, env)
	if err != nil {
		return nil, err
	}
	r.Logf("systems: %d interleaved requests per variant", r.Requests)
	reqs, err := r.requests(ctx, env)
	return append(issue, reqs...), err
}

// setUp signs in, creates a system, a CSR, an API token and the system's client certificate.
func (r SystemsRun) setUp(ctx context.Context, srv *Server, mtls string) (*sysEnv, error) {
	session, csrf, err := loginCookies(ctx, srv)
	if err != nil {
		return nil, err
	}
	env := &sysEnv{srv: srv, cookie: "custos_session=" + session + "; custos_csrf=" + csrf, csrf: csrf, mtls: mtls}
	var sys struct{ ID string }
	if err := env.post(ctx, "/api/v1/systems", map[string]any{"name": "bench", "allowed_services": []string{"users.read"}}, &sys); err != nil {
		return nil, err
	}
	env.system, env.issueEndpoint = sys.ID, "/api/v1/systems/"+sys.ID+"/certificates"
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "bench"}}, key)
	if err != nil {
		return nil, err
	}
	env.csr = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	var cert struct{ PEM string }
	if err := env.post(ctx, env.issueEndpoint, map[string]any{"method": "csr", "csr": env.csr, "validity_days": 30}, &cert); err != nil {
		return nil, err
	}
	b, _ := pem.Decode([]byte(cert.PEM))
	if b == nil {
		return nil, fmt.Errorf("issue: no certificate in the answer")
	}
	env.clientCert = tls.Certificate{Certificate: [][]byte{b.Bytes}, PrivateKey: key}
	if env.token, err = issueToken(ctx, srv, env.cookie, csrf, "/api/v1/tokens"); err != nil {
		return nil, err
	}
	ca, err := env.get(ctx, "/pki/ca.crt")
	if err != nil {
		return nil, err
	}
	env.roots = x509.NewCertPool()
	if !env.roots.AppendCertsFromPEM(ca) {
		return nil, fmt.Errorf("GET /pki/ca.crt: no certificate")
	}
	return env, nil
}

func (e *sysEnv) post(ctx context.Context, path string, body, out any) error {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.Base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", e.cookie)
	req.Header.Set("X-CSRF-Token", e.csrf)
	resp, err := e.srv.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: HTTP %d: %s", path, resp.StatusCode, got)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(got, out)
}

func (e *sysEnv) get(ctx context.Context, path string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.Base+path, nil)
	resp, err := e.srv.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return b, err
}

// issueMany issues r.Issue certificates by r.Clients callers and reports the rate.
func (r SystemsRun) issueMany(ctx context.Context, e *sysEnv) ([]Result, error) {
	var mu sync.Mutex
	var durs []time.Duration
	var firstErr error
	next := make(chan struct{}, r.Issue)
	for i := 0; i < r.Issue; i++ {
		next <- struct{}{}
	}
	close(next)
	body := map[string]any{"method": "csr", "csr": e.csr, "validity_days": 30}
	t0 := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < r.Clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				t := time.Now()
				err := e.post(ctx, e.issueEndpoint, body, nil)
				d := time.Since(t)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				durs = append(durs, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		return nil, firstErr
	}
	slices.Sort(durs)
	rate := float64(r.Issue) / elapsed.Seconds()
	st := Stats{N: len(durs), P50: Percentile(durs, 0.5), P99: Percentile(durs, 0.99), Max: durs[len(durs)-1]}
	r.Logf("  issuance API: %.0f certificates/s, p50=%s p99=%s", rate, Ms(st.P50), Ms(st.P99))
	res := Latency(fmt.Sprintf("(s) POST …/certificates (csr, P-256, %d callers): %.0f issued/s", r.Clients, rate),
		"postgres", 0, st, 0)
	res.Target, res.Verdict = "≥ 300/s", verdict(rate >= 300)
	return []Result{res}, nil
}

// reqVariant is one way of making the request.
type reqVariant struct {
	name    string
	client  *http.Client
	url     string
	header  http.Header
	durs    []time.Duration
	resumed int
}

// requests times GET /api/v1/auth/me: with an API token on the plain port (kept-alive
// connection), over mTLS on a kept-alive connection, over mTLS with a new connection per
// request resuming the TLS session, and with a full handshake per request.
func (r SystemsRun) requests(ctx context.Context, e *sysEnv) ([]Result, error) {
	tlsConf := func(cache tls.ClientSessionCache) *tls.Config {
		return &tls.Config{RootCAs: e.roots, ServerName: "localhost", Certificates: []tls.Certificate{e.clientCert},
			ClientSessionCache: cache, MinVersion: tls.VersionTLS12}
	}
	client := func(c *tls.Config, keepAlive bool) *http.Client {
		return &http.Client{Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: c, DisableKeepAlives: !keepAlive}}
	}
	mtlsURL := "https://" + e.mtls + "/api/v1/auth/me"
	vs := []*reqVariant{
		{name: "API token, plain port, kept-alive", client: e.srv.Client, url: e.srv.Base + "/api/v1/auth/me",
			header: http.Header{"Authorization": {"Api-Token " + e.token}}},
		{name: "mTLS, kept-alive connection", client: client(tlsConf(nil), true), url: mtlsURL},
		{name: "mTLS, new connection, session resumed", client: client(tlsConf(tls.NewLRUClientSessionCache(16)), false), url: mtlsURL},
		{name: "mTLS, new connection, full handshake", client: client(tlsConf(nil), false), url: mtlsURL},
	}
	for i := 0; i < r.Requests/10+20; i++ { // warm-up: connections, caches, the session ticket
		for _, v := range vs {
			if _, _, err := v.do(ctx); err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
		}
	}
	for i := 0; i < r.Requests; i++ {
		for j := range vs {
			v := vs[(i+j)%len(vs)]
			d, resumed, err := v.do(ctx)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
			v.durs = append(v.durs, d)
			if resumed {
				v.resumed++
			}
		}
	}
	var out []Result
	for _, v := range vs {
		slices.Sort(v.durs)
		st := Stats{N: len(v.durs), P50: Percentile(v.durs, 0.5), P99: Percentile(v.durs, 0.99), Max: v.durs[len(v.durs)-1]}
		name := "(s) GET /api/v1/auth/me, " + v.name
		if v.resumed > 0 {
			name += fmt.Sprintf(" (%d%% resumed)", v.resumed*100/len(v.durs))
		}
		out = append(out, Latency(name, "postgres", 0, st, 0))
		r.Logf("  %-44s p50=%s p99=%s", v.name, Ms(st.P50), Ms(st.P99))
	}
	return out, nil
}

func (v *reqVariant) do(ctx context.Context) (time.Duration, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.url, nil)
	if err != nil {
		return 0, false, err
	}
	if v.header != nil {
		req.Header = v.header.Clone()
	}
	t := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, false, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(t)
	if resp.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("GET %s: HTTP %d", v.url, resp.StatusCode)
	}
	return d, resp.TLS != nil && resp.TLS.DidResume, nil
}
