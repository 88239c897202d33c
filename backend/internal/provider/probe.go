package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Step is one step of a connection test.
type Step struct {
	Step       string  `json:"step" enums:"discovery,issuer,jwks,dns,tcp,tls,starttls,bind,search,reachability,ldap_provider,local"`
	OK         bool    `json:"ok"`
	DurationMS float64 `json:"duration_ms"`
	Message    string  `json:"message"`
} //	@name	ProviderTestStep

// TestResult is the trace of a connection test; it stops at the first failed step.
type TestResult struct {
	OK    bool   `json:"ok"`
	Steps []Step `json:"steps"`
} //	@name	ProviderTestResult

// tracer runs steps, each under its own timeout, until one fails.
type tracer struct {
	steps   []Step
	timeout time.Duration
	failed  bool
}

func (t *tracer) run(ctx context.Context, name string, fn func(ctx context.Context) (string, error)) bool {
	if t.failed {
		return false
	}
	sctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	start := time.Now()
	msg, err := fn(sctx)
	st := Step{Step: name, OK: err == nil, DurationMS: float64(time.Since(start).Microseconds()) / 1000, Message: msg}
	if err != nil {
		st.Message = describe(err, sctx)
		t.failed = true
	}
	t.steps = append(t.steps, st)
	return err == nil
}

func (t *tracer) result() TestResult {
	steps := t.steps
	if steps == nil {
		steps = []Step{}
	}
	return TestResult{OK: !t.failed, Steps: steps}
}

// failure returns the message of the failed step.
func (t *tracer) failure() string {
	for _, s := range t.steps {
		if !s.OK {
			return s.Step + ": " + s.Message
		}
	}
	return ""
}

// describe makes an error readable for an administrator, naming timeouts as such.
func describe(err error, ctx context.Context) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "timed out: " + err.Error()
	}
	return err.Error()
}

// Test runs the connection test of a provider (SPEC §4.4): OpenID discovery, issuer
// and JWKS; LDAP DNS, TCP, TLS, bind and a search; REST reachability.
func (s *Service) Test(ctx context.Context, id string) (TestResult, error) {
	r, _, err := s.st.load(ctx, id)
	if err != nil {
		return TestResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.TestTimeout)
	defer cancel()
	t := &tracer{timeout: s.opt.StepTimeout}
	p := r.params()
	switch {
	case IsOIDC(r.Type):
		s.testOIDC(ctx, t, p.ExternalURL)
	case r.Type == TypeREST:
		s.testREST(ctx, t, p.ExternalURL)
	case r.Type == TypeLDAP:
		pw, err := s.open(r.BindPasswordSealed)
		if err != nil {
			return TestResult{}, err
		}
		conn := dialLDAP(ctx, t, p, pw)
		if conn != nil {
			t.run(ctx, "search", func(ctx context.Context) (string, error) { return searchOne(conn, p) })
			_ = conn.Close()
		}
	case r.Type == TypeLDAPKerberos:
		t.run(ctx, "ldap_provider", func(ctx context.Context) (string, error) { return s.kerberosLDAP(ctx) })
	default:
		t.run(ctx, "local", func(context.Context) (string, error) {
			return "the local provider checks passwords in Custos itself; there is nothing to connect to", nil
		})
	}
	return t.result(), nil
}

// open decrypts a sealed secret ("" stays "").
func (s *Service) open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	return s.box.Open(sealed)
}

// kerberosLDAP checks the LDAP provider that Kerberos sign-in looks users up in.
func (s *Service) kerberosLDAP(ctx context.Context) (string, error) {
	r, err := s.st.anyActive(ctx, TypeLDAP)
	if err != nil {
		return "", err
	}
	if r == nil {
		return "", errors.New("no active LDAP provider: Kerberos sign-in looks users up in the active LDAP provider")
	}
	return "SPNEGO is done by the reverse proxy; users are looked up in the active LDAP provider " + r.Name +
		" (test that one for the directory connection)", nil
}

// httpClient follows at most five redirects and gives each request the step's context.
func httpClient() *http.Client {
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment, DialContext: (&net.Dialer{}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 2,
		IdleConnTimeout: time.Second}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	}}
}

// getJSON fetches a JSON document of at most 1 MiB.
func getJSON(ctx context.Context, hc *http.Client, u string, dst any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s answered HTTP %d", u, res.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("GET %s did not return JSON: %v", u, err)
	}
	return nil
}

type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
}

func (s *Service) testOIDC(ctx context.Context, t *tracer, issuer string) {
	hc := httpClient()
	defer hc.CloseIdleConnections()
	var doc discovery
	wellKnown := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	t.run(ctx, "discovery", func(ctx context.Context) (string, error) {
		if err := getJSON(ctx, hc, wellKnown, &doc); err != nil {
			return "", err
		}
		if doc.Issuer == "" || doc.JWKSURI == "" {
			return "", errors.New("the discovery document lacks issuer or jwks_uri")
		}
		return "read " + wellKnown, nil
	})
	t.run(ctx, "issuer", func(context.Context) (string, error) {
		if strings.TrimSuffix(doc.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
			return "", fmt.Errorf("the provider calls itself %q, but the external URL is %q", doc.Issuer, issuer)
		}
		return "issuer " + doc.Issuer + " matches the external URL", nil
	})
	t.run(ctx, "jwks", func(ctx context.Context) (string, error) {
		if u, err := url.Parse(doc.JWKSURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			return "", fmt.Errorf("jwks_uri %q is not an http(s) URL", doc.JWKSURI)
		}
		var set struct {
			Keys []struct {
				Kid string `json:"kid"`
				Kty string `json:"kty"`
				Alg string `json:"alg"`
			} `json:"keys"`
		}
		if err := getJSON(ctx, hc, doc.JWKSURI, &set); err != nil {
			return "", err
		}
		if len(set.Keys) == 0 {
			return "", errors.New("the key set at " + doc.JWKSURI + " holds no keys")
		}
		var ks []string
		for _, k := range set.Keys {
			ks = append(ks, strings.Trim(k.Kty+" "+k.Alg+" "+k.Kid, " "))
		}
		return fmt.Sprintf("%d key(s): %s", len(set.Keys), strings.Join(ks, "; ")), nil
	})
}

func (s *Service) testREST(ctx context.Context, t *tracer, rawURL string) {
	u, err := url.Parse(rawURL)
	if err != nil {
		t.run(ctx, "dns", func(context.Context) (string, error) { return "", err })
		return
	}
	t.run(ctx, "dns", func(ctx context.Context) (string, error) { return lookup(ctx, u.Hostname()) })
	t.run(ctx, "reachability", func(ctx context.Context) (string, error) {
		hc := httpClient()
		defer hc.CloseIdleConnections()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return "", err
		}
		res, err := hc.Do(req)
		if err != nil {
			return "", err
		}
		_ = res.Body.Close()
		if res.StatusCode >= 500 {
			return "", fmt.Errorf("the service answers HTTP %d", res.StatusCode)
		}
		return fmt.Sprintf("the service answers (HTTP %d to GET)", res.StatusCode), nil
	})
}

// lookup resolves a host name (an IP address needs no lookup).
func lookup(ctx context.Context, host string) (string, error) {
	if ip := net.ParseIP(host); ip != nil {
		return host + " is an IP address; nothing to resolve", nil
	}
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		return "", err
	}
	return host + " resolves to " + strings.Join(addrs, ", "), nil
}
