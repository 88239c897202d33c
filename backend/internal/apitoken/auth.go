package apitoken

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	"custos/internal/stats"
)

// Topic is the change topic that makes every replica drop its token cache (revoke,
// delete, a change of name or scopes).
const Topic = "apitokens"

// HeaderScheme is the Authorization scheme of API tokens; QueryParam the alternative.
const (
	HeaderScheme = "Api-Token"
	QueryParam   = "api-token"
)

// maxCached bounds the cache; when full it starts over (tokens are few; this only
// caps memory against a flood of distinct valid tokens).
const maxCached = 10_000

// entry is what authentication needs of a token, cached by public id.
type entry struct {
	id, kind, name string
	hash           []byte
	scopes         []string
	owner          string
	expiresAt      *time.Time
	revoked        bool
}

// DropCache forgets every cached token; the change bus calls it on every replica
// when a token is revoked, deleted or changed anywhere.
func (s *Service) DropCache(context.Context) { s.cache.Drop() }

func (s *Service) lookup(ctx context.Context, pub string) (*entry, error) {
	e, ok, gen := s.cache.Get(pub)
	if ok {
		return e, nil
	}
	r, ok, err := s.store.byPublicID(ctx, pub)
	if err != nil || !ok {
		return nil, err
	}
	h, err := hex.DecodeString(r.SecretHash)
	if err != nil {
		return nil, err
	}
	e = &entry{id: r.ID, kind: r.Kind, name: r.Name, hash: h, scopes: r.scopes(), expiresAt: r.ExpiresAt,
		revoked: r.RevokedAt != nil}
	if r.OwnerID != nil {
		e.owner = *r.OwnerID
	}
	s.cache.Put(pub, e, gen)
	return e, nil
}

// Authenticate checks a whole token and returns the principal it stands for. A
// malformed or mistyped token is refused before any database read; a known token is
// checked from the cache (revocation drops it on every replica); a personal token
// also reads its owner's current account and groups.
func (s *Service) Authenticate(ctx context.Context, raw, ip string) (*authz.Principal, error) {
	p, err := Parse(raw)
	if err != nil {
		return nil, errInvalidToken
	}
	e, err := s.lookup(ctx, p.PublicID)
	if err != nil {
		return nil, err
	}
	if e == nil || e.kind != p.Kind || !Verify(s.pepper, p.Secret, e.hash) {
		return nil, errInvalidToken
	}
	// Only a caller who holds the secret learns that a token was revoked or expired.
	if e.revoked {
		stats.Refused(ctx, e.id, stats.CredentialToken, "")
		return nil, errRevoked
	}
	now := s.now()
	if e.expiresAt != nil && !now.Before(*e.expiresAt) {
		stats.Refused(ctx, e.id, stats.CredentialToken, "")
		return nil, errExpired
	}
	pr := &authz.Principal{Kind: authz.KindToken, TokenID: e.id, TokenName: e.name, DisplayName: e.name, Scopes: e.scopes}
	if e.kind == KindPersonal {
		o, err := s.store.owner(ctx, e.owner)
		if err != nil {
			return nil, err
		}
		if o == nil || !o.Active {
			stats.Refused(ctx, e.id, stats.CredentialToken, "")
			return nil, errOwner
		}
		pr.UserID, pr.Login, pr.DisplayName, pr.Groups = e.owner, o.Login, o.DisplayName, o.Groups
	}
	s.usage.touch(e.id, ip, now)
	return pr, nil
}

// Middleware authenticates requests that carry a token. It runs before the CSRF check
// and the session middleware: a token request needs no CSRF header (a forged request
// cannot carry the token), and a presented token that fails is a 401, never a fall
// back to the browser's session cookie. The api-token parameter is removed from the
// query so the handlers' strict query parsing never sees it.
func (s *Service) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			raw, present, err := extract(r)
			if err != nil {
				return err
			}
			if !present {
				return next(c)
			}
			p, err := s.Authenticate(r.Context(), raw, c.RealIP())
			if err != nil {
				return err
			}
			authz.WithPrincipal(c, p)
			actor := p.TokenName
			if p.Login != "" {
				actor = p.Login + " · " + p.TokenName
			}
			httpx.SetActor(c.Request().Context(), "token", p.TokenID, actor)
			return next(c)
		}
	}
}

// extract finds the token of a request: the Authorization header with the Api-Token
// scheme (case-insensitive, as HTTP schemes are) and/or the api-token query parameter.
// Other Authorization schemes are not ours and are ignored. Two different tokens (two
// headers, two parameters, or header and parameter) are refused.
func extract(r *http.Request) (string, bool, error) {
	var found []string
	for _, h := range r.Header.Values(echo.HeaderAuthorization) {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
		if strings.EqualFold(scheme, HeaderScheme) {
			found = append(found, strings.TrimSpace(rest))
		}
	}
	if strings.Contains(r.URL.RawQuery, QueryParam) {
		vals, rest := takeParam(r.URL.RawQuery)
		if vals != nil {
			found = append(found, vals...)
			r.URL.RawQuery = rest
		}
	}
	if len(found) == 0 {
		return "", false, nil
	}
	for _, v := range found[1:] {
		if v != found[0] {
			return "", true, errAmbiguous
		}
	}
	return found[0], true, nil
}

// takeParam removes every api-token pair from a raw query, keeping the other pairs
// byte for byte (so their own validation still sees exactly what the client sent).
// It returns the removed values (nil when there were none).
func takeParam(raw string) ([]string, string) {
	var vals []string
	kept := make([]string, 0, 4)
	for _, pair := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if key, err := url.QueryUnescape(k); err == nil && key == QueryParam {
			uv, err := url.QueryUnescape(v)
			if err != nil {
				uv = "\x00malformed" // never a valid token: refused as invalid
			}
			vals = append(vals, uv)
			continue
		}
		kept = append(kept, pair)
	}
	if vals == nil {
		return nil, raw
	}
	return vals, strings.Join(kept, "&")
}
