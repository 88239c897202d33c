package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// recoverMiddleware turns a panic into a logged 500 problem: never a stack trace to the client.
func recoverMiddleware(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("panic", "request_id", httpx.RequestID(c), "path", c.Request().URL.Path, "panic", fmt.Sprint(r))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// logMiddleware writes one structured line per request. Query strings are left out:
// they may carry credentials.
// requestDeadline bounds every request by timeout (CUSTOS_REQUEST_TIMEOUT; 0 = none, as
// in tests): what the request does with its context, database statements above all, is
// cut short after it, and a statement cut short answers 503 db.unavailable — a
// PostgreSQL that stops answering never holds a request for ever.
func requestDeadline(timeout time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if timeout <= 0 {
			return next
		}
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), timeout)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

func logMiddleware(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			st := c.Response().Status
			if err != nil && errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
				// The client went away (a cancelled fetch, a closed tab): there is nobody to
				// answer, and it is no server error. 499 is nginx's "client closed request".
				st = 499
			} else if err != nil {
				c.Error(err)
				st = c.Response().Status
			}
			lvl := slog.LevelInfo
			if st >= 500 {
				lvl = slog.LevelError
			}
			log.Log(c.Request().Context(), lvl, "request", "request_id", httpx.RequestID(c), "method", c.Request().Method,
				"path", c.Request().URL.Path, "status", st, "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"ip", c.RealIP())
			return nil
		}
	}
}

// contentSecurityPolicy allows only the console's own scripts: no inline script, no eval.
// Inline styles stay allowed because antd writes its CSS-in-JS into <style> elements;
// data: images cover the inline favicon and Swagger UI's icons. connect-src also lets the
// self-service page reach the device agent (custos-agent), which listens only on the
// workstation's loopback on a configurable port.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self' http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'; " +
	"base-uri 'self'; form-action 'self'; object-src 'none'"

// securityHeaders sets the browser hardening headers on every answer, errors included.
// Referrer-Policy is same-origin: like no-referrer it tells other sites nothing, but under
// no-referrer Chromium sends "Origin: null" on a native form POST to the console itself,
// which the CSRF origin check refuses (fetch keeps its Origin). API answers are never
// cached (they carry personal data and, once, secrets); HSTS is sent only when the cookies
// are Secure, i.e. Custos is known to be reached over HTTPS.
func securityHeaders(secureCookies bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			if secureCookies {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			if p := c.Request().URL.Path; p == "/api" || strings.HasPrefix(p, "/api/") {
				h.Set("Cache-Control", "no-store")
			}
			return next(c)
		}
	}
}
