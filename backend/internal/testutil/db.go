// Package testutil gives tests fresh databases (SQLite always, PostgreSQL when
// TEST_DATABASE_URL is set), a full app over them and an HTTP client that signs in.
package testutil

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"custos/internal/platform/db"
	"custos/internal/platform/migrate"
)

// Dialects returns the databases tests run on. PostgreSQL runs when TEST_DATABASE_URL
// is set; when it is not, the skip is announced loudly, and CUSTOS_REQUIRE_POSTGRES=1
// (set by make test) turns it into a failure so PostgreSQL never silently drops out.
func Dialects(t testing.TB) []string {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{db.SQLite, db.Postgres}
	}
	if os.Getenv("CUSTOS_REQUIRE_POSTGRES") == "1" {
		t.Fatal("TEST_DATABASE_URL is not set but CUSTOS_REQUIRE_POSTGRES=1: PostgreSQL tests must run")
	}
	t.Log("!!! TEST_DATABASE_URL not set: PostgreSQL variants of these tests are NOT running")
	return []string{db.SQLite}
}

// ForEachDB runs fn as a parallel subtest per dialect, each with a fresh migrated
// database. The subtests run after the calling test function returns, so fn must not
// share what it changes with its sibling, and nothing may follow ForEachDB in the caller.
func ForEachDB(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	for _, dialect := range Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			fn(t, NewDB(t, dialect))
		})
	}
}

// NewDB returns a fresh, migrated database of the dialect, removed at cleanup.
func NewDB(t testing.TB, dialect string) *db.DB {
	t.Helper()
	if dialect == db.SQLite {
		dir := t.TempDir()
		d, err := db.Open("", dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		if _, err := migrate.Up(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	u := PostgresURL(t, true)
	d, err := db.Open(u, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// NewEmptyDB returns a fresh database with no migrations applied.
func NewEmptyDB(t testing.TB, dialect string) *db.DB {
	t.Helper()
	if dialect == db.SQLite {
		d, err := db.Open("", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = d.Close() })
		return d
	}
	d, err := db.Open(PostgresURL(t, false), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
	adminDB  *gorm.DB
	adminMu  sync.Mutex
)

func withDB(raw, name string) string {
	u, _ := url.Parse(raw)
	u.Path = "/" + name
	return u.String()
}

// admin is the connection that creates and drops the test databases; parallel tests
// share it.
func admin() (*gorm.DB, error) {
	adminMu.Lock()
	defer adminMu.Unlock()
	if adminDB != nil {
		return adminDB, nil
	}
	g, err := gorm.Open(postgres.Open(os.Getenv("TEST_DATABASE_URL")), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return nil, err
	}
	adminDB = g
	return g, nil
}

// PostgresURL creates a fresh database and returns its URL; migrated=true clones a
// template migrated once per test process (CREATE DATABASE ... TEMPLATE is fast).
func PostgresURL(t testing.TB, migrated bool) string {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	a, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	tmpl := "template0"
	if migrated {
		tmplOnce.Do(func() { tmplName, tmplErr = makeTemplate(raw, a) })
		if tmplErr != nil {
			t.Fatal(tmplErr)
		}
		tmpl = tmplName
	}
	name := "custos_t_" + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
	if err := a.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tmpl)).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)).Error })
	return withDB(raw, name)
}

func makeTemplate(raw string, a *gorm.DB) (string, error) {
	name := fmt.Sprintf("custos_tmpl_%d_%s", os.Getpid(), strings.ReplaceAll(uuid.NewString()[:8], "-", ""))
	if err := a.Exec(`CREATE DATABASE ` + name).Error; err != nil {
		return "", err
	}
	d, err := db.Open(withDB(raw, name), "")
	if err != nil {
		return "", err
	}
	_, err = migrate.Up(context.Background(), d)
	_ = d.Close()
	return name, err
}

// Main wraps testing.M so the PostgreSQL template is dropped after the package's tests.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if tmplName != "" && adminDB != nil {
		_ = adminDB.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, tmplName)).Error
	}
	return code
}

// TempDataDir is a data dir for an app under test.
func TempDataDir(t testing.TB) string { return filepath.Join(t.TempDir(), "data") }

// NewDBAt opens and migrates the database at url (sqlite:<file> or postgres://…), for
// tests where several processes share one database.
func NewDBAt(t testing.TB, url string) *db.DB {
	t.Helper()
	d, err := db.Open(url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := migrate.Up(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}
