// Package db opens the database (SQLite by default, PostgreSQL when a URL is given)
// and runs transactions.
package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB holds the connection pools. On SQLite, W is a single connection (the only
// writer, so writes never meet SQLITE_BUSY and quota checks are serialised) and R is
// a pool of readers (WAL lets them run beside the writer). On PostgreSQL both are
// the same pool.
type DB struct {
	W       *gorm.DB
	R       *gorm.DB
	Dialect string

	listeners map[string][]func()
}

// Open connects. url empty = SQLite file custos.db under dataDir.
func Open(url, dataDir string) (*DB, error) {
	cfg := &gorm.Config{Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		TranslateError: true}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		g, err := gorm.Open(postgres.Open(withConnectTimeout(url)), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		if err := registerUnavailable(g); err != nil {
			return nil, err
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{W: g, R: g, Dialect: Postgres}, nil
	}
	if url != "" && !strings.HasPrefix(url, "sqlite:") {
		return nil, errors.New("DATABASE_URL must start with postgres:// or sqlite:")
	}
	path := strings.TrimPrefix(url, "sqlite:")
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		path = filepath.Join(dataDir, "custos.db")
	}
	// busy_timeout first so the following pragmas wait instead of failing.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	w, err := gorm.Open(sqlite.Open(dsn+"&_txlock=immediate"), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	wdb, _ := w.DB()
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	r, err := gorm.Open(sqlite.Open(dsn+"&_pragma=query_only(1)"), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(8)
	// A reader keeps the planner statistics it loaded first; renewing readers now and then
	// lets a later ANALYZE (stats.go) reach them.
	rdb.SetConnMaxLifetime(15 * time.Minute)
	d := &DB{W: w, R: r, Dialect: SQLite}
	if err := d.checkPragmas(); err != nil {
		return nil, err
	}
	return d, nil
}

// DefaultConnectTimeout bounds a connection attempt to each host when the URL names no
// connect_timeout: a server that does not answer (a standby being promoted, a host gone)
// makes a request fail with db.unavailable instead of hanging.
const DefaultConnectTimeout = "3"

// DefaultIdleInTxTimeout ends, on the server, a session that sits inside a transaction
// without sending anything for this long (a replica frozen or cut off mid-transaction):
// its row locks are released instead of holding every other replica's writes on those
// rows for ever. No transaction of Custos waits that long between two statements.
const DefaultIdleInTxTimeout = "60000" // ms

// withConnectTimeout adds the defaults above to a PostgreSQL URL that does not set them.
func withConnectTimeout(url string) string {
	for _, p := range [][2]string{{"connect_timeout", DefaultConnectTimeout},
		{"idle_in_transaction_session_timeout", DefaultIdleInTxTimeout}} {
		if strings.Contains(url, p[0]+"=") {
			continue
		}
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		url += sep + p[0] + "=" + p[1]
	}
	return url
}

func (d *DB) checkPragmas() error {
	var fk int
	var jm string
	if err := d.W.Raw("PRAGMA foreign_keys").Scan(&fk).Error; err != nil {
		return err
	}
	if err := d.W.Raw("PRAGMA journal_mode").Scan(&jm).Error; err != nil {
		return err
	}
	if fk != 1 || !strings.EqualFold(jm, "wal") {
		return fmt.Errorf("sqlite pragmas did not take effect: foreign_keys=%d journal_mode=%s", fk, jm)
	}
	return nil
}

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error {
	s, err := d.R.DB()
	if err != nil {
		return err
	}
	return s.PingContext(ctx)
}

// Close closes the pools.
func (d *DB) Close() error {
	for _, g := range []*gorm.DB{d.R, d.W} {
		if s, err := g.DB(); err == nil {
			_ = s.Close()
		}
		if d.R == d.W {
			break
		}
	}
	return nil
}

// LockForUpdate adds FOR UPDATE on PostgreSQL; SQLite's single writer serialises anyway.
func (d *DB) LockForUpdate(tx *gorm.DB) *gorm.DB {
	if d.Dialect == Postgres {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// IsUniqueViolation reports a duplicate key error on either database.
func IsUniqueViolation(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey) || (err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") ||
		strings.Contains(err.Error(), "duplicate key value")))
}

// IsNotFound reports gorm's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
