package testutil

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// IdP is an in-process OpenID provider for unit tests, built on go-jose: discovery,
// JWKS, an authorization endpoint that signs in the configured user at once (or answers
// login_required to prompt=none without a session), a token endpoint that checks the
// client secret and the PKCE verifier, and user info. The end-to-end suite uses a real
// provider process (the oidc-provider npm package) instead.
type IdP struct {
	URL          string // the issuer
	ClientID     string
	ClientSecret string

	mu sync.Mutex
	// User are the claims of the user the authorization endpoint signs in.
	User map[string]any
	// LoggedIn: the provider has a session (prompt=none succeeds).
	LoggedIn bool
	// Deny answers the authorization request with this error instead.
	Deny string
	// BadNonce signs the ID token with a nonce of its own.
	BadNonce bool
	// Raw makes user info and signed tokens carry the claims' bytes as they are
	// (RawJSON), invalid UTF-8 included: a careless provider.
	Raw bool
	// Hang makes the endpoint of this name ("discovery", "jwks", "token") accept the
	// request and never answer (until the caller gives up or the test ends).
	Hang   string
	stop   chan struct{}
	codes  map[string]idpCode
	tokens map[string]map[string]any
	key    *rsa.PrivateKey
	other  *rsa.PrivateKey
	srv    *httptest.Server
}

type idpCode struct {
	nonce, challenge, redirect string
	claims                     map[string]any
}

// NewIdP starts a test OpenID provider with client custos / custos-secret.
func NewIdP(t testing.TB) *IdP {
	t.Helper()
	k1, _ := rsa.GenerateKey(rand.Reader, 2048)
	k2, _ := rsa.GenerateKey(rand.Reader, 2048)
	p := &IdP{ClientID: "custos", ClientSecret: "custos-secret", key: k1, other: k2, LoggedIn: true,
		codes: map[string]idpCode{}, tokens: map[string]map[string]any{}, stop: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", p.hanging("discovery", p.discovery))
	mux.HandleFunc("/jwks", p.hanging("jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	mux.HandleFunc("/authorize", p.authorize)
	mux.HandleFunc("/token", p.hanging("token", p.token))
	mux.HandleFunc("/userinfo", p.userinfo)
	p.srv = httptest.NewServer(mux)
	p.URL = p.srv.URL
	t.Cleanup(func() {
		close(p.stop) // release hanging handlers first: Close waits for them
		p.srv.Close()
	})
	return p
}

// hanging wraps the endpoint name so that it never answers while p.Hang names it.
func (p *IdP) hanging(name string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		hang := p.Hang == name
		p.mu.Unlock()
		if hang {
			select {
			case <-r.Context().Done():
			case <-p.stop:
			}
			return
		}
		h(w, r)
	}
}

// Close stops the provider (to test an unreachable one).
func (p *IdP) Close() { p.srv.Close() }

// Set changes the provider's behaviour under its lock.
func (p *IdP) Set(fn func(p *IdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

func (p *IdP) discovery(w http.ResponseWriter, _ *http.Request) {
	_ = json.NewEncoder(w).Encode(map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
		"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/jwks", "userinfo_endpoint": p.URL + "/userinfo",
		"id_token_signing_alg_values_supported": []string{"RS256"}, "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}})
}

func (p *IdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	if back == nil || q.Get("client_id") != p.ClientID || q.Get("code_challenge_method") != "S256" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	v := url.Values{"state": {q.Get("state")}}
	switch {
	case p.Deny != "":
		v.Set("error", p.Deny)
	case q.Get("prompt") == "none" && !p.LoggedIn:
		v.Set("error", "login_required")
	default:
		code := RandomID()
		p.codes[code] = idpCode{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: back.String(),
			claims: copyMap(p.User)}
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *IdP) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	c, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	badNonce := p.BadNonce
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case id != p.ClientID || secret != p.ClientSecret:
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
		return
	case !found || c.redirect != r.PostForm.Get("redirect_uri") ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	nonce := c.nonce
	if badNonce {
		nonce = "not-the-nonce"
	}
	claims := map[string]any{"sub": c.claims["sub"], "nonce": nonce}
	at := RandomID()
	p.mu.Lock()
	p.tokens[at] = c.claims
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": 300,
		"id_token": p.Sign(claims, TokenOptions{})})
}

func (p *IdP) userinfo(w http.ResponseWriter, r *http.Request) {
	at := r.Header.Get("Authorization")
	p.mu.Lock()
	c, ok := p.tokens[trimBearer(at)]
	p.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	p.mu.Lock()
	raw := p.Raw
	p.mu.Unlock()
	if raw {
		_, _ = w.Write(RawJSON(c))
		return
	}
	_ = json.NewEncoder(w).Encode(c)
}

// TokenOptions vary a signed token for the bad-input tests.
type TokenOptions struct {
	Audience  string        // default the client id
	Issuer    string        // default the provider's URL
	ExpiresIn time.Duration // default 5 minutes; negative = already expired
	WrongKey  bool          // signed with a key the JWKS does not hold
}

// Sign issues a JWT with claims plus iss, aud, iat and exp.
func (p *IdP) Sign(claims map[string]any, o TokenOptions) string {
	c := copyMap(claims)
	now := time.Now()
	if o.ExpiresIn == 0 {
		o.ExpiresIn = 5 * time.Minute
	}
	c["iss"], c["aud"], c["iat"], c["exp"] = p.URL, p.ClientID, now.Unix(), now.Add(o.ExpiresIn).Unix()
	if o.Issuer != "" {
		c["iss"] = o.Issuer
	}
	if o.Audience != "" {
		c["aud"] = o.Audience
	}
	key := p.key
	if o.WrongKey {
		key = p.other
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(c)
	p.mu.Lock()
	if p.Raw {
		b = RawJSON(c)
	}
	p.mu.Unlock()
	jws, err := sig.Sign(b)
	if err != nil {
		panic(err)
	}
	s, _ := jws.CompactSerialize()
	return s
}

// RandomID is a random URL-safe string.
func RandomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func trimBearer(h string) string {
	if len(h) > 7 && (h[:7] == "Bearer " || h[:7] == "bearer ") {
		return h[7:]
	}
	return h
}
