package auth

import (
	"crypto/subtle"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/httpx"
)

// CSRF implements the double-submit check: every response to a request without a
// custos_csrf cookie sets one, and every state-changing request that carries the
// session cookie must echo its value in X-CSRF-Token.
func CSRF(secure bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := authz.FromEcho(c); p != nil && (p.Kind == authz.KindToken || p.Kind == authz.KindBearer) {
				return next(c) // a token is not ambient: a forged request cannot carry it
			}
			ck, err := c.Cookie(CSRFCookie)
			if err != nil || ck.Value == "" {
				c.SetCookie(&http.Cookie{Name: CSRFCookie, Value: crypto.RandomToken(32), Path: "/",
					SameSite: http.SameSiteLaxMode, Secure: secure})
			}
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				return next(c)
			}
			if _, err := c.Cookie(SessionCookie); err != nil {
				return next(c) // not using the session: nothing a forged request could ride on
			}
			h := c.Request().Header.Get(CSRFHeader)
			if ck == nil || ck.Value == "" || h == "" || subtle.ConstantTimeCompare([]byte(h), []byte(ck.Value)) != 1 {
				return apperr.New(apperr.KindDenied, "auth.csrf",
					"The X-CSRF-Token header must repeat the custos_csrf cookie.")
			}
			return next(c)
		}
	}
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

func (s *Service) setSessionCookie(c echo.Context, token string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies, MaxAge: maxAge})
}
