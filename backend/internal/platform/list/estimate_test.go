package list_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/list"
	"custos/internal/testutil"
)

func TestRoundEstimate(t *testing.T) {
	for in, want := range map[int64]int64{0: 0, 7: 7, 99: 99, 123: 120, 995: 1000, 12_345: 12_000, 298_413: 300_000} {
		assert.Equal(t, want, list.RoundEstimate(in), "%d", in)
	}
}

// TestRunEstimatesAboveTheBudget forces the estimate path (a count budget of 0 rows)
// on both databases: a search's total is then the database's estimate, flagged, near
// the true count; its pages are the same rows as the counted ones; the cursors carry
// the estimate so the next and previous pages show the same "about N" without
// estimating again; a view without a search is still counted. With the budget back
// at its default the same search is counted exactly.
func TestRunEstimatesAboveTheBudget(t *testing.T) {
	const n = 3000
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := testutil.NewDB(t, dialect)
			seedRuns(t, d, n)
			if dialect == "postgres" { // as autovacuum would after such a load
				require.NoError(t, d.W.Exec("ANALYZE users").Error)
			}
			view := fmt.Sprintf("q=alex&sort=login&order=desc&page_size=%d", runPageSize)
			counted, _ := runOnce(t, d, view+"&page=1", false)
			second, _ := runOnce(t, d, view+"&page=2", false)
			require.False(t, counted.Capped)
			require.Greater(t, counted.Total, int64(n/5), "about 30%% of the rows are alex")

			defer list.SetEstimateAbove(0)()
			got, page := runOnce(t, d, view+"&page=1", true)
			assert.True(t, page.TotalEstimated, "the total is an estimate")
			assert.False(t, page.TotalCapped)
			assert.Equal(t, counted.IDs, got.IDs, "the same first page")
			assert.InDelta(t, float64(counted.Total), float64(got.Total), float64(counted.Total)/2,
				"the estimate %d is near the count %d", got.Total, counted.Total)
			assert.Equal(t, list.RoundEstimate(got.Total), got.Total, "rounded to two significant digits")
			require.NotEmpty(t, page.NextCursor, "an estimated view always offers the next page")

			next, nextPage := runOnce(t, d, view+"&page=2&cursor="+page.NextCursor, true)
			assert.Equal(t, second.IDs, next.IDs, "the next page by cursor")
			assert.True(t, nextPage.TotalEstimated)
			assert.Equal(t, got.Total, next.Total, "the estimate travels with the cursor")
			back, backPage := runOnce(t, d, view+"&page=1&cursor="+nextPage.PrevCursor, true)
			assert.Equal(t, counted.IDs, back.IDs, "the previous page by cursor")
			assert.Equal(t, got.Total, backPage.Total)
			assert.True(t, backPage.TotalEstimated)

			// A jump by page number estimates again and reads the same rows.
			jump, jumpPage := runOnce(t, d, view+"&page=2", true)
			assert.Equal(t, second.IDs, jump.IDs)
			assert.True(t, jumpPage.TotalEstimated)

			// No search: counted as before, whatever the budget.
			plain, plainPage := runOnce(t, d, "sort=login&page=1", true)
			assert.False(t, plainPage.TotalEstimated)
			assert.Equal(t, int64(n+1), plain.Total, "the seeded users and the administrator")

			// A search that matches nothing is not shown as "about N" rows on SQLite's
			// sample (no match among the last rows); PostgreSQL's planner says at least 1.
			none, nonePage := runOnce(t, d, "q=zzz&page=1", true)
			assert.Empty(t, none.IDs)
			if dialect == "sqlite" {
				assert.False(t, nonePage.TotalEstimated)
				assert.Zero(t, none.Total)
			} else {
				assert.LessOrEqual(t, none.Total, int64(10), "the planner expects almost nothing")
			}
		})
	}
}
