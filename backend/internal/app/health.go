package app

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/migrate"
)

// Health is the body of /healthz and /readyz.
type Health struct {
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func (a *App) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}

// readyz answers 200 only when the database answers and every migration is applied.
func (a *App) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, Health{Status: "unavailable", Detail: "database unreachable"})
	}
	v, err := migrate.Current(ctx, a.DB)
	if err != nil || v != migrate.Latest() {
		return c.JSON(http.StatusServiceUnavailable, Health{Status: "unavailable", Detail: "migrations pending"})
	}
	return c.JSON(http.StatusOK, Health{Status: "ok"})
}
