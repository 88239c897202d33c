package db

import (
	"context"
	"time"

	"custos/internal/platform/worker"
)

// statsGrowth is how much the row count may change before SQLite's planner statistics
// are refreshed. Without statistics SQLite guesses, and at 100,000 users it picks the
// index on `active` and sorts 80,000 rows instead of walking the login index (0.5–1 s
// against 35 ms with statistics, measured by make bench).
const statsGrowth = 0.2

// StatsJob keeps SQLite's planner statistics (sqlite_stat1) in step with the data: a
// first pass 2 s after start (not on the start-up path: cold start stays fast), then
// every period, running ANALYZE only when the rows moved enough (analyseIfStale).
// PostgreSQL's autovacuum does this itself: no job there.
func (d *DB) StatsJob(every time.Duration) []worker.Job {
	if d.Dialect != SQLite {
		return nil
	}
	var analysed int64 = -1
	return []worker.Job{{Name: "sqlite planner statistics", First: 2 * time.Second, Every: every,
		Run: func(ctx context.Context) error {
			n, err := d.analyseIfStale(ctx, analysed)
			if err == nil {
				analysed = n
			}
			return err
		}}}
}

// analyseIfStale runs ANALYZE when the statistics are missing or the row count moved by
// more than statsGrowth since last (-1 = unknown); it returns the row count it saw.
func (d *DB) analyseIfStale(ctx context.Context, last int64) (int64, error) {
	var tables []string
	if err := d.R.WithContext(ctx).Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).
		Scan(&tables).Error; err != nil {
		return last, err
	}
	var rows int64
	for _, t := range tables {
		var n int64
		if err := d.R.WithContext(ctx).Table(t).Count(&n).Error; err != nil {
			return last, err
		}
		rows += n
	}
	var haveStats int64
	if err := d.R.WithContext(ctx).Raw(`SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).
		Scan(&haveStats).Error; err != nil {
		return last, err
	}
	stale := haveStats == 0 || last < 0 && rows > 0 ||
		last >= 0 && float64(abs(rows-last)) > statsGrowth*float64(max(last, 1000))
	if !stale {
		return last, nil
	}
	if err := d.W.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		return last, err
	}
	return rows, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
