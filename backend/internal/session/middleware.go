package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
)

var (
	errCSRF = apperr.New(apperr.KindDenied, "auth.csrf",
		"The X-CSRF-Token header must repeat the custos_csrf cookie of this session.")
	errCrossOrigin = apperr.New(apperr.KindDenied, "auth.crossOrigin",
		"A request changing data with the session cookie must come from the console's own origin.")
)

// CSRF guards the requests that ride on the session cookie. A state-changing request
// (anything but GET, HEAD, OPTIONS) carrying the cookie must come from the console's own
// origin (Sec-Fetch-Site and Origin, when the browser sends them), and, with a live
// session, repeat in X-CSRF-Token the token bound to that session: an HMAC of the session
// id, handed over in the custos_csrf cookie at sign-in (a new one every time) and
// whenever a request of the session lacks the right one. It runs after Authenticate; an
// API token or bearer caller is exempt (not ambient: a forged request cannot carry it).
func (s *Service) CSRF() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := authz.FromEcho(c)
			if p != nil && (p.Kind == authz.KindToken || p.Kind == authz.KindBearer) {
				return next(c)
			}
			var want string
			if p != nil && p.SessionID != "" {
				want = s.csrfToken(p.SessionID)
				if ck, err := c.Cookie(CSRFCookie); err != nil || ck.Value != want {
					s.setCSRFCookie(c, want, 0)
				}
			}
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				return next(c)
			}
			if _, err := c.Cookie(SessionCookie); err != nil {
				return next(c) // not using the session: nothing a forged request could ride on
			}
			if !s.sameOrigin(c) {
				return errCrossOrigin
			}
			h := c.Request().Header.Get(CSRFHeader)
			if want != "" && subtle.ConstantTimeCompare([]byte(h), []byte(want)) != 1 {
				return errCSRF
			}
			return next(c)
		}
	}
}

// sameOrigin refuses what a browser says came from elsewhere: Sec-Fetch-Site other than
// same-origin or none (same-site too: a sibling subdomain is not the console), or an
// Origin other than the console's. Clients that send neither (curl, scripts) pass.
func (s *Service) sameOrigin(c echo.Context) bool {
	r := c.Request()
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	return o == "" || strings.EqualFold(o, s.origin(c))
}

// origin is the console's own origin: CUSTOS_PUBLIC_URL's, or the request's.
func (s *Service) origin(c echo.Context) string {
	if s.publicOrigin != "" {
		return s.publicOrigin
	}
	return c.Scheme() + "://" + c.Request().Host
}

// originOf is the scheme and host of a public URL ("" when there is none).
func originOf(publicURL string) string {
	if u, err := url.Parse(publicURL); publicURL != "" && err == nil {
		return u.Scheme + "://" + u.Host
	}
	return ""
}

// csrfToken is the CSRF token of session id sid.
func (s *Service) csrfToken(sid string) string {
	m := hmac.New(sha256.New, s.opts.CSRFKey)
	m.Write([]byte("csrf:" + sid))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Authenticate resolves the session cookie into the principal (absent = anonymous).
func (s *Service) Authenticate() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if authz.FromEcho(c) != nil { // another scheme already authenticated the caller
				return next(c)
			}
			ck, err := c.Cookie(SessionCookie)
			if err != nil {
				return next(c)
			}
			p, err := s.Resolve(c.Request().Context(), ck.Value)
			if err != nil {
				return err
			}
			if p != nil {
				authz.WithPrincipal(c, p)
				httpx.SetActor(c.Request().Context(), "user", p.UserID, p.Login)
			}
			return next(c)
		}
	}
}

// startBrowserSession ends the session the browser still held, if any (signing in again
// in one browser replaces its session), and hands it the new session's cookies. maxAge 0
// makes a browser-session cookie.
func (s *Service) startBrowserSession(c echo.Context, token string, maxAge int) error {
	if old, err := c.Cookie(SessionCookie); err == nil && old.Value != "" && old.Value != token && len(old.Value) <= 100 {
		if err := s.store.deleteSession(c.Request().Context(), hashToken(old.Value)); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, token, maxAge)
	s.setCSRFCookie(c, s.csrfToken(hashToken(token)), maxAge)
	return nil
}

// setSessionCookie sets the session cookie (maxAge 0: until the browser closes; < 0: delete).
func (s *Service) setSessionCookie(c echo.Context, token string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies, MaxAge: maxAge})
}

// setCSRFCookie sets the CSRF cookie, readable by the SPA's script, which repeats it.
func (s *Service) setCSRFCookie(c echo.Context, token string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: CSRFCookie, Value: token, Path: "/", SameSite: http.SameSiteLaxMode,
		Secure: s.opts.SecureCookies, MaxAge: maxAge})
}
