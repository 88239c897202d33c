package migrate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/platform/migrate"
	"custos/internal/testutil"
)

// schema is what a migrated database looks like, in dialect-neutral terms.
type schema struct {
	Tables  map[string]map[string]bool // table → column → NOT NULL (primary key columns left out of the flag)
	Indexes map[string]index           // secondary indexes by name
	Trigram map[string]bool            // PostgreSQL gin_trgm_ops indexes by name
}

type index struct {
	Table   string
	Unique  bool
	Columns string // comma-separated, in key order
}

// trigram are the search indexes PostgreSQL must have; SQLite searches with LIKE.
var trigram = []string{"ix_users_search", "ix_groups_search", "ix_user_types_search", "ix_attributes_search"}

func TestMigrateEmptyDatabases(t *testing.T) {
	got := map[string]schema{}
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			d := testutil.NewEmptyDB(t, dialect)
			cur, err := migrate.Current(ctx, d)
			require.NoError(t, err)
			require.Equal(t, 0, cur, "an empty database has no version")

			applied, err := migrate.Up(ctx, d)
			require.NoError(t, err)
			var all []int
			names := map[int]string{}
			for _, m := range migrate.All() {
				all = append(all, m.Version)
				names[m.Version] = m.Name
			}
			assert.Equal(t, all, applied, "every migration applied, in order")
			assertRecorded(t, d, names)
			cur, err = migrate.Current(ctx, d)
			require.NoError(t, err)
			assert.Equal(t, migrate.Latest(), cur)

			s := readSchema(t, d)
			want := seedCounts(t, d)
			again, err := migrate.Up(ctx, d)
			require.NoError(t, err)
			assert.Empty(t, again, "a second run applies nothing")
			assertRecorded(t, d, names)
			assert.Equal(t, s, readSchema(t, d), "a second run changes no schema")
			assert.Equal(t, want, seedCounts(t, d), "a second run seeds nothing twice")
			assert.Equal(t, int64(1), want["users"], "tech_admin only")

			for _, tbl := range []string{"users", "groups", "user_groups", "user_types", "attributes", "settings",
				"sessions", "login_throttle", "audit_events", "casbin_rule", "schema_migrations"} {
				assert.Contains(t, s.Tables, tbl)
			}
			assert.Equal(t, index{"users", true, "login"}, s.Indexes["ux_users_login"])
			assert.Equal(t, index{"audit_events", true, "seq"}, s.Indexes["ux_audit_seq"])
			assert.Equal(t, index{"users", false, "created_at,id"}, s.Indexes["ix_users_created"])
			assert.Equal(t, index{"casbin_rule", true, "ptype,v0,v1,v2,v3,v4,v5"}, s.Indexes["idx_casbin_rule"])
			assert.True(t, s.Tables["users"]["search_text"], "users.search_text is NOT NULL")
			assert.False(t, s.Tables["users"]["last_login_at"], "users.last_login_at is nullable")
			if dialect == db.Postgres {
				assertTrigram(t, d)
			}
			got[dialect] = s
		})
	}
	lite, pg := got[db.SQLite], got[db.Postgres]
	if lite.Tables == nil || pg.Tables == nil {
		return // a dialect failed or did not run; its subtest said why
	}
	t.Logf("comparing %d tables and %d indexes", len(lite.Tables), len(lite.Indexes))
	assert.Equal(t, lite.Tables, pg.Tables, "the same tables and columns on both databases")
	for name := range pg.Trigram { // a trigram index may have a plain twin on SQLite, or none
		if _, ok := lite.Indexes[name]; !ok {
			delete(pg.Indexes, name)
		}
	}
	assert.Equal(t, lite.Indexes, pg.Indexes, "the same indexes on both databases")
}

func assertRecorded(t *testing.T, d *db.DB, want map[int]string) {
	t.Helper()
	var rows []struct {
		Version int
		Name    string
	}
	require.NoError(t, d.W.Raw("SELECT version, name FROM schema_migrations ORDER BY version").Scan(&rows).Error)
	got := map[int]string{}
	for _, r := range rows {
		got[r.Version] = r.Name
	}
	assert.Equal(t, want, got, "every migration recorded once")
	assert.Len(t, rows, len(want))
}

