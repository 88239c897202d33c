package list_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/testutil"
)

// aliasRow reads the users table through fields named unlike their columns.
type aliasRow struct {
	UID    string     `gorm:"column:id;primaryKey"`
	Handle string     `gorm:"column:login"`
	Name   string     `gorm:"column:display_name"`
	On     bool       `gorm:"column:active"`
	Last   *time.Time `gorm:"column:last_login_at"`
	Joined time.Time  `gorm:"column:created_at"`
}

func (aliasRow) TableName() string { return "users" }

// handKey is the switch a list passed to Run before Run read the key from the row.
func handKey(sort string) func(*runRow) (any, string) {
	return func(r *runRow) (any, string) {
		switch sort {
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
	}
}

type cursors struct{ Next, Prev string }

func runCursors[T any](t *testing.T, d *db.DB, raw string, key func(*T) (any, string)) cursors {
	t.Helper()
	p, err := list.Parse(raw, runSpec)
	require.NoError(t, err, raw)
	page, err := list.Run(d.R.WithContext(context.Background()).Model(new(T)), p, runSpec, runCustom, key)
	require.NoError(t, err, raw)
	return cursors{page.NextCursor, page.PrevCursor}
}

// TestRunDerivesTheCursorKey checks that Run without a key makes the very cursors the
// hand-written key made — for a string, a bool and a time sort, both orders, with and
// without a search, forward three pages — also through a row type whose fields are
// renamed by column tags, and that a nullable sort (paged by offset) makes none.
func TestRunDerivesTheCursorKey(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		seedRuns(t, d, 40)
		for _, sort := range []string{"login", "display_name", "active", "created_at", "last_login_at"} {
			for _, order := range []string{"asc", "desc"} {
				for _, q := range []string{"", "alex"} {
					view := url.Values{"sort": {sort}, "order": {order}, "q": {q}, "page_size": {"4"}}.Encode()
					raw, pages := view+"&page=1", 0
					for pg := 1; pg <= 3; pg++ {
						pages++
						want := runCursors(t, d, raw, handKey(sort))
						assert.Equal(t, want, runCursors[runRow](t, d, raw, nil), raw)
						assert.Equal(t, want, runCursors[aliasRow](t, d, raw, nil), raw)
						if sort == "last_login_at" {
							assert.Equal(t, cursors{}, want, "a nullable sort makes no cursor: %s", raw)
							break
						}
						if want.Next == "" {
							break
						}
						raw = fmt.Sprintf("%s&page=%d&cursor=%s", view, pg+1, want.Next)
					}
					if sort != "last_login_at" {
						assert.Equal(t, 3, pages, "three pages by cursor: %s", view)
					}
				}
			}
		}
	})
}

// TestRunRefusesARowTypeThatLacksTheSortColumn: a spec and its row type that disagree
// fail on the first request, not when a page happens to need a cursor.
func TestRunRefusesARowTypeThatLacksTheSortColumn(t *testing.T) {
	t.Parallel()
	type narrow struct {
		ID    string
		Login string
	}
	d := testutil.NewDB(t, db.SQLite)
	p, err := list.Parse("sort=display_name", runSpec)
	require.NoError(t, err)
	_, err = list.Run[narrow](d.R.Table("users"), p, runSpec, nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"display_name"`)
}
