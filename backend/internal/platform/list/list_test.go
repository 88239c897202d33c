package list

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/apperr"
)

// testSpec has a filter of every value type and sorts of every seekable type.
var testSpec = Spec{
	Sorts: map[string]SortField{
		"login": {Column: "login"}, "active": {Column: "active", Type: Bool},
		"created_at": {Column: "created_at", Type: Time}, "quota": {Column: "quota", Type: Int},
		"last_login_at": {Column: "last_login_at", Type: Time, Nullable: true},
	},
	Filters: map[string]FilterField{
		"active":  {Column: "active", Type: Bool},
		"type_id": {Column: "user_type_id", Type: UUID},
		"from":    {Column: "created_at", Type: Time, Op: ">="},
		"quota":   {Column: "quota", Type: Int},
		"kind":    {Column: "kind", Type: Enum, Values: []string{"string", "list"}},
		"name":    {Column: "name"},
	},
	SearchColumn: "search_text", DefaultSort: "created_at", DefaultOrder: "desc",
}

const someID = "0190a5d2-7c1e-7cc0-8a55-1f7a2b3c4d5e"

func TestParseValid(t *testing.T) {
	from := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	cases := []struct {
		name, query  string
		q, sort, ord string
		page, size   int
		conds        map[string]any
	}{
		{"defaults", "", "", "created_at", "desc", 1, DefaultPageSize, nil},
		{"explicit sort keeps asc", "sort=login", "", "login", "asc", 1, 20, nil},
		{"sort and order", "sort=login&order=desc", "", "login", "desc", 1, 20, nil},
		{"order alone applies to default sort", "order=asc", "", "created_at", "asc", 1, 20, nil},
		{"paging", "page=3&page_size=50", "", "created_at", "desc", 3, 50, nil},
		{"max page size", "page_size=200", "", "created_at", "desc", 1, MaxPageSize, nil},
		{"q trimmed", "q=%20%D0%9F%D1%91%D1%82%D1%80%20", "Пётр", "created_at", "desc", 1, 20, nil},
		{"q of exactly 200 runes", "q=" + strings.Repeat("%D0%AF", MaxQueryLen), strings.Repeat("Я", MaxQueryLen),
			"created_at", "desc", 1, 20, nil},
		{"blank q is no search", "q=%20%20", "", "created_at", "desc", 1, 20, nil},
		{"empty filter is no filter", "active=&type_id=", "", "created_at", "desc", 1, 20, nil},
		{"typed filters", "active=false&type_id=" + strings.ToUpper(someID) + "&from=2026-01-02T18:04:05%2B03:00" +
			"&quota=-7&kind=list&name=a%27b", "", "created_at", "desc", 1, 20,
			map[string]any{"active": false, "type_id": someID, "from": from, "quota": int64(-7), "kind": "list", "name": "a'b"}},
		{"sql-looking text is just a value", "name=x%27%3B%20drop%20table%20users%3B--", "", "created_at", "desc", 1, 20,
			map[string]any{"name": "x'; drop table users;--"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(tc.query, testSpec)
			require.NoError(t, err)
			assert.Equal(t, tc.q, p.Q)
			assert.Equal(t, tc.sort, p.Sort)
			assert.Equal(t, tc.ord, p.Order)
			assert.Equal(t, tc.page, p.Page)
			assert.Equal(t, tc.size, p.PageSize)
			assert.Nil(t, p.Cursor)
			got := map[string]any{}
			for _, c := range p.Conds {
				got[c.Param] = c.Value
				assert.Equal(t, testSpec.Filters[c.Param].Column, c.Column)
			}
			if tc.conds == nil {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, tc.conds, got)
			}
		})
	}
	p, err := Parse("from=2026-01-02T15:04:05Z&active=true", testSpec)
	require.NoError(t, err)
	ops := map[string]string{}
	for _, c := range p.Conds {
		ops[c.Param] = c.Op
	}
	assert.Equal(t, map[string]string{"from": ">=", "active": "="}, ops, "the filter's operator, '=' by default")
}

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name, query, field, code string
	}{
		{"unknown sort field", "sort=password_hash", "sort", "list.invalidSort"},
		{"sort is case-sensitive", "sort=LOGIN", "sort", "list.invalidSort"},
		{"escaped sql in sort", "sort=login%3Bdrop%20table%20users", "sort", "list.invalidSort"},
		{"raw semicolon in sort", "sort=login;drop%20table%20users", "sort", "list.invalidQuery"},
		{"bad escape in q", "q=%zz", "q", "list.invalidQuery"},
		{"bad order", "order=up", "order", "list.invalidOrder"},
		{"order is case-sensitive", "sort=login&order=DESC", "order", "list.invalidOrder"},
		{"sql in order", "order=asc%3B%20drop%20table%20users", "order", "list.invalidOrder"},
		{"page size over max", "page_size=100000", "page_size", "list.invalidPageSize"},
		{"page size 201", "page_size=201", "page_size", "list.invalidPageSize"},
		{"page size 0", "page_size=0", "page_size", "list.invalidPageSize"},
		{"page size text", "page_size=ten", "page_size", "list.invalidPageSize"},
		{"page 0", "page=0", "page", "list.invalidPage"},
		{"page -1", "page=-1", "page", "list.invalidPage"},
		{"page abc", "page=abc", "page", "list.invalidPage"},
		{"page fraction", "page=1.5", "page", "list.invalidPage"},
		{"page overflow", "page=99999999999999999999", "page", "list.invalidPage"},
		{"page over max", "page=10000001", "page", "list.invalidPage"},
		{"invalid utf-8 in q", "q=%FF%FE", "q", "list.invalidEncoding"},
		{"truncated utf-8 in q", "q=%D0", "q", "list.invalidEncoding"},
		{"invalid utf-8 in a filter", "name=a%C3%28", "name", "list.invalidEncoding"},
		{"oversized q", "q=" + strings.Repeat("a", MaxQueryLen+1), "q", "list.invalidFilter"},
		{"oversized cyrillic q", "q=" + strings.Repeat("%D0%AF", MaxQueryLen+1), "q", "list.invalidFilter"},
		{"control character in q", "q=a%00b", "q", "list.invalidFilter"},
		{"newline in q", "q=a%0Ab", "q", "list.invalidFilter"},
		{"unknown parameter", "password=x", "password", "list.invalidParameter"},
		{"parameter given twice", "sort=login&sort=quota", "sort", "list.invalidParameter"},
		{"bool filter", "active=yes", "active", "list.invalidFilter"},
		{"uuid filter", "type_id=42", "type_id", "list.invalidFilter"},
		{"time filter", "from=yesterday", "from", "list.invalidFilter"},
		{"int filter", "quota=1e3", "quota", "list.invalidFilter"},
		{"enum filter", "kind=LIST", "kind", "list.invalidFilter"},
		{"NUL in a string filter", "name=a%00b", "name", "list.invalidFilter"},
		{"tab in a string filter", "name=a%09b", "name", "list.invalidFilter"},
		{"oversized string filter", "name=" + strings.Repeat("b", MaxQueryLen+1), "name", "list.invalidFilter"},
		{"malformed cursor", "cursor=!!!", "cursor", "list.invalidCursor"},
		{"cursor not json", "cursor=" + base64.RawURLEncoding.EncodeToString([]byte("nope")), "cursor", "list.invalidCursor"},
		{"oversized cursor", "cursor=" + strings.Repeat("A", 2049), "cursor", "list.invalidCursor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.query, testSpec)
			requireInvalid(t, err, tc.field, tc.code)
		})
	}
	_, err := Parse("q=x", Spec{Sorts: testSpec.Sorts, DefaultSort: "login"})
	requireInvalid(t, err, "q", "list.invalidParameter")
}

