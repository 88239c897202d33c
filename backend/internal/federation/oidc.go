package federation

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"custos/internal/platform/crypto"
	"custos/internal/platform/validate"
	"custos/internal/provider"
)

// CallbackPath is where every OpenID provider sends the browser back.
const CallbackPath = "/api/v1/auth/oidc/callback"

// newHTTPClient bounds every call to an identity provider or REST service.
func newHTTPClient(timeout time.Duration) *http.Client {
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: timeout}).DialContext,
		TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout + 2*time.Second, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second}
	// The client timeout is a backstop a little longer than the per-call contexts (which
	// carry the same timeout), so a slow peer is reported as a deadline of the call.
	return &http.Client{Transport: tr, Timeout: timeout + 2*time.Second, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	}}
}

type discovered struct {
	p  *oidc.Provider
	at time.Time
}

// discoveryCache keeps each issuer's discovery document (and so its key set, which
// go-oidc refreshes by itself when a token names an unknown key) for a while.
type discoveryCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]discovered
}

// discover reads the issuer's discovery document, or reuses a fresh copy.
func (s *Service) discover(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c := s.oidc
	c.mu.Lock()
	d, ok := c.m[issuer]
	c.mu.Unlock()
	if ok && time.Since(d.at) < c.ttl {
		return d.p, nil
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.hc), s.opt.HTTPTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) > 100 {
		c.m = map[string]discovered{}
	}
	c.m[issuer] = discovered{p: p, at: time.Now()}
	c.mu.Unlock()
	return p, nil
}

// oauthConfig is the OAuth 2.0 client of provider p.
func (s *Service) oauthConfig(ctx context.Context, p provider.Provider, op *oidc.Provider, redirect string) (*oauth2.Config, error) {
	secret, err := s.prov.ClientSecret(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &oauth2.Config{ClientID: deref(p.Params.ClientID), ClientSecret: secret, Endpoint: op.Endpoint(),
		RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}, nil
}

// Buttons returns the sign-in buttons of the login page: the active OpenID providers,
// each labelled with its button label or else its name.
func (s *Service) Buttons(ctx context.Context) ([]Button, error) {
	ps, err := s.prov.Active(ctx, provider.TypeOIDC)
	if err != nil {
		return nil, err
	}
	out := make([]Button, 0, len(ps))
	for _, p := range ps {
		label := p.ButtonLabel
		if label == "" {
			label = p.Name
		}
		out = append(out, Button{ID: p.ID, Label: label})
	}
	return out, nil
}

// StartInput starts an authorization-code round trip.
type StartInput struct {
	Provider provider.Provider
	Base     string // the console's external base URL
	Next     string // where the SPA goes afterwards (a same-origin path)
	Browser  string // the browser binding (flow cookie value)
	Silent   bool   // prompt=none
	IP       string
}

// Start stores the round trip (state, nonce, PKCE verifier) and returns the
// authorization URL the browser is sent to.
func (s *Service) Start(ctx context.Context, in StartInput) (string, error) {
	op, err := s.discover(ctx, deref(in.Provider.Params.ExternalURL))
	if err != nil {
		return "", s.unreachable(ctx, in.Provider, in.IP, err)
	}
	cfg, err := s.oauthConfig(ctx, in.Provider, op, in.Base+CallbackPath)
	if err != nil {
		return "", err
	}
	state, nonce, verifier := crypto.RandomToken(32), crypto.RandomToken(32), oauth2.GenerateVerifier()
	now := s.now()
	f := &flowRow{ID: sha(state), ProviderID: in.Provider.ID, Nonce: nonce, Verifier: verifier,
		BrowserHash: sha(in.Browser), RedirectURI: cfg.RedirectURL, Next: in.Next, Silent: in.Silent,
		CreatedAt: now, ExpiresAt: now.Add(s.opt.FlowTTL)}
	if err := s.saveFlow(ctx, f); err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if in.Silent {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "none"))
	}
	return cfg.AuthCodeURL(state, opts...), nil
}

// CallbackInput is what the identity provider sent the browser back with.
type CallbackInput struct {
	State, Code, Error, Browser string
	IP, UserAgent               string
}

// CallbackResult says where the browser goes next.
type CallbackResult struct {
	Outcome Outcome
	Next    string
	// SilentFailed: a prompt=none attempt found no session at the provider; the SPA
	// shows the login page without an error (and without trying again).
	SilentFailed bool
}

// silentFailures are the answers to prompt=none that mean "the user must sign in".
var silentFailures = []string{"login_required", "interaction_required", "consent_required", "account_selection_required"}

