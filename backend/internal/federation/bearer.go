package federation

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
	"custos/internal/provider"
)

// maxBearer bounds a presented JWT; anything longer is refused unread.
const maxBearer = 16 << 10

type bearerEntry struct {
	userID, providerID string
	exp, checked       time.Time
}

// recheck is how often a cached token's provider is checked to be still active.
const recheck = 30 * time.Second

// bearerCache remembers which account a verified token was provisioned to, until the
// token expires, so a token signs its user in (and refreshes the account) once rather
// than on every API call.
type bearerCache struct {
	mu sync.Mutex
	m  map[string]bearerEntry
}

func (c *bearerCache) get(key string, now time.Time) (bearerEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.After(e.exp) {
		delete(c.m, key)
		return bearerEntry{}, false
	}
	return e, true
}

func (c *bearerCache) drop(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}

func (c *bearerCache) put(key string, e bearerEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 10_000 {
		c.m = map[string]bearerEntry{}
	}
	c.m[key] = e
}

// verifyToken checks a JWT against the active oidc_token provider that issued it:
// signature (its JWKS), issuer, audience = its IA identifier, expiry with the clock
// skew. It returns the provider, the claims and the expiry.
func (s *Service) verifyToken(ctx context.Context, raw, ip string) (provider.Provider, provider.Claims, time.Time, error) {
	none := provider.Provider{Type: provider.TypeOIDCToken}
	iss, ok := unverifiedIssuer(raw)
	if !ok || len(raw) > maxBearer {
		return none, nil, time.Time{}, s.refuseDetail(ctx, none, ip, errInvalidToken, "not a JWT")
	}
	ps, err := s.prov.Active(ctx, provider.TypeOIDCToken)
	if err != nil {
		return none, nil, time.Time{}, err
	}
	var p *provider.Provider
	for i := range ps {
		if strings.TrimSuffix(deref(ps[i].Params.ExternalURL), "/") == strings.TrimSuffix(iss, "/") {
			p = &ps[i]
			break
		}
	}
	if p == nil {
		return none, nil, time.Time{}, s.refuseDetail(ctx, none, ip, errInvalidToken,
			"no active OpenID Token provider has the issuer "+validate.CleanText(iss, 200))
	}
	op, err := s.discover(ctx, deref(p.Params.ExternalURL))
	if err != nil {
		return *p, nil, time.Time{}, s.unreachable(ctx, *p, ip, err)
	}
	vctx, cancel := context.WithTimeout(ctx, s.opt.HTTPTimeout)
	defer cancel()
	idt, err := s.verifier(op, *p).Verify(vctx, raw)
	if err != nil && vctx.Err() != nil && ctx.Err() == nil { // the keys did not come in time
		return *p, nil, time.Time{}, s.unreachable(ctx, *p, ip, err)
	}
	if err != nil {
		return *p, nil, time.Time{}, s.refuseDetail(ctx, *p, ip, errInvalidToken, err.Error())
	}
	claims := provider.Claims{}
	if err := idt.Claims(&claims); err != nil {
		return *p, nil, time.Time{}, s.refuseDetail(ctx, *p, ip, errInvalidToken, err.Error())
	}
	return *p, validate.CleanClaims(claims), idt.Expiry, nil
}

// TokenSession signs in with an oidc_token provider's JWT: verified, provisioned, and a
// session opened.
func (s *Service) TokenSession(ctx context.Context, raw, ip, ua string) (Outcome, error) {
	if raw == "" {
		return Outcome{}, apperr.Invalid(apperr.Field("token", "required", "send the JWT in token or as Authorization: Bearer"))
	}
	p, claims, _, err := s.verifyToken(ctx, raw, ip)
	if err != nil {
		return Outcome{}, err
	}
	return s.complete(ctx, attempt{prov: p, claims: claims, ip: ip, ua: ua}, true)
}

// unverifiedIssuer reads the iss claim of a JWT without verifying it (to pick the
// provider whose keys verify it).
func unverifiedIssuer(raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", false
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(b, &c) != nil || c.Iss == "" {
		return "", false
	}
	return c.Iss, true
}

// BearerPrincipal authenticates an API call made with an oidc_token provider's JWT.
// The first call with a token provisions the account (SPEC §5.3) and audits the
// sign-in; later calls with the same token only check the account is still active.
func (s *Service) BearerPrincipal(ctx context.Context, raw, ip, ua string) (*authz.Principal, error) {
	key, now := sha(raw), time.Now()
	e, ok := s.bearer.get(key, now)
	if ok && now.Sub(e.checked) > recheck { // a deactivated provider's tokens stop within recheck
		active, err := s.stillActive(ctx, e.providerID)
		if err != nil {
			return nil, err
		}
		ok = active
		if !ok {
			s.bearer.drop(key)
		} else {
			e.checked = now
			s.bearer.put(key, e)
		}
	}
	if !ok {
		p, claims, exp, err := s.verifyToken(ctx, raw, ip)
		if err != nil {
			return nil, err
		}
		out, err := s.complete(ctx, attempt{prov: p, claims: claims, ip: ip, ua: ua}, false)
		if err != nil {
			return nil, err
		}
		e = bearerEntry{userID: out.UserID, providerID: p.ID, exp: exp.Add(s.opt.ClockSkew), checked: now}
		s.bearer.put(key, e)
	}
	uid := e.userID
	u, err := s.dir.GetUser(ctx, uid)
	if err != nil || !u.Active {
		return nil, errInvalidToken
	}
	refs, err := s.dir.GroupRefsOf(ctx, uid)
	if err != nil {
		return nil, err
	}
	groups := make([]string, len(refs))
	for i, g := range refs {
		groups[i] = g.Code
	}
	return &authz.Principal{Kind: authz.KindBearer, UserID: u.ID, Login: u.Login, DisplayName: u.DisplayName,
		Groups: groups}, nil
}

// looksLikeJWT reports whether raw has a JWS header (base64url JSON naming alg): such
// a bearer credential is verified strictly; anything else is some other scheme's.
func looksLikeJWT(raw string) bool {
	head, _, ok := strings.Cut(raw, ".")
	if !ok || len(head) > 2048 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(head, "="))
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	return json.Unmarshal(b, &h) == nil && h.Alg != ""
}

// stillActive reports whether the oidc_token provider id is still active.
func (s *Service) stillActive(ctx context.Context, id string) (bool, error) {
	ps, err := s.prov.Active(ctx, provider.TypeOIDCToken)
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if p.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// bearerToken returns the JWT of an Authorization: Bearer header.
func bearerToken(r *http.Request) (string, bool) {
	for _, h := range r.Header.Values(echo.HeaderAuthorization) {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// BearerMiddleware authenticates requests that carry Authorization: Bearer <JWT>
// (SPEC §5.2 oidc_token). A presented JWT that fails is a 401, never a fall back to
// the session cookie; a Bearer value that is no JWT is left alone (anonymous). It runs after the API-token middleware and before the CSRF
// check (a bearer token is not ambient).
func (s *Service) BearerMiddleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if authz.FromEcho(c) != nil {
				return next(c)
			}
			raw, ok := bearerToken(c.Request())
			if !ok || !looksLikeJWT(raw) { // another Bearer scheme's credential is not ours
				return next(c)
			}
			p, err := s.BearerPrincipal(c.Request().Context(), raw, c.RealIP(), c.Request().UserAgent())
			if err != nil {
				return err
			}
			authz.WithPrincipal(c, p)
			httpx.SetActor(c.Request().Context(), "user", p.UserID, p.Login)
			return next(c)
		}
	}
}
