package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
)

// A request whose client went away is logged as 499 at info level, not as a server error.
func TestLogMiddlewareTreatsAGoneClientAsNoServerError(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	e := echo.New()
	h := logMiddleware(log)(func(c echo.Context) error { return c.Request().Context().Err() })

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/assets/x.js", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	assert.NoError(t, h(e.NewContext(req, rec)))
	assert.Contains(t, buf.String(), "status=499")
	assert.Contains(t, buf.String(), "level=INFO")

	// An ordinary failure still goes through the error handler and is logged as such.
	buf.Reset()
	h = logMiddleware(log)(func(c echo.Context) error { return echo.NewHTTPError(http.StatusTeapot) })
	rec = httptest.NewRecorder()
	assert.NoError(t, h(e.NewContext(httptest.NewRequest(http.MethodGet, "/x", nil), rec)))
	assert.Equal(t, http.StatusTeapot, rec.Code)
	assert.Contains(t, buf.String(), "status=418")
}
