package db

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func statRows(t *testing.T, d *DB) int64 {
	t.Helper()
	var n int64
	require.NoError(t, d.R.Raw(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'things'`).Scan(&n).Error)
	return n
}

// The planner gets statistics on a database that has none, and again only after the data
// grew by more than a fifth.
func TestSQLiteStatisticsFollowTheData(t *testing.T) {
	d, err := Open("", t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	ctx := context.Background()
	require.NoError(t, d.W.Exec(`CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`).Error)
	require.NoError(t, d.W.Exec(`CREATE INDEX ix_things_name ON things(name)`).Error)
	insert := func(from, to int) {
		require.NoError(t, d.W.Exec(`WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i+1 FROM s WHERE i < ?)
			INSERT INTO things(id, name) SELECT i, 'n' || i FROM s`, from, to).Error)
	}
	insert(1, 5000)

	seen, err := d.analyseIfStale(ctx, -1)
	require.NoError(t, err)
	assert.Equal(t, int64(5000), seen)
	require.Greater(t, statRows(t, d), int64(0), "ANALYZE wrote no statistics")

	// Wipe the statistics to see whether the next calls run ANALYZE again.
	require.NoError(t, d.W.Exec(`DELETE FROM sqlite_stat1`).Error)
	insert(5001, 5500) // +10%: not stale
	seen, err = d.analyseIfStale(ctx, seen)
	require.NoError(t, err)
	assert.Equal(t, int64(5000), seen)
	assert.Equal(t, int64(0), statRows(t, d), "analysed although the data changed by only 10%")

	insert(5501, 7000) // +40% since the last ANALYZE
	seen, err = d.analyseIfStale(ctx, seen)
	require.NoError(t, err)
	assert.Equal(t, int64(7000), seen)
	assert.Greater(t, statRows(t, d), int64(0))
}
