package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/migrate"
)

// SeedResult describes a seeded database.
type SeedResult struct {
	Users       int // rows in users, tech_admin included
	Memberships int
	Took        time.Duration
}

// refs creates the user types and custom groups the users point at, and returns
// their ids in UserTypes / GroupCodes order.
func refs(d *db.DB, g *Gen) (typeIDs, groupIDs []string, err error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = d.W.Transaction(func(tx *gorm.DB) error {
		for _, t := range UserTypes {
			id := g.NewID(now)
			if err := tx.Exec(`INSERT INTO user_types (id, code, name, quota, search_text, version, created_at, updated_at)
				VALUES (?, ?, ?, 0, ?, 1, ?, ?)`, id, t.Code, t.Name, list.SearchText(t.Code, t.Name), now, now).Error; err != nil {
				return err
			}
			typeIDs = append(typeIDs, id)
		}
		for _, c := range GroupCodes {
			id, nm := g.NewID(now), strings.ToUpper(c[:1])+strings.ReplaceAll(c[1:], "_", " ")
			if err := tx.Exec(`INSERT INTO groups (id, code, name, system, search_text, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, id, c, nm, false, list.SearchText(c, nm), now, now).Error; err != nil {
				return err
			}
			groupIDs = append(groupIDs, id)
		}
		return nil
	})
	return typeIDs, groupIDs, err
}

// open connects to the database and applies the app's migrations.
func open(ctx context.Context, url, dataDir string) (*db.DB, error) {
	d, err := db.Open(url, dataDir)
	if err != nil {
		return nil, err
	}
	if _, err := migrate.Up(ctx, d); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return d, nil
}

// SeedSQLite migrates a fresh SQLite database in dataDir (the file the server will
// open) and inserts n users with multi-row INSERTs in one transaction.
func SeedSQLite(ctx context.Context, dataDir string, n int, seed uint64) (SeedResult, error) {
	start := time.Now()
	d, err := open(ctx, "", dataDir)
	if err != nil {
		return SeedResult{}, err
	}
	defer d.Close()
	probe := NewGen(seed, n, nil, 0)
	typeIDs, groupIDs, err := refs(d, probe)
	if err != nil {
		return SeedResult{}, err
	}
	g := NewGen(seed+1, n, typeIDs, len(groupIDs))
	sqlDB, err := d.W.DB()
	if err != nil {
		return SeedResult{}, err
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return SeedResult{}, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit this is a no-op
	const batch = 500   // 15 columns × 500 rows stays under SQLite's 32,766 parameters
	var users, members []any
	nUsers, nMembers := 0, 0
	flush := func() error {
		if err := insertMany(ctx, tx, "users", UserColumns, users); err != nil {
			return err
		}
		if err := insertMany(ctx, tx, "user_groups", []string{"user_id", "group_id"}, members); err != nil {
			return err
		}
		nUsers += len(users) / len(UserColumns)
		nMembers += len(members) / 2
		users, members = users[:0], members[:0]
		return nil
	}
	for i := 0; i < n; i++ {
		u := g.User(i)
		users = append(users, u.Values()...)
		for _, k := range u.GroupIdx {
			members = append(members, u.ID, groupIDs[k])
		}
		if (i+1)%batch == 0 {
			if err := flush(); err != nil {
				return SeedResult{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return SeedResult{}, err
	}
	if err := tx.Commit(); err != nil {
		return SeedResult{}, err
	}
	// Checkpoint so the server starts on a compact main file, as after any quiet period.
	if err := d.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return SeedResult{}, err
	}
	return SeedResult{Users: nUsers + 1, Memberships: nMembers, Took: time.Since(start)}, nil
}

// insertMany writes flat values (len(cols) per row) with one multi-row INSERT.
func insertMany(ctx context.Context, tx *sql.Tx, table string, cols []string, vals []any) error {
	if len(vals) == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	rows := len(vals) / len(cols)
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	if _, err := tx.ExecContext(ctx, b.String(), vals...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

// WaitSQLiteStats waits until the SQLite database in dataDir has planner statistics
// for the users table (sqlite_stat1), which the running server writes by itself about
// 2 s after it starts (db.MaintainStats). It reads through its own read-only
// connection and returns how long it waited.
func WaitSQLiteStats(ctx context.Context, dataDir string, timeout time.Duration) (time.Duration, error) {
	t := time.Now()
	path := filepath.Join(dataDir, "custos.db")
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	for {
		var n int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`).Scan(&n)
		if err == nil && n == 1 {
			err = conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'users'`).Scan(&n)
			if err == nil && n > 0 {
				return time.Since(t), nil
			}
		}
		if err != nil && ctx.Err() == nil && !strings.Contains(err.Error(), "locked") && !strings.Contains(err.Error(), "busy") {
			return time.Since(t), fmt.Errorf("read sqlite_stat1: %w", err)
		}
		if time.Since(t) > timeout {
			return time.Since(t), fmt.Errorf("the server wrote no planner statistics (sqlite_stat1) within %s", timeout)
		}
		select {
		case <-ctx.Done():
			return time.Since(t), ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
