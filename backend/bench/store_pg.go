package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultPostgresURL is the server the PostgreSQL run creates its database on.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// CreatePGDatabase creates custos_bench_<random> on the server of adminURL and returns
// its name and URL.
func CreatePGDatabase(ctx context.Context, adminURL string) (name, dbURL string, err error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", "", fmt.Errorf("BENCH_DATABASE_URL: %w", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name = "custos_bench_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", "", fmt.Errorf("connect %s: %w", u.Redacted(), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", "", fmt.Errorf("create database: %w", err)
	}
	u.Path = "/" + name
	return name, u.String(), nil
}

// DropPGDatabase drops the database created by CreatePGDatabase.
func DropPGDatabase(adminURL, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// SeedPostgres migrates the (empty) database at dbURL and loads n users with COPY.
// The secondary indexes of users and user_groups are dropped for the load and
// recreated from their exact definitions afterwards (faster than maintaining the
// trigram index row by row); then VACUUM ANALYZE leaves the statistics and the
// visibility map as autovacuum would on a settled table.
func SeedPostgres(ctx context.Context, dbURL string, n int, seed uint64, logf func(string, ...any)) (SeedResult, error) {
	start := time.Now()
	d, err := open(ctx, dbURL, "")
	if err != nil {
		return SeedResult{}, err
	}
	typeIDs, groupIDs, err := refs(d, NewGen(seed, n, nil, 0))
	_ = d.Close()
	if err != nil {
		return SeedResult{}, err
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return SeedResult{}, err
	}
	defer conn.Close(ctx)
	names, defs, err := dropIndexes(ctx, conn, "users", "user_groups")
	if err != nil {
		return SeedResult{}, err
	}
	g := NewGen(seed+1, n, typeIDs, len(groupIDs))
	var members [][]any
	i := 0
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"users"}, UserColumns, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		u := g.User(i)
		i++
		for _, k := range u.GroupIdx {
			members = append(members, []any{u.ID, groupIDs[k]})
		}
		return u.Values(), nil
	}))
	if err != nil {
		return SeedResult{}, fmt.Errorf("copy users: %w", err)
	}
	logf("  copied %d users in %s", copied, time.Since(start).Round(time.Millisecond))
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"user_groups"}, []string{"user_id", "group_id"},
		pgx.CopyFromRows(members)); err != nil {
		return SeedResult{}, fmt.Errorf("copy user_groups: %w", err)
	}
	logf("  copied %d memberships in %s", len(members), time.Since(start).Round(time.Millisecond))
	if err := recreateIndexes(ctx, conn, names, defs, logf); err != nil {
		return SeedResult{}, err
	}
	for _, t := range []string{"users", "user_groups", "groups", "user_types"} {
		if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return SeedResult{}, fmt.Errorf("vacuum analyze %s: %w", t, err)
		}
	}
	return SeedResult{Users: int(copied) + 1, Memberships: len(members), Took: time.Since(start)}, nil
}

// dropIndexes drops the secondary indexes of tables (those that back no constraint)
// before a bulk load and returns their names and exact definitions.
func dropIndexes(ctx context.Context, conn *pgx.Conn, tables ...string) (names, defs []string, err error) {
	rows, err := conn.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, tables)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var nm, def string
		if err := rows.Scan(&nm, &def); err != nil {
			return nil, nil, err
		}
		names, defs = append(names, nm), append(defs, def)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, nm := range names {
		if _, err := conn.Exec(ctx, "DROP INDEX "+pgx.Identifier{nm}.Sanitize()); err != nil {
			return nil, nil, err
		}
	}
	return names, defs, nil
}

// recreateIndexes builds the indexes dropIndexes dropped, from their definitions (a
// unique one also checks the loaded data).
func recreateIndexes(ctx context.Context, conn *pgx.Conn, names, defs []string, logf func(string, ...any)) error {
	if _, err := conn.Exec(ctx, "SET maintenance_work_mem = '512MB'"); err != nil {
		return err
	}
	for k, def := range defs {
		t := time.Now()
		if _, err := conn.Exec(ctx, def); err != nil {
			return fmt.Errorf("recreate %s: %w", names[k], err)
		}
		logf("  index %-26s %s", names[k], time.Since(t).Round(time.Millisecond))
	}
	return nil
}

// CountPGUsers returns the number of users in the database at dbURL (a database a
// former run seeded, reused with custos-bench -pg-reuse).
func CountPGUsers(ctx context.Context, dbURL string) (int, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// PGSettings returns a few server settings worth printing beside the figures.
func PGSettings(ctx context.Context, dbURL string) string {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return ""
	}
	defer conn.Close(ctx)
	var out []string
	for _, s := range []string{"server_version", "shared_buffers", "work_mem", "effective_cache_size"} {
		var v string
		if conn.QueryRow(ctx, "SHOW "+s).Scan(&v) == nil {
			out = append(out, s+"="+v)
		}
	}
	return strings.Join(out, " ")
}
