package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"custos/internal/app"
	"custos/internal/config"
	"custos/internal/identity"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
)

// AdminPassword is tech_admin's password in every test app.
const AdminPassword = "tech-admin-test-pw"

// testHashMemoryKiB is the argon2id memory of a test app's password hashes: real
// argon2id in the real format, at a small fraction of the production cost, which the
// suite's thousands of sign-ins would otherwise spend most of their CPU time on.
const testHashMemoryKiB = 64

// TestApp is a full app on a fresh database, served by httptest.
type TestApp struct {
	*app.App
	URL string
	t   testing.TB
}

// NewApp builds the app over d with test settings and serves it. Options adjust the
// config before the app is built (tiny session timeouts, low throttling limits).
func NewApp(t testing.TB, d *db.DB, opts ...func(*config.Config)) *TestApp {
	t.Helper()
	cfg := config.Config{DataDir: TempDataDir(t), AdminPassword: AdminPassword, LogLevel: "error", LogFormat: "text",
		SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour, LoginMaxFailures: 5, LoginIPFailures: 1000,
		LoginWindow: 15 * time.Minute, LoginLockout: 15 * time.Minute, LoginSlowAfter: 10, LoginMaxDelay: time.Minute}
	for _, o := range opts {
		o(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Build(cfg, log, d, app.WithHasher(crypto.NewHasherWithParams(0, testHashMemoryKiB, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Bootstrap(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Echo)
	t.Cleanup(srv.Close)
	return &TestApp{App: a, URL: srv.URL, t: t}
}

// PasswordChecks is how many argon2id verifications the app has done so far.
func (a *TestApp) PasswordChecks() int64 { return a.Sessions.PasswordChecks() }

// Ctx is a context with a system actor, for calling services directly.
func Ctx() context.Context {
	return httpx.WithMeta(context.Background(), httpx.Meta{ActorType: "system", ActorName: "test"})
}

// Client is an HTTP client with a cookie jar that handles CSRF like the SPA does.
type Client struct {
	t    testing.TB
	base string
	hc   *http.Client
	// Header is added to every request.
	Header http.Header
}

// Anonymous returns a client with no session.
func (a *TestApp) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: a.t, base: a.URL, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}, Header: http.Header{}}
}

// ClientAt returns a client with no session for another listener of the app (the mTLS
// entry: base "https://host:port", tr presenting the client certificate).
func (a *TestApp) ClientAt(base string, tr http.RoundTripper) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: a.t, base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: tr}, Header: http.Header{}}
}

// At is the same client (cookie jar, headers) sending to another base URL: a replica's
// own port instead of the balancer's (cookies are per host, not per port).
func (c *Client) At(base string) *Client { cc := *c; cc.base = base; return &cc }

// Login returns a client signed in as login.
func (a *TestApp) Login(login, password string) *Client {
	c := a.Anonymous()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": password})
	if r.Status != 200 {
		a.t.Fatalf("login %s: %d %s", login, r.Status, r.Body)
	}
	return c
}

// Admin returns a client signed in as tech_admin.
func (a *TestApp) Admin() *Client { return a.Login("tech_admin", AdminPassword) }

// As returns a client signed in as a new user who is a member of the given groups only.
func (a *TestApp) As(groupCodes ...string) *Client {
	a.t.Helper()
	ctx := Ctx()
	var ids []string
	for _, code := range groupCodes {
		var id string
		if err := a.DB.R.Table("groups").Where("code = ?", code).Pluck("id", &id).Error; err != nil || id == "" {
			a.t.Fatalf("group %s: %v", code, err)
		}
		ids = append(ids, id)
	}
	login := fmt.Sprintf("u%d", time.Now().UnixNano())
	_, err := a.Identity.CreateUser(ctx, identity.UserInput{Login: login, Password: "password-123", GroupIDs: ids})
	if err != nil {
		a.t.Fatal(err)
	}
	return a.Login(login, "password-123")
}

// Resp is a response with its decoded JSON.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   any
}

// Do sends a request; body may be nil, a string/[]byte (sent raw) or any value (JSON).
func (c *Client) Do(method, path string, body any) *Resp {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if u := req.URL; c.hc.Jar != nil {
		for _, ck := range c.hc.Jar.Cookies(u) {
			if ck.Name == "custos_csrf" && req.Header.Get("X-CSRF-Token") == "" {
				req.Header.Set("X-CSRF-Token", ck.Value)
			}
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &Resp{Status: res.StatusCode, Header: res.Header, Body: b}
	_ = json.Unmarshal(b, &r.JSON)
	return r
}

// Get reads a dotted path from the JSON body: "items.0.login", "errors.0.field".
func (r *Resp) Get(path string) any {
	var cur = r.JSON
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

// Str is Get as a string.
func (r *Resp) Str(path string) string { s, _ := r.Get(path).(string); return s }

// Num is Get as a number.
func (r *Resp) Num(path string) float64 { n, _ := r.Get(path).(float64); return n }

// Len is the length of the array at path.
func (r *Resp) Len(path string) int { a, _ := r.Get(path).([]any); return len(a) }

func (r *Resp) String() string { return fmt.Sprintf("%d %s", r.Status, r.Body) }

// Remote is a TestApp for a Custos served elsewhere (another process) at base; only its
// HTTP clients (Anonymous, Login, Admin) are usable.
func Remote(t testing.TB, base string) *TestApp { return &TestApp{URL: base, t: t} }

// Clock is a clock a test steps by hand, so timeouts are crossed without waiting.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's current time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// StepClock puts the app's sessions, sign-in throttling and API token expiry on a
// clock the test steps, starting at the present.
func (a *TestApp) StepClock() *Clock {
	c := &Clock{now: time.Now().UTC().Truncate(time.Microsecond)}
	a.Sessions.SetClock(c.Now)
	a.Tokens.SetClock(c.Now)
	return c
}
