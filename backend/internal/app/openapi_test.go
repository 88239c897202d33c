package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/app"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/testutil"
)

// oaParam, oaOp and oaDoc are the parts of the committed OpenAPI 2 document the tests
// below hold to routes.go.
type oaParam struct {
	Name string `json:"name"`
	In   string `json:"in"`
	Type string `json:"type"`
	Enum []any  `json:"enum"`
}

type oaOp struct {
	Parameters []oaParam `json:"parameters"`
	Perm       string    `json:"x-required-permission"`
}

type oaDoc struct {
	BasePath string                     `json:"basePath"`
	Paths    map[string]map[string]oaOp `json:"paths"`
}

// listParams are the query parameters every list takes; the others are its filters.
var listParams = map[string]bool{"q": true, "sort": true, "order": true, "page": true, "page_size": true, "cursor": true}

func readOpenAPI(t *testing.T) oaDoc {
	t.Helper()
	b, err := os.ReadFile("../../../api/swagger.json")
	require.NoError(t, err)
	var d oaDoc
	require.NoError(t, json.Unmarshal(b, &d))
	require.Equal(t, "/api/v1", d.BasePath)
	return d
}

// apiRoutes are the declared /api/v1 routes keyed like the document's operations,
// "get /users/{id}".
func apiRoutes(t *testing.T) map[string]app.Route {
	t.Helper()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	out := map[string]app.Route{}
	for _, r := range a.Routes {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(r.Path, "/api/v1"), "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		out[strings.ToLower(r.Method)+" "+strings.Join(parts, "/")] = r
	}
	require.NotEmpty(t, out)
	return out
}

// requiredPermission is what x-required-permission says of a route's access decision.
func requiredPermission(r app.Route) string {
	switch r.Access {
	case authz.Permission:
		return r.Perm
	case authz.Authenticated:
		return "authenticated"
	default:
		return "public"
	}
}

// TestOpenAPIOperationsMatchRoutes: the document has exactly the /api/v1 routes of
// routes.go, each naming the permission routes.go enforces.
func TestOpenAPIOperationsMatchRoutes(t *testing.T) {
	t.Parallel()
	doc, routes := readOpenAPI(t), apiRoutes(t)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			k := method + " " + path
			r, ok := routes[k]
			if !assert.True(t, ok, "%s is documented but not a route in routes.go", k) {
				continue
			}
			assert.Equal(t, requiredPermission(r), op.Perm, "x-required-permission of %s", k)
		}
	}
	for k := range routes {
		method, path, _ := strings.Cut(k, " ")
		_, ok := doc.Paths[path][method]
		assert.True(t, ok, "%s is a route in routes.go without an operation in api/swagger.json", k)
	}
}

// TestOpenAPIListParametersMatchSpecs: every documented list names its spec in
// routes.go, and documents exactly that spec's sort names, filters (with their value
// types) and search.
func TestOpenAPIListParametersMatchSpecs(t *testing.T) {
	t.Parallel()
	doc, routes := readOpenAPI(t), apiRoutes(t)
	lists := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			k := method + " " + path
			r, ok := routes[k]
			if !ok {
				continue // TestOpenAPIOperationsMatchRoutes says so
			}
			query := map[string]oaParam{}
			for _, p := range op.Parameters {
				if p.In == "query" {
					query[p.Name] = p
				}
			}
			_, documented := query["sort"]
			if r.List == nil {
				assert.False(t, documented, "%s documents a list but routes.go names no list.Spec for it", k)
				continue
			}
			lists++
			if !assert.True(t, documented, "%s has a list.Spec in routes.go but documents no sort", k) {
				continue
			}
			checkListDoc(t, k, *r.List, query)
		}
	}
	assert.Positive(t, lists)
}

func checkListDoc(t *testing.T, k string, spec list.Spec, query map[string]oaParam) {
	t.Helper()
	assert.ElementsMatch(t, specSorts(spec), enumOf(query["sort"]), "sort enum of %s", k)
	assert.Contains(t, spec.Sorts, spec.DefaultSort, "default sort of %s", k)
	assert.ElementsMatch(t, []string{"asc", "desc"}, enumOf(query["order"]), "order enum of %s", k)
	for _, p := range []string{"page", "page_size", "cursor"} {
		_, ok := query[p]
		assert.True(t, ok, "%s documents no %s", k, p)
	}
	_, q := query["q"]
	assert.Equal(t, spec.SearchColumn != "", q, "%s: q documented exactly when the spec has a search", k)
	for name, p := range query {
		if listParams[name] {
			continue
		}
		f, ok := spec.Filters[name]
		if !assert.True(t, ok, "%s documents the filter %q its spec does not have", k, name) {
			continue
		}
		switch f.Type {
		case list.Bool:
			assert.Equal(t, "boolean", p.Type, "type of %s %s", k, name)
		case list.Int:
			assert.Equal(t, "integer", p.Type, "type of %s %s", k, name)
		case list.Enum:
			assert.ElementsMatch(t, f.Values, enumOf(p), "enum of %s %s", k, name)
		default:
			assert.Equal(t, "string", p.Type, "type of %s %s", k, name)
		}
	}
	for name := range spec.Filters {
		_, ok := query[name]
		assert.True(t, ok, "%s does not document its spec's filter %q", k, name)
	}
}

func specSorts(spec list.Spec) []string {
	var out []string
	for name := range spec.Sorts {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func enumOf(p oaParam) []string {
	out := []string{}
	for _, v := range p.Enum {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// TestListRoutesParseTheirSpec: the spec routes.go names for a list is the one its
// handler parses with (an unknown sort is refused listing exactly that spec's sorts),
// and no other GET route parses a list.
func TestListRoutesParseTheirSpec(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	c := a.Admin()
	me := c.Do(http.MethodGet, "/api/v1/auth/me", nil)
	require.Equal(t, http.StatusOK, me.Status, me.String())
	self := me.Str("user.id")
	require.NotEmpty(t, self)
	for _, r := range a.Routes {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = self // the one id every such GET route can find
			}
		}
		res := c.Do(http.MethodGet, strings.Join(parts, "/")+"?sort=~", nil)
		k := r.Method + " " + r.Path
		if r.List == nil {
			assert.NotEqual(t, "list.invalidSort", res.Str("code"), "%s parses a list but routes.go names no spec", k)
			continue
		}
		if assert.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", k, res.String()) {
			assert.Equal(t, "list.invalidSort", res.Str("code"), k)
			assert.Equal(t, "unknown sort field; allowed: "+strings.Join(specSorts(*r.List), ", "),
				res.Str("errors.0.message"), "%s parses another spec than routes.go names", k)
		}
	}
}
