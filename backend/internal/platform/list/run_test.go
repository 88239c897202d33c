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

func runOnce(t *testing.T, d *db.DB, raw string, candidates, keepCapped bool) (runResult, list.Page[runRow]) {
	t.Helper()
	defer list.SetCandidatePaging(candidates)()
	p, err := list.Parse(raw, runSpec)
	require.NoError(t, err, raw)
	if p.Cursor != nil && !keepCapped {
		p.Cursor.Capped = false // the baseline counts every page
	}
	page, err := list.Run(d.R.WithContext(context.Background()).Model(&runRow{}), p, runSpec, runCustom,
		func(r *runRow) (any, string) {
			switch p.Sort {
			case "login":
				return r.Login, r.ID
			case "display_name":
				return r.DisplayName, r.ID
			case "active":
				return r.Active, r.ID
			case "last_login_at":
				return r.LastLoginAt, r.ID
			}
			return r.CreatedAt, r.ID
		})
	require.NoError(t, err, raw)
	res := runResult{Total: page.Total, Capped: page.TotalCapped, Next: page.NextCursor != "", Prev: page.PrevCursor != ""}
	for _, it := range page.Items {
		res.IDs = append(res.IDs, it.ID)
	}
	return res, page
}

// TestRunCandidatesEqualOrdinary checks that the one-scan count-and-page answers
// exactly what the ordinary count and index-order page query answer — every page by
// number, by cursor forward and backward — for searches that are empty, selective,
// common (capped), bunched in the sort order or absent, with plain and custom
// filters, on sorts with ties, NULLs and booleans, both orders, on both databases.
func TestRunCandidatesEqualOrdinary(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		const n = list.CountCap + 150
		seedRuns(t, d, n)
		const size = 7
		capped, exact := 0, 0
		for _, q := range []string{"", "example", "alex", "petrov1", "zzz"} { // "example": every row
			for _, filter := range []string{"", "active=true&odd=true"} {
				for _, sort := range []string{"login", "display_name", "active", "created_at", "last_login_at"} {
					for _, order := range []string{"asc", "desc"} {
						v := url.Values{"sort": {sort}, "order": {order}, "page_size": {fmt.Sprint(size)}}
						if q != "" {
							v.Set("q", q)
						}
						view := v.Encode()
						if filter != "" {
							view += "&" + filter
						}
						if checkView(t, d, view, size) {
							capped++
						} else {
							exact++
						}
					}
				}
			}
		}
		assert.Positive(t, capped, "some views have more than CountCap rows")
		assert.Positive(t, exact, "some views are counted exactly")
	})
}

// checkView compares one view both ways and reports whether its total was capped.
func checkView(t *testing.T, d *db.DB, view string, size int) bool {
	t.Helper()
	first, _ := runOnce(t, d, view+"&page=1", false, false)
	last := int(max(1, (first.Total+int64(size)-1)/int64(size)))
	for _, pg := range []int{1, last, last + 1} {
		raw := fmt.Sprintf("%s&page=%d", view, pg)
		want, _ := runOnce(t, d, raw, false, false)
		got, _ := runOnce(t, d, raw, true, true)
		require.Equal(t, want, got, raw)
	}
	// Forward from page 1 by next cursors, then back by previous cursors: each page
	// equals the same page by number in the ordinary way.
	raw := view + "&page=1"
	var trail []string
	for pg := 1; pg <= 3; pg++ {
		got, page := runOnce(t, d, raw, true, true)
		want, _ := runOnce(t, d, fmt.Sprintf("%s&page=%d", view, pg), false, false)
		require.Equal(t, want.IDs, got.IDs, raw)
		require.Equal(t, want.Next, got.Next, raw)
		if want.Capped { // a carried capped total is not recounted
			assert.True(t, got.Capped, raw)
		} else {
			require.Equal(t, want.Total, got.Total, raw)
		}
		trail = append(trail, page.PrevCursor)
		if page.NextCursor == "" {
			break
		}
		raw = fmt.Sprintf("%s&page=%d&cursor=%s", view, pg+1, page.NextCursor)
	}
	for i := len(trail) - 1; i >= 1; i-- {
		raw := fmt.Sprintf("%s&page=%d&cursor=%s", view, i, trail[i])
		got, _ := runOnce(t, d, raw, true, true)
		want, _ := runOnce(t, d, fmt.Sprintf("%s&page=%d", view, i), false, false)
		require.Equal(t, want.IDs, got.IDs, raw)
		// and without the carried total, cursor pages recount like the ordinary ones
		got, _ = runOnce(t, d, raw, true, false)
		require.Equal(t, want, got, raw)
	}
	return first.Capped
}
