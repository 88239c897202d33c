package list_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

// runRow is the part of a users row the engine test writes and reads.
type runRow struct {
	ID           string `gorm:"primaryKey"`
	Login        string
	Email        string
	DisplayName  string
	Active       bool
	LDAPPrecheck bool `gorm:"column:ldap_precheck"`
	LastLoginAt  *time.Time
	SearchText   string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (runRow) TableName() string { return "users" }

var runSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"login": {Column: "login"}, "display_name": {Column: "display_name"}, "active": {Column: "active", Type: list.Bool},
		"created_at":    {Column: "created_at", Type: list.Time},
		"last_login_at": {Column: "last_login_at", Type: list.Time, Nullable: true},
	},
	Filters: map[string]list.FilterField{
		"active": {Column: "active", Type: list.Bool},
		"odd":    {Type: list.Bool}, // custom: version is odd
	},
	SearchColumn: "search_text", DefaultSort: "created_at", DefaultOrder: "desc",
}

var runCustom = map[string]list.Apply{"odd": func(q *gorm.DB, v any) *gorm.DB {
	if v.(bool) {
		return q.Where("version % 2 = 1")
	}
	return q.Where("version % 2 = 0")
}}

// seedRuns writes n users shaped like the benchmark's: logins starting with "alex"
// bunch at the front of the login order, display names repeat (ties broken by id),
// creation times and last logins repeat, and a third of the last logins are NULL.
func seedRuns(t *testing.T, d *db.DB, n int) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 7))
	firsts := []string{"alex", "boris", "petr", "anna", "olga", "yulia", "ivan"}
	lasts := []string{"petrov", "ivanov", "orlov", "zaitsev", "smirnov"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([]runRow, 0, n)
	for i := 0; i < n; i++ {
		first := firsts[1+r.IntN(len(firsts)-1)]
		if r.Float64() < 0.3 {
			first = "alex"
		}
		login := fmt.Sprintf("%s.%s%d", first, lasts[r.IntN(len(lasts))], i)
		name := fmt.Sprintf("%s %s", first, lasts[r.IntN(len(lasts))])
		created := base.Add(time.Duration(i/3) * time.Minute) // threes share a creation time
		var last *time.Time
		if r.IntN(3) > 0 {
			tm := base.Add(time.Duration(r.IntN(50)) * time.Hour)
			last = &tm
		}
		rows = append(rows, runRow{ID: uuid.Must(uuid.NewV7()).String(), Login: login, Email: login + "@example.com",
			DisplayName: name, Active: r.Float64() < 0.8, LastLoginAt: last,
			SearchText: list.SearchText(login, login+"@example.com", name), Version: r.IntN(4), CreatedAt: created,
			UpdatedAt: created})
	}
	require.NoError(t, d.W.CreateInBatches(rows, 400).Error)
}

type runResult struct {
	IDs        []string
	Total      int64
	Capped     bool
	Next, Prev bool
}

// runOnce reads one page the way the engine is currently switched to (see
// list.SetCandidatePaging); keepCapped false drops a cursor's carried capped total.
func runOnce(t *testing.T, d *db.DB, raw string, keepCapped bool) (runResult, list.Page[runRow]) {
	t.Helper()
	p, err := list.Parse(raw, runSpec)
	require.NoError(t, err, raw)
	if p.Cursor != nil && !keepCapped {
		p.Cursor.Capped = false // the baseline counts every page
	}
	page, err := list.Run[runRow](d.R.WithContext(context.Background()).Model(&runRow{}), p, runSpec, runCustom)
	require.NoError(t, err, raw)
	res := runResult{Total: page.Total, Capped: page.TotalCapped, Next: page.NextCursor != "", Prev: page.PrevCursor != ""}
	for _, it := range page.Items {
		res.IDs = append(res.IDs, it.ID)
	}
	return res, page
}

// runView is one list view on one database and the ordinary engine's answers for
// its pages by number.
type runView struct {
	name, view string
	d          *db.DB
	want       map[int]runResult
	last       int
}

const runPageSize = 7

