package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"custos/internal/app"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestHostilePathParametersAreRefusedCleanly puts hostile values into the path
// parameters of every route, as the administrator: a NUL byte and invalid UTF-8
// (PostgreSQL refuses both in text), an injection, an oversized id. Each is a 4xx (or
// a redirect to the login page for the browser round trips), never a 500.
func TestHostilePathParametersAreRefusedCleanly(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		var routes []app.Route
		for _, r := range a.Routes {
			if strings.Contains(r.Path, "/:") && strings.HasPrefix(r.Path, "/api/") {
				routes = append(routes, r)
			}
		}
		assert.NotEmpty(t, routes)
		for _, r := range routes {
			for _, v := range []string{"%00", "%ff%fe", url.PathEscape("' OR '1'='1"), strings.Repeat("a", 3000)} {
				parts := strings.Split(r.Path, "/")
				for i, p := range parts {
					if strings.HasPrefix(p, ":") {
						parts[i] = v
					}
				}
				path := strings.Join(parts, "/")
				res := admin.Do(r.Method, path, bodyFor(r.Method))
				assert.Less(t, res.Status, http.StatusInternalServerError, "%s %s: %s", r.Method, path[:min(len(path), 80)], res.String())
			}
		}
	})
}