// requireInvalid checks err is a 400 with code naming exactly field.
func requireInvalid(t *testing.T, err error, field, code string) {
	t.Helper()
	require.Error(t, err)
	e, ok := apperr.As(err)
	require.True(t, ok, "typed error, got %T %v", err, err)
	assert.Equal(t, 400, e.Kind.Status())
	assert.Equal(t, code, e.Code)
	require.Len(t, e.Fields, 1)
	assert.Equal(t, field, e.Fields[0].Field)
	assert.NotEmpty(t, e.Fields[0].Code)
	assert.NotEmpty(t, e.Fields[0].Message)
}

func TestParseCursor(t *testing.T) {
	const view = "sort=created_at&order=asc&page_size=10"
	base, err := Parse(view+"&page=2", testSpec)
	require.NoError(t, err)
	at := time.Date(2026, 3, 4, 5, 6, 7, 8000, time.UTC)
	cur := Cursor{Page: 2, After: true, FP: base.fp, Val: at, ID: someID}.Encode()

	p, err := Parse(view+"&page=2&cursor="+cur, testSpec)
	require.NoError(t, err)
	require.NotNil(t, p.Cursor, "a cursor of this view and page is used")
	assert.Equal(t, at, p.Cursor.Val, "the key is decoded to the sort column's type")
	assert.Equal(t, someID, p.Cursor.ID)
	assert.True(t, p.Cursor.After)

	for name, q := range map[string]string{
		"another page":      view + "&page=3",
		"another page size": "sort=created_at&order=asc&page_size=20&page=2",
		"another order":     "sort=created_at&order=desc&page_size=10&page=2",
		"another search":    view + "&page=2&q=x",
		"another filter":    view + "&page=2&active=true",
	} {
		p, err := Parse(q+"&cursor="+cur, testSpec)
		require.NoError(t, err, name)
		assert.Nil(t, p.Cursor, "%s: a cursor of another view is ignored", name)
	}

	bad := map[string]Cursor{
		"id not a uuid":     {Page: 2, FP: base.fp, Val: at, ID: "1 OR 1=1"},
		"time key not time": {Page: 2, FP: base.fp, Val: "yesterday", ID: someID},
		"time key a number": {Page: 2, FP: base.fp, Val: 12, ID: someID},
		"no id":             {Page: 2, FP: base.fp, Val: at},
	}
	for name, c := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(view+"&page=2&cursor="+c.Encode(), testSpec)
			requireInvalid(t, err, "cursor", "list.invalidCursor")
		})
	}
	// Keys of the other sort types must have their type too.
	for sort, val := range map[string]any{"login": 5, "active": "true", "quota": "7", "last_login_at": "x"} {
		_, err := Parse("sort="+sort+"&cursor="+Cursor{Page: 1, Val: val, ID: someID}.Encode(), testSpec)
		requireInvalid(t, err, "cursor", "list.invalidCursor")
	}
	_, err = Parse("sort=login&cursor="+Cursor{Page: 1, Val: "a\x00b", ID: someID}.Encode(), testSpec)
	requireInvalid(t, err, "cursor", "list.invalidCursor") // PostgreSQL text cannot hold a NUL
	byQuota, err := Parse("sort=quota", testSpec)
	require.NoError(t, err)
	p, err = Parse("sort=quota&cursor="+Cursor{Page: 1, FP: byQuota.fp, Val: 7, ID: someID}.Encode(), testSpec)
	require.NoError(t, err)
	if assert.NotNil(t, p.Cursor) {
		assert.Equal(t, int64(7), p.Cursor.Val)
	}
}

