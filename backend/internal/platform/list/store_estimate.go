package list

import (
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// EstimateAbove is the count budget of a search, in rows: when the database expects
// a search to match more rows than this, its total is that estimate (flagged
// TotalEstimated, shown as "about N") and no count runs. Counting the first
// CountCap+1 matches of a common term costs a trigram bitmap scan and as many heap
// reads, 45–60 ms at 1M users on PostgreSQL, more than the page itself; an estimate
// costs the planning of one query (≈1 ms). Five times the cap: a term the planner
// puts above it is common in its sample too (5% of the histogram's values at least),
// so a rare term is never shown as "about 50,000", and the views between the cap and
// this keep their exact capped count. Tests set it to 0 to estimate every search.
var EstimateAbove int64 = 5 * CountCap

// estimate returns the number of rows the filtered query q is expected to match: the
// planner's estimate on PostgreSQL (EXPLAIN, nothing runs), and on SQLite, which keeps
// no such statistics for a LIKE, the share of matches among the table's last 1,000
// rows (by rowid) times its rows. ok is false when there is no estimate to give (the
// table is smaller than the budget, so the count is cheap).
func estimate[T any](base, q *gorm.DB, budget int64) (n int64, ok bool, err error) {
	if base.Dialector.Name() == "postgres" {
		var plan string
		sub := q.Session(&gorm.Session{}).Select("1")
		if err := base.Session(&gorm.Session{NewDB: true}).Raw("EXPLAIN (FORMAT JSON) ?", sub).Row().Scan(&plan); err != nil {
			return 0, false, err
		}
		var out []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			} `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan), &out); err != nil || len(out) != 1 {
			return 0, false, fmt.Errorf("list: unreadable plan %.200q: %v", plan, err)
		}
		return int64(out[0].Plan.Rows), true, nil
	}
	var zero T
	s, err := schema.Parse(&zero, &schemas, base.NamingStrategy)
	if err != nil {
		return 0, false, err
	}
	const sample = 1000
	var top int64
	if err := base.Session(&gorm.Session{NewDB: true}).Raw("SELECT COALESCE(MAX(rowid), 0) FROM " + quote(s.Table)).
		Row().Scan(&top); err != nil {
		return 0, false, err
	}
	if top <= budget || top <= sample {
		return 0, false, nil
	}
	var m int64
	in := q.Session(&gorm.Session{}).Select("1").Where(quote(s.Table)+".rowid > ?", top-sample)
	if err := base.Session(&gorm.Session{NewDB: true}).Raw("SELECT COUNT(*) FROM (?) AS s", in).Row().Scan(&m); err != nil {
		return 0, false, err
	}
	return m * top / sample, true, nil
}

func quote(table string) string { return `"` + strings.ReplaceAll(table, `"`, `""`) + `"` }

// roundEstimate keeps two significant digits of an estimate (298,413 → 300,000): the
// rest would pretend to a precision it does not have.
func roundEstimate(n int64) int64 {
	p := int64(1)
	for n/p >= 100 {
		p *= 10
	}
	return (n + p/2) / p * p
}
