package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
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
