package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"custos/agent/internal/pairing"
)

func TestForeignOriginRefusedWithoutCORS(t *testing.T) {
	a := newAgent(t, nil, nil)
	secret := a.pair(console)
	r := a.call("GET", "/status", console, secret, nil)
	expect(t, r, 200, "")
	if r.Body["paired"] != true || r.Header.Get("Access-Control-Allow-Origin") != console {
		t.Fatalf("paired console: %s, ACAO %q", r.Raw, r.Header.Get("Access-Control-Allow-Origin"))
	}
	// Another site holding the console's secret still gets nothing a browser would show.
	for _, path := range []string{"/tokens", "/tokens/x/certificates"} {
		r = a.call("GET", path, "https://evil.example", secret, nil)
		expect(t, r, http.StatusForbidden, "origin.refused")
		if v := r.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Fatalf("foreign origin got ACAO %q", v)
		}
	}
	r = a.call("OPTIONS", "/tokens", "https://evil.example", "", nil,
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Private-Network", "true")
	expect(t, r, http.StatusForbidden, "")
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Private-Network") != "" {
		t.Fatalf("foreign preflight answered with CORS headers: %v", r.Header)
	}
	// No Origin (a script on the machine) and a DNS-rebinding host name are refused too.
	expect(t, a.call("GET", "/tokens", "", secret, nil), http.StatusForbidden, "origin.required")
	expect(t, a.call("GET", "/tokens", console, secret, nil, "Host", "evil.example:7443"), http.StatusForbidden, "host.refused")
}

func TestPreflightWithPrivateNetworkAccess(t *testing.T) {
	a := newAgent(t, nil, nil)
	a.pair(console)
	r := a.call("OPTIONS", "/tokens/abc/keys", console, "", nil,
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type",
		"Access-Control-Request-Private-Network", "true")
	expect(t, r, http.StatusNoContent, "")
	h := r.Header
	if h.Get("Access-Control-Allow-Origin") != console || h.Get("Access-Control-Allow-Private-Network") != "true" ||
		!strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("preflight headers: %v", h)
	}
	// A console not paired yet may still preflight the pairing call itself.
	r = a.call("OPTIONS", "/pair", "https://new-console.example", "", nil,
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Private-Network", "true")
	expect(t, r, http.StatusNoContent, "")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://new-console.example" || r.Header.Get("Access-Control-Allow-Private-Network") != "true" {
		t.Fatalf("pairing preflight: %v", r.Header)
	}
}

func TestUnpairedCallerRefused(t *testing.T) {
	a := newAgent(t, nil, nil)
	secret := a.pair(console)
	expect(t, a.call("GET", "/tokens", console, "", nil), http.StatusUnauthorized, "agent.unpaired")
	expect(t, a.call("GET", "/tokens", console, secret+"x", nil), http.StatusUnauthorized, "agent.unpaired")
	r := a.call("POST", "/tokens/abc/keys", console, "wrong", map[string]string{"user_pin": "12345678"})
	expect(t, r, http.StatusUnauthorized, "agent.unpaired")
	if r.Header.Get("Access-Control-Allow-Origin") != console {
		t.Fatal("the paired origin must be able to read the 401 (to show «pair the agent»)")
	}
	// A second console origin pairs on its own; its secret does not work for the first.
	other := a.pair("https://second.example")
	expect(t, a.call("GET", "/status", console, other, nil), 200, "")
	if a.call("GET", "/status", console, other, nil).Body["paired"] != false {
		t.Fatal("a secret of another origin counts as paired")
	}
	// Unpairing forgets the secret.
	if r := a.call("DELETE", "/pair", console, secret, nil); r.Status != http.StatusNoContent {
		t.Fatalf("unpair: %d %s", r.Status, r.Raw)
	}
	expect(t, a.call("GET", "/status", console, secret, nil), 200, "")
	expect(t, a.call("GET", "/tokens", console, secret, nil), http.StatusForbidden, "origin.refused")
}

func TestReplayedAndWrongCodes(t *testing.T) {
	a := newAgent(t, nil, nil)
	a.call("POST", "/pair/start", console, "", nil)
	code := a.lastCode()
	expect(t, a.call("POST", "/pair", console, "", map[string]string{"code": code, "origin": console}), 200, "")
	r := a.call("POST", "/pair", console, "", map[string]string{"code": code, "origin": console})
	expect(t, r, http.StatusUnauthorized, "pair.codeInvalid")
	if r.str("secret") != "" {
		t.Fatal("a replayed code got a secret")
	}
	// The origin in the body must be the one the browser sends.
	a.call("POST", "/pair/start", console, "", nil)
	r = a.call("POST", "/pair", console, "", map[string]string{"code": a.lastCode(), "origin": "https://evil.example"})
	expect(t, r, http.StatusBadRequest, "pair.originMismatch")
	// Five wrong codes (the replay above was the first) lock pairing: the right code is
	// refused until the minute is over.
	for i := 0; i < pairing.MaxFailures-2; i++ {
		expect(t, a.call("POST", "/pair", console, "", map[string]string{"code": "99999999x", "origin": console}), http.StatusUnauthorized, "pair.codeInvalid")
	}
	expect(t, a.call("POST", "/pair", console, "", map[string]string{"code": "99999999x", "origin": console}), http.StatusTooManyRequests, "pair.locked")
	r = a.call("POST", "/pair", console, "", map[string]string{"code": a.lastCode(), "origin": console})
	expect(t, r, http.StatusTooManyRequests, "pair.locked")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After on a locked pairing")
	}
	// Unknown fields are refused without echoing the body.
	r = a.call("POST", "/pair", console, "", map[string]string{"code": "1", "origin": console, "pin": "12345678"})
	expect(t, r, http.StatusBadRequest, "body.invalid")
}

func TestExpiredCodeRefused(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	a := newAgent(t, nil, clock)
	a.call("POST", "/pair/start", console, "", nil)
	now = now.Add(pairing.CodeTTL + time.Second)
	r := a.call("POST", "/pair", console, "", map[string]string{"code": a.lastCode(), "origin": console})
	expect(t, r, http.StatusUnauthorized, "pair.codeExpired")
}

func TestStatusBeforePairing(t *testing.T) {
	a := newAgent(t, nil, nil)
	r := a.call("GET", "/status", "https://any-console.example", "", nil)
	expect(t, r, 200, "")
	if r.Body["agent"] != "custos-agent" || r.Body["paired"] != false || r.Body["protocol"] != float64(ProtocolVersion) {
		t.Fatalf("status: %s", r.Raw)
	}
}
