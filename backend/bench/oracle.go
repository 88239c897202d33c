package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// oracle answers list questions with plain SQL on its own connection (read-only on
// SQLite), independently of the server's list engine: the ids of the first page of
// the rows matching where in the order given, and the total capped like the API's
// (exact up to 10,000, "10,000+" beyond). The page is read through a fenced
// sub-query (OFFSET 0), so even a search whose matches bunch far along the sort
// order costs one scan of the matches here, not a walk of the sort index.
type oracle struct {
	db *sql.DB
}

func openOracle(r Run) (*oracle, error) {
	if r.URL != "" {
		d, err := sql.Open("pgx", r.URL)
		return &oracle{d}, err
	}
	d, err := sql.Open("sqlite", "file:"+filepath.Join(r.DataDir, "custos.db")+
		"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	return &oracle{d}, err
}

func (o *oracle) Close() error { return o.db.Close() }

// firstPage returns the ids of the first size rows of table matching where (SQL
// shared by both databases) in order, and the capped total.
func (o *oracle) firstPage(ctx context.Context, table, where, order, cols string, size int) ([]string, int64, bool, error) {
	if where == "" {
		where = "1 = 1"
	}
	rows, err := o.db.QueryContext(ctx, fmt.Sprintf("SELECT id FROM (SELECT %s FROM %s WHERE %s LIMIT 1000000000 OFFSET 0) s ORDER BY %s LIMIT %d",
		cols, table, where, order, size))
	if err != nil {
		return nil, 0, false, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, 0, false, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	var n int64
	if err := o.db.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT 10001) c",
		table, where)).Scan(&n); err != nil {
		return nil, 0, false, err
	}
	if n > 10_000 {
		return ids, 10_000, true, nil
	}
	return ids, n, false, nil
}

// verify checks that the server's first page of path (page_size=20) equals the
// oracle's: the same ids in the same order and the same total. A total the server
// estimated (a common search term, list.EstimateAbove) must be one plain SQL counts
// past the cap, and within a factor of two of the true number.
func (o *oracle) verify(ctx context.Context, srv *Server, path, table, where, order, cols string) error {
	p, err := srv.GetPage(ctx, path)
	if err != nil {
		return err
	}
	ids, total, capped, err := o.firstPage(ctx, table, where, order, cols, 20)
	if err != nil {
		return fmt.Errorf("oracle for %s: %w", path, err)
	}
	if p.TotalEstimated {
		if !capped {
			return fmt.Errorf("GET %s: total estimated at %d, but plain SQL counts only %d", path, p.Total, total)
		}
		var n int64
		if err := o.db.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s", table, where)).Scan(&n); err != nil {
			return err
		}
		if p.Total < n/2 || p.Total > 2*n {
			return fmt.Errorf("GET %s: total estimated at %d, plain SQL counts %d", path, p.Total, n)
		}
		total, capped = p.Total, false
	}
	if !slices.Equal(p.IDs(), ids) || p.Total != total || p.TotalCapped != capped {
		return fmt.Errorf("GET %s differs from plain SQL: ids %s… total %d capped %v; SQL: ids %s… total %d capped %v",
			path, strings.Join(first(p.IDs(), 2), ","), p.Total, p.TotalCapped, strings.Join(first(ids, 2), ","), total, capped)
	}
	return nil
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
