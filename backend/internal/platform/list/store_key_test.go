package list_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
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

// handKey is the switch each list passed to Run before Run read the key from the row.
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

// cursorKey is the key a cursor carries: its sort value and id as JSON.
func cursorKey(t *testing.T, c string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(c)
	require.NoError(t, err)
	var v struct {
		Val json.RawMessage `json:"v"`
		ID  string          `json:"i"`
	}
	require.NoError(t, json.Unmarshal(b, &v))
	return string(v.Val) + " " + v.ID
}

// handCursorKey is the key the hand-written key func gives a row, as cursorKey shows it.
func handCursorKey(sort string, r *runRow) string {
	v, id := handKey(sort)(r)
	b, _ := json.Marshal(v)
	return string(b) + " " + id
}

func runPage[T any](t *testing.T, d *db.DB, raw string) list.Page[T] {
	t.Helper()
	p, err := list.Parse(raw, runSpec)
	require.NoError(t, err, raw)
	page, err := list.Run[T](d.R.WithContext(context.Background()).Model(new(T)), p, runSpec, runCustom)
	require.NoError(t, err, raw)
	return page
}

// TestRunDerivesTheCursorKey checks that the cursors Run makes carry the very key the
// hand-written key funcs gave — the previous page's keyed by the first row, the next
// page's by the last — for string, bool and time sorts, both orders, with and without
// a search, forward three pages; that a row type whose fields are renamed by column
// tags makes the same cursors; and that a nullable sort (paged by offset) makes none.
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
						page := runPage[runRow](t, d, raw)
						alias := runPage[aliasRow](t, d, raw)
						assert.Equal(t, page.NextCursor, alias.NextCursor, raw)
						assert.Equal(t, page.PrevCursor, alias.PrevCursor, raw)
						if sort == "last_login_at" {
							assert.Empty(t, page.NextCursor+page.PrevCursor, "a nullable sort makes no cursor: %s", raw)
							break
						}
						require.NotEmpty(t, page.Items, raw)
						if pg > 1 {
							assert.Equal(t, handCursorKey(sort, &page.Items[0]), cursorKey(t, page.PrevCursor), raw)
						}
						if page.NextCursor == "" {
							break
						}
						assert.Equal(t, handCursorKey(sort, &page.Items[len(page.Items)-1]), cursorKey(t, page.NextCursor), raw)
						raw = fmt.Sprintf("%s&page=%d&cursor=%s", view, pg+1, page.NextCursor)
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
	_, err = list.Run[narrow](d.R.Table("users"), p, runSpec, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"display_name"`)
}