// fuzzSeeds are the corpus the committed test runs.
var fuzzSeeds = []string{
	"", "q=%D0%9F%D0%95%D0%A2%D0%A0&sort=login&order=desc&page=2&page_size=50",
	"sort=login;drop%20table%20users", "sort=login%3Bdrop", "page_size=100000", "page=0", "page=-1", "page=abc",
	"q=%FF", "q=" + strings.Repeat("x", 300), "order=sideways", "active=maybe", "type_id=x", "from=2026-13-01",
	"quota=9223372036854775808", "kind=tree", "cursor=e30", "cursor=%%", "=x", "&&&", "a&b&c", "%FF=1",
	"sort=quota&cursor=" + Cursor{Page: 1, Val: 1e300, ID: someID}.Encode(),
	"sort=created_at&cursor=" + Cursor{Page: 1, Val: map[string]any{"x": []any{1}}, ID: someID}.Encode(),
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := Parse(raw, testSpec)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Kind != apperr.KindInvalid || e.Kind.Status() != 400 {
				t.Fatalf("%q: untyped or non-400 error %T %v", raw, err, err)
			}
			if !strings.HasPrefix(e.Code, "list.invalid") || len(e.Fields) != 1 || e.Fields[0].Field == "" ||
				!utf8.ValidString(e.Fields[0].Field) {
				t.Fatalf("%q: error does not name one field: %+v", raw, e)
			}
			return
		}
		if _, ok := testSpec.Sorts[p.Sort]; !ok || (p.Order != "asc" && p.Order != "desc") {
			t.Fatalf("%q: sort %q order %q escaped the whitelist", raw, p.Sort, p.Order)
		}
		if p.Page < 1 || p.Page > MaxPage || p.PageSize < 1 || p.PageSize > MaxPageSize {
			t.Fatalf("%q: page %d size %d out of range", raw, p.Page, p.PageSize)
		}
		if !utf8.ValidString(p.Q) || utf8.RuneCountInString(p.Q) > MaxQueryLen {
			t.Fatalf("%q: q %q passed", raw, p.Q)
		}
		for _, c := range p.Conds {
			if f, ok := testSpec.Filters[c.Param]; !ok || f.Column != c.Column {
				t.Fatalf("%q: condition %+v is not whitelisted", raw, c)
			}
		}
	})
}

// FuzzCursor feeds arbitrary cursor payloads for every sort type.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"login", "active", "created_at", "quota", "last_login_at", ""} {
		f.Add(s, `{"p":1,"a":true,"v":"x","i":"`+someID+`"}`)
		f.Add(s, `{"p":1,"v":1e400,"i":"`+someID+`"}`)
		f.Add(s, `{"v":null}`)
	}
	f.Fuzz(func(t *testing.T, sort, payload string) {
		q := url.Values{"cursor": {base64.RawURLEncoding.EncodeToString([]byte(payload))}}
		if sort != "" {
			q.Set("sort", sort)
		}
		_, err := Parse(q.Encode(), testSpec)
		if err != nil {
			if e, ok := apperr.As(err); !ok || e.Kind.Status() != 400 || len(e.Fields) != 1 {
				t.Fatalf("%q %q: %T %v", sort, payload, err, err)
			}
		}
	})
}