func seedCounts(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tbl := range []string{"groups", "users", "attributes", "settings"} {
		var n int64
		require.NoError(t, d.W.Table(tbl).Count(&n).Error)
		out[tbl] = n
	}
	return out
}

func assertTrigram(t *testing.T, d *db.DB) {
	t.Helper()
	var ext int64
	require.NoError(t, d.W.Raw("SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&ext).Error)
	assert.Equal(t, int64(1), ext, "pg_trgm is installed")
	for _, name := range trigram {
		var def string
		require.NoError(t, d.W.Raw("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?",
			name).Scan(&def).Error)
		assert.Contains(t, def, "USING gin (search_text gin_trgm_ops)", name)
	}
}

func readSchema(t *testing.T, d *db.DB) schema {
	t.Helper()
	s := schema{Tables: map[string]map[string]bool{}, Indexes: map[string]index{}, Trigram: map[string]bool{}}
	var tables []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d.Dialect == db.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	require.NoError(t, d.W.Raw(q).Scan(&tables).Error)
	for _, tbl := range tables {
		s.Tables[tbl] = columns(t, d, tbl)
	}
	if d.Dialect == db.Postgres {
		var rows []struct {
			Name, Tbl, Cols, Def string
			Uniq                 bool
		}
		require.NoError(t, d.W.Raw(`SELECT i.relname AS name, c.relname AS tbl, x.indisunique AS uniq,
			pg_get_indexdef(x.indexrelid) AS def,
			array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
				JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n ORDER BY k.o), ',') AS cols
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
			JOIN pg_namespace ns ON ns.oid = c.relnamespace
			WHERE ns.nspname = current_schema() AND NOT x.indisprimary`).Scan(&rows).Error)
		for _, r := range rows {
			s.Indexes[r.Name] = index{r.Tbl, r.Uniq, r.Cols}
			if strings.Contains(r.Def, "gin_trgm_ops") {
				s.Trigram[r.Name] = true
			}
		}
		return s
	}
	var idx []struct{ Name, TblName string }
	require.NoError(t, d.W.Raw(`SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'
		AND name NOT LIKE 'sqlite_autoindex_%'`).Scan(&idx).Error)
	for _, ix := range idx {
		var cols []string
		require.NoError(t, d.W.Raw("SELECT name FROM pragma_index_info(?) ORDER BY seqno", ix.Name).Scan(&cols).Error)
		var uniq int
		require.NoError(t, d.W.Raw(`SELECT "unique" FROM pragma_index_list(?) WHERE name = ?`, ix.TblName, ix.Name).
			Scan(&uniq).Error)
		s.Indexes[ix.Name] = index{ix.TblName, uniq == 1, strings.Join(cols, ",")}
	}
	return s
}

// columns maps each column of tbl to its NOT NULL flag; primary key columns count as
// nullable-agnostic (PostgreSQL forces NOT NULL on them, SQLite does not report it).
func columns(t *testing.T, d *db.DB, tbl string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if d.Dialect == db.Postgres {
		var rows []struct{ ColumnName, IsNullable string }
		require.NoError(t, d.W.Raw(`SELECT column_name, is_nullable FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ?`, tbl).Scan(&rows).Error)
		var pk []string
		require.NoError(t, d.W.Raw(`SELECT a.attname FROM pg_index x JOIN pg_attribute a
			ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
			WHERE x.indrelid = ?::regclass AND x.indisprimary`, tbl).Scan(&pk).Error)
		for _, r := range rows {
			out[r.ColumnName] = r.IsNullable == "NO"
		}
		for _, c := range pk {
			out[c] = true
		}
		return out
	}
	var rows []struct {
		Name    string
		Notnull int
		Pk      int
	}
	require.NoError(t, d.W.Raw(`SELECT name, "notnull", pk FROM pragma_table_info(?)`, tbl).Scan(&rows).Error)
	for _, r := range rows {
		out[r.Name] = r.Notnull == 1 || r.Pk > 0
	}
	return out
}
