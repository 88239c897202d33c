package app_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dbLibraries are the imports that reach the database directly.
var dbLibraries = []string{"gorm.io/", "github.com/casbin/gorm-adapter", "github.com/glebarez/sqlite", "github.com/jackc/pgx"}

// mayTouchTheDatabase says which files may import a database library: a store
// (store.go, store_*.go) of any package, the migrations, platform/db itself, and tests
// with their helpers. Everything else reaches the database through a store, with the
// transaction in the context (platform/db.Tx).
func mayTouchTheDatabase(rel string) bool {
	base := filepath.Base(rel)
	switch {
	case strings.HasSuffix(base, "_test.go"):
		return true
	case base == "store.go" || strings.HasPrefix(base, "store_"):
		return true
	case strings.HasPrefix(rel, "internal/platform/migrate/"), strings.HasPrefix(rel, "internal/platform/db/"),
		strings.HasPrefix(rel, "internal/testutil/"):
		return true
	}
	return false
}

func TestOnlyStoresTouchTheDatabase(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..") // backend/
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "apidoc" || d.Name() == "webui") {
			return filepath.SkipDir // generated documentation, the embedded SPA
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, lib := range dbLibraries {
				if strings.HasPrefix(p, lib) && !mayTouchTheDatabase(rel) {
					assert.Failf(t, "a database library outside a store",
						"%s imports %s: move the query into the package's store (store.go or store_*.go)", rel, p)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 100, "the walk found the source files")
}
