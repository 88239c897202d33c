package stats_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/stats"
	"custos/internal/testutil"
)

func exists(context.Context, string) error { return nil }

func newService(d *db.DB, days int) *stats.Service {
	return stats.NewService(d, slog.New(slog.NewTextHandler(io.Discard, nil)),
		stats.Options{RetentionDays: days, System: exists, Token: exists})
}

func query(t *testing.T, s *stats.Service, system bool, id, q string) stats.Report {
	t.Helper()
	v, err := url.ParseQuery(q)
	require.NoError(t, err)
	var r stats.Report
	if system {
		r, err = s.ForSystem(context.Background(), id, v)
	} else {
		r, err = s.ForToken(context.Background(), id, v)
	}
	require.NoError(t, err)
	return r
}

// Concurrent counting is exact, flushes add to what is stored (as a second replica's
// would), and a query sums per day and status.
func TestCounterFlushesAdd(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newService(d, 400)
		day := time.Date(2026, 3, 10, 23, 59, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return day })
		c := s.Counter()
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 20; j++ {
					c.Add("tok-1", stats.CredentialToken, "", 200+(j%2)*204, 1) // 200 and 404
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int64(1000), c.Pending())
		require.NoError(t, c.Flush(context.Background()))
		assert.Equal(t, int64(0), c.Pending())
		other := newService(d, 400) // another replica
		other.SetClock(func() time.Time { return day })
		other.Counter().Add("tok-1", stats.CredentialToken, "", 200, 7)
		other.Counter().Add("cert-1", stats.CredentialCertificate, "sys-1", 503, 2)
		require.NoError(t, other.Counter().Flush(context.Background()))

		r := query(t, s, false, "tok-1", "to=2026-03-10")
		assert.Equal(t, "2026-02-09", r.From, "from defaults to 29 days before to")
		assert.Equal(t, []stats.Row{{Day: "2026-03-10", Status: 200, Count: 507}, {Day: "2026-03-10", Status: 404, Count: 500}}, r.Rows)
		assert.Equal(t, int64(1007), r.Total)
		sys := query(t, s, true, "sys-1", "to=2026-03-11&group_by=credential")
		assert.Equal(t, []stats.Row{{CredentialID: "cert-1", CredentialType: "certificate", Count: 2}}, sys.Rows)
		assert.Equal(t, int64(0), query(t, s, true, "sys-1", "to=2026-03-09").Total, "another day")
	})
}

// Figures older than the retention are pruned; the retention day itself stays.
func TestPruneKeepsTheRetention(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		s := newService(d, 10)
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		for _, back := range []int{0, 9, 10, 30} {
			s.SetClock(func() time.Time { return now.AddDate(0, 0, -back) })
			s.Counter().Add("tok-p", stats.CredentialToken, "", 200, 1)
		}
		require.NoError(t, s.Counter().Flush(context.Background()))
		s.SetClock(func() time.Time { return now })
		require.NoError(t, s.Prune(context.Background()))
		r := query(t, s, false, "tok-p", "from=2026-04-01&to=2026-04-10&group_by=day")
		assert.Empty(t, r.Rows, "the days before the retention are gone")
		r = query(t, s, false, "tok-p", "from=2026-04-22&to=2026-05-01&group_by=day")
		assert.Equal(t, []stats.Row{{Day: "2026-04-22", Count: 1}, {Day: "2026-05-01", Count: 1}}, r.Rows)
	})
}

// The middleware counts token and system callers with the status the client gets (an
// error's status, written by the error handler), and nobody else.
func TestMiddlewareCountsTheFinalStatus(t *testing.T) {
	t.Parallel()
	d := testutil.NewDB(t, db.SQLite)
	s := newService(d, 400)
	e := echo.New()
	e.HTTPErrorHandler = httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	as := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			switch c.Request().Header.Get("X-As") {
			case "token":
				authz.WithPrincipal(c, &authz.Principal{Kind: authz.KindToken, TokenID: "tok-m"})
			case "system":
				authz.WithPrincipal(c, &authz.Principal{Kind: authz.KindSystem, SystemID: "sys-m", CertificateID: "cert-m"})
			case "session":
				authz.WithPrincipal(c, &authz.Principal{Kind: "session", UserID: "u"})
			}
			return next(c)
		}
	}
	// A refused credential that proved itself is noted by its authentication middleware.
	refuse := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("X-As") == "revoked" {
				stats.Refused(c.Request().Context(), "tok-m", stats.CredentialToken, "")
				return apperr.Unauthenticated()
			}
			return next(c)
		}
	}
	e.Use(s.Counter().Middleware(), as, refuse)
	e.GET("/api/ok", func(c echo.Context) error { return c.NoContent(204) })
	e.GET("/api/denied", func(c echo.Context) error { return apperr.Denied("x") })
	e.GET("/api/boom", func(c echo.Context) error { return io.ErrUnexpectedEOF })
	e.GET("/page", func(c echo.Context) error { return c.NoContent(200) })
	for _, tc := range []struct {
		as, path string
		want     int
	}{{"token", "/api/ok", 204}, {"token", "/api/denied", 403}, {"token", "/api/nowhere", 404}, {"system", "/api/boom", 500},
		{"session", "/api/ok", 204}, {"", "/api/denied", 403}, {"token", "/page", 200}, {"revoked", "/api/ok", 401}} {
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Header.Set("X-As", tc.as)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		assert.Equal(t, tc.want, rec.Code, tc.path)
	}
	assert.Equal(t, int64(5), s.Counter().Pending(), "sessions, anonymous callers and pages are not counted")
	require.NoError(t, s.Counter().Flush(context.Background()))
	r := query(t, s, false, "tok-m", "group_by=status")
	assert.Equal(t, []stats.Row{{Status: 204, Count: 1}, {Status: 401, Count: 1}, {Status: 403, Count: 1}, {Status: 404, Count: 1}}, r.Rows)
	sys := query(t, s, true, "sys-m", "")
	require.Len(t, sys.Rows, 1)
	assert.Equal(t, 500, sys.Rows[0].Status)
}