// TestRunCandidatesEqualOrdinary checks that the one-scan count-and-page answers
// exactly what the ordinary count and index-order page query answer — the first,
// second, third, last and past-the-last pages by number, and the first pages by
// cursor forward and back — for searches that are empty, selective, common (capped),
// bunched in the sort order or absent, with plain and custom filters, on sorts with
// ties, NULLs and booleans, both orders, on both databases.
//
// The engine's way is a package switch, so every view's ordinary answers are read
// first with it off, then every view is checked with it on; within each phase the
// views run in parallel.
func TestRunCandidatesEqualOrdinary(t *testing.T) {
	var views []*runView
	dbs := map[string]*db.DB{}
	for _, dialect := range testutil.Dialects(t) {
		dbs[dialect] = testutil.NewDB(t, dialect)
	}
	t.Run("seed", func(t *testing.T) {
		for dialect, d := range dbs {
			t.Run(dialect, func(t *testing.T) { t.Parallel(); seedRuns(t, d, list.CountCap+150) })
		}
	})
	if t.Failed() {
		return
	}
	for dialect, d := range dbs {
		for _, q := range []string{"", "example", "alex", "petrov1", "zzz"} { // "example": every row
			for _, filter := range []string{"", "active=true&odd=true"} {
				for _, sort := range []string{"login", "display_name", "active", "created_at", "last_login_at"} {
					for _, order := range []string{"asc", "desc"} {
						v := url.Values{"sort": {sort}, "order": {order}, "page_size": {fmt.Sprint(runPageSize)}}
						if q != "" {
							v.Set("q", q)
						}
						view := v.Encode()
						if filter != "" {
							view += "&" + filter
						}
						views = append(views, &runView{name: dialect + "/" + view, view: view, d: d})
					}
				}
			}
		}
	}
	restore := list.SetCandidatePaging(false)
	t.Run("ordinary", func(t *testing.T) {
		for _, v := range views {
			t.Run(v.name, func(t *testing.T) { t.Parallel(); v.readOrdinary(t) })
		}
	})
	restore()
	defer list.SetCandidatePaging(true)()
	capped, exact := 0, 0
	t.Run("candidates", func(t *testing.T) {
		for _, v := range views {
			if v.want == nil {
				continue // its ordinary reading failed, and said so
			}
			if v.want[1].Capped {
				capped++
			} else {
				exact++
			}
			t.Run(v.name, func(t *testing.T) { t.Parallel(); v.check(t) })
		}
	})
	assert.Positive(t, capped, "some views have more than CountCap rows")
	assert.Positive(t, exact, "some views are counted exactly")
}

// readOrdinary reads the view's pages 1, 2, 3, last and last+1 by number.
func (v *runView) readOrdinary(t *testing.T) {
	want := map[int]runResult{}
	want[1], _ = runOnce(t, v.d, v.view+"&page=1", false)
	last := int(max(1, (want[1].Total+runPageSize-1)/runPageSize))
	for _, pg := range []int{2, 3, last, last + 1} {
		if _, ok := want[pg]; !ok {
			want[pg], _ = runOnce(t, v.d, fmt.Sprintf("%s&page=%d", v.view, pg), false)
		}
	}
	v.want, v.last = want, last
}

// check compares the view's pages by number and by cursor with the ordinary answers.
func (v *runView) check(t *testing.T) {
	view, want := v.view, v.want
	var first list.Page[runRow]
	for _, pg := range []int{1, v.last, v.last + 1} {
		raw := fmt.Sprintf("%s&page=%d", view, pg)
		got, page := runOnce(t, v.d, raw, true)
		require.Equal(t, want[pg], got, raw)
		if pg == 1 {
			first = page
		}
	}
	// Forward from page 1 by next cursors, then back by previous cursors: each page
	// equals the same page by number in the ordinary way.
	var trail []string
	page := first
	for pg := 1; pg <= 3; pg++ {
		if pg > 1 {
			raw := fmt.Sprintf("%s&page=%d&cursor=%s", view, pg, page.NextCursor)
			var got runResult
			got, page = runOnce(t, v.d, raw, true)
			require.Equal(t, want[pg].IDs, got.IDs, raw)
			require.Equal(t, want[pg].Next, got.Next, raw)
			if want[pg].Capped { // a carried capped total is not recounted
				assert.True(t, got.Capped, raw)
			} else {
				require.Equal(t, want[pg].Total, got.Total, raw)
			}
		}
		trail = append(trail, page.PrevCursor)
		if page.NextCursor == "" {
			break
		}
	}
	for i := len(trail) - 1; i >= 1; i-- {
		raw := fmt.Sprintf("%s&page=%d&cursor=%s", view, i, trail[i])
		got, _ := runOnce(t, v.d, raw, true)
		require.Equal(t, want[i].IDs, got.IDs, raw)
		// and without the carried total, cursor pages recount like the ordinary ones
		got, _ = runOnce(t, v.d, raw, false)
		require.Equal(t, want[i], got, raw)
	}
}
