package app

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"custos/internal/platform/httpx"
)

// Bytes no HTTP client lets through (the server would refuse most of them before any
// handler) are still refused by the middleware itself: NUL, CR, LF, tab, DEL.
func TestRequestIDMiddlewareRefusesControlBytes(t *testing.T) {
	t.Parallel()
	e := echo.New()
	h := httpx.RequestIDMiddleware()(func(c echo.Context) error { return c.String(http.StatusOK, httpx.RequestID(c)) })
	fresh := regexp.MustCompile(`^[0-9a-f]{24}$`)
	for _, id := range []string{"a\x00b", "a\nb", "a\r\nX-Evil: 1", "a\tb", "a\x7fb", "\xff\xfe", ""} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/x", nil)
		req.Header[echo.HeaderXRequestID] = []string{id}
		rec := httptest.NewRecorder()
		assert.NoError(t, h(e.NewContext(req, rec)))
		assert.Regexp(t, fresh, rec.Header().Get(echo.HeaderXRequestID), "%q must be replaced", id)
		assert.Equal(t, rec.Header().Get(echo.HeaderXRequestID), rec.Body.String(), "%q", id)
	}
}