// Callback finishes a round trip: it consumes the state, exchanges the code with the
// PKCE verifier, verifies the ID token (signature, issuer, audience, expiry, nonce),
// reads the user info and signs the user in.
func (s *Service) Callback(ctx context.Context, in CallbackInput) (CallbackResult, error) {
	f, err := s.takeFlow(ctx, in.State, in.Browser)
	if err != nil {
		return CallbackResult{}, err
	}
	if f == nil {
		return CallbackResult{}, s.refuse(ctx, provider.Provider{Type: provider.TypeOIDC}, "", "", in.IP, errInvalidState)
	}
	out := CallbackResult{Next: f.Next}
	p, err := s.prov.Get(ctx, f.ProviderID)
	if err != nil || !p.Active {
		return out, errProviderNotFound
	}
	if in.Error != "" {
		if f.Silent && contains(silentFailures, in.Error) {
			out.SilentFailed = true
			return out, nil
		}
		return out, s.refuseDetail(ctx, p, in.IP, errIdP, "the provider answered "+validate.CleanText(in.Error, 100))
	}
	claims, err := s.exchange(ctx, p, f, in.Code)
	if err != nil {
		return out, s.refuseDetail(ctx, p, in.IP, classify(err), err.Error())
	}
	out.Outcome, err = s.complete(ctx, attempt{prov: p, claims: claims, ip: in.IP, ua: in.UserAgent}, true)
	return out, err
}

// exchange redeems the code and returns the verified claims of the ID token merged
// with the user info (ID token claims win).
func (s *Service) exchange(ctx context.Context, p provider.Provider, f *flowRow, code string) (provider.Claims, error) {
	if code == "" || len(code) > 4096 {
		return nil, errors.New("the callback carries no usable code")
	}
	op, err := s.discover(ctx, deref(p.Params.ExternalURL))
	if err != nil {
		return nil, unreachableErr{err}
	}
	cfg, err := s.oauthConfig(ctx, p, op, f.RedirectURI)
	if err != nil {
		return nil, err
	}
	hctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, s.hc), s.opt.HTTPTimeout)
	defer cancel()
	tok, err := cfg.Exchange(hctx, code, oauth2.VerifierOption(f.Verifier))
	var answered *oauth2.RetrieveError
	switch {
	case err != nil && errors.As(err, &answered): // the provider refused the code
		return nil, errors.New("code exchange: " + err.Error())
	case err != nil: // no answer: refused connection, timeout, reset
		return nil, unreachableErr{errors.New("code exchange: " + err.Error())}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, errors.New("the token response has no id_token")
	}
	idt, err := s.verifier(op, p).Verify(hctx, raw)
	if err != nil && hctx.Err() != nil && ctx.Err() == nil { // its keys did not come in time
		return nil, unreachableErr{err}
	}
	if err != nil {
		return nil, err
	}
	if idt.Nonce == "" || idt.Nonce != f.Nonce {
		return nil, errors.New("the ID token's nonce does not match this round trip")
	}
	claims := provider.Claims{}
	if err := idt.Claims(&claims); err != nil {
		return nil, err
	}
	if op.UserInfoEndpoint() != "" && tok.AccessToken != "" {
		if ui, err := op.UserInfo(hctx, oauth2.StaticTokenSource(tok)); err == nil && ui.Subject == idt.Subject {
			extra := map[string]any{}
			if ui.Claims(&extra) == nil {
				for k, v := range extra {
					if _, ok := claims[k]; !ok {
						claims[k] = v
					}
				}
			}
		}
	}
	return validate.CleanClaims(claims), nil
}

// verifier checks signature (the provider's JWKS), issuer, audience = client id and
// expiry with the configured clock skew.
func (s *Service) verifier(op *oidc.Provider, p provider.Provider) *oidc.IDTokenVerifier {
	return op.Verifier(s.verifierConfig(p))
}

// verifierConfig is what an ID or bearer token of p must satisfy besides its signature:
// audience = the IA identifier, and expiry tolerated up to the clock skew.
func (s *Service) verifierConfig(p provider.Provider) *oidc.Config {
	skew, now := s.opt.ClockSkew, s.now
	if now == nil {
		now = time.Now
	}
	return &oidc.Config{ClientID: deref(p.Params.ClientID), Now: func() time.Time { return now().Add(-skew) }}
}

// unreachableErr marks an identity provider that could not be asked.
type unreachableErr struct{ err error }

func (e unreachableErr) Error() string { return "the provider could not be reached: " + e.err.Error() }

func classify(err error) error {
	var u unreachableErr
	if errors.As(err, &u) {
		return errUnavailable
	}
	return errIdP
}

// unreachable audits a provider that could not be asked and returns the refusal.
func (s *Service) unreachable(ctx context.Context, p provider.Provider, ip string, err error) error {
	return s.refuseDetail(ctx, p, ip, errUnavailable, err.Error())
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
