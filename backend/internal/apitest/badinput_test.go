package apitest

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// badInput is one request that must be refused with a 4xx problem and write nothing.
type badInput struct {
	name, method, path string
	body               any // string/[]byte sent raw, anything else as JSON
	status             int
	code               string
	field              string // expected in errors[] when not empty
}

// writtenTables are counted before and after each bad request.
var writtenTables = []string{"users", "groups", "user_groups", "user_types", "casbin_rule", "audit_events", "sessions"}

func TestBadInputIsRefusedCleanly(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		plain := a.Admin()
		plain.Header.Set("Content-Type", "text/plain")
		u := testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "target"})
		g := testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "gtarget", "name": "Target"})
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/users/"+u.Str("id"), map[string]any{"version": 1, "email": "t@example.org"}).Status)
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/groups/"+g.Str("id"), map[string]any{"version": 1, "name": "Target 2"}).Status)
		user, group := "/api/v1/users/"+u.Str("id"), "/api/v1/groups/"+g.Str("id")
		huge := `{"login":"big","display_name":"` + strings.Repeat("я", 1<<19) + `"}` // > 1 MiB of UTF-8
		nested := `{"login":"deep","extra_attributes":{"a":` + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + `}}`

		cases := []badInput{
			// Bodies that are not the JSON object we expect.
			{"truncated json", "POST", "/api/v1/users", `{"login": "x",`, 400, "request.malformedJson", ""},
			{"not json", "POST", "/api/v1/users", `login=x`, 400, "request.malformedJson", ""},
			{"two json values", "POST", "/api/v1/users", `{"login":"x"} {"login":"y"}`, 400, "request.malformedJson", ""},
			{"trailing comma", "POST", "/api/v1/groups", `{"code":"x","name":"y",}`, 400, "request.malformedJson", ""},
			{"empty body", "POST", "/api/v1/groups", ``, 400, "request.emptyBody", ""},
			{"array body", "POST", "/api/v1/users", `[{"login":"x"}]`, 400, "validation.failed", "body"},
			{"too deeply nested", "POST", "/api/v1/users", nested, 400, "request.malformedJson", ""},
			{"invalid utf-8 body", "POST", "/api/v1/users", []byte("{\"login\":\"x\xff\xfe\"}"), 400, "request.invalidUtf8", ""},
			{"invalid utf-8 in patch", "PATCH", user, []byte("{\"version\":2,\"display_name\":\"\xc3\x28\"}"), 400, "request.invalidUtf8", ""},
			{"body over 1 MiB", "POST", "/api/v1/users", huge, 413, "request.tooLarge", ""},
			// Unknown fields and wrong types name the field.
			{"unknown field", "POST", "/api/v1/users", `{"login":"x","is_admin":true}`, 400, "request.unknownField", "is_admin"},
			{"unknown field in patch", "PATCH", group, `{"version":1,"owner":"me"}`, 400, "request.unknownField", "owner"},
			{"password hash is not input", "POST", "/api/v1/users", `{"login":"x","password_hash":"$argon2id$"}`, 400, "request.unknownField", "password_hash"},
			{"login a number", "POST", "/api/v1/users", `{"login":42}`, 400, "validation.failed", "login"},
			{"active a string", "POST", "/api/v1/users", `{"login":"x","active":"yes"}`, 400, "validation.failed", "active"},
			{"group_ids a string", "POST", "/api/v1/users", `{"login":"x","group_ids":"abc"}`, 400, "validation.failed", "group_ids"},
			{"group_ids of numbers", "POST", "/api/v1/users", `{"login":"x","group_ids":[1]}`, 400, "validation.failed", "group_ids"},
			{"extra_attributes an array", "POST", "/api/v1/users", `{"login":"x","extra_attributes":[1]}`, 400, "validation.failed", "extra_attributes"},
			{"version a string", "PATCH", user, `{"version":"2","display_name":"x"}`, 400, "validation.failed", "version"},
			{"version a fraction", "PATCH", user, `{"version":2.5,"display_name":"x"}`, 400, "validation.failed", "version"},
			{"version overflows", "PATCH", user, `{"version":1e40,"display_name":"x"}`, 400, "validation.failed", "version"},
			{"permissions a string", "POST", "/api/v1/groups", `{"code":"x","name":"y","permissions":"users.read"}`, 400, "validation.failed", "permissions"},
			{"ids a string", "POST", "/api/v1/users/bulk-delete", `{"ids":"` + u.Str("id") + `"}`, 400, "validation.failed", "ids"},
			{"password a number", "POST", user + "/password", `{"password":12345678}`, 400, "validation.failed", "password"},
			{"text/plain body", "POST", "/api/v1/users", `{"login":"x"}`, 400, "request.unsupportedMediaType", ""},
			// Values the rules refuse.
			{"control character", "POST", "/api/v1/users", `{"login":"x","display_name":"a\u0000b"}`, 400, "validation.failed", "display_name"},
			{"login with spaces", "POST", "/api/v1/users", `{"login":"drop table users"}`, 400, "validation.failed", "login"},
			{"unknown permission", "POST", "/api/v1/groups", `{"code":"x","name":"y","permissions":["users.drop"]}`, 400, "validation.failed", "permissions"},
			{"bad group code", "POST", "/api/v1/groups", `{"code":"Bad Code;--","name":"y"}`, 400, "validation.failed", "code"},
			{"group id not a uuid", "POST", "/api/v1/users", `{"login":"x","group_ids":["1 OR 1=1"]}`, 400, "validation.failed", "group_ids"},
			{"missing version", "PATCH", user, `{"display_name":"x"}`, 400, "validation.failed", "version"},
			{"stale user version", "PATCH", user, `{"version":1,"display_name":"stale"}`, 409, "resource.versionConflict", ""},
			{"future user version", "PATCH", user, `{"version":99,"display_name":"stale"}`, 409, "resource.versionConflict", ""},
			{"stale group version", "PATCH", group, `{"version":1,"name":"stale"}`, 409, "resource.versionConflict", ""},
			{"zero group version", "PATCH", group, `{"version":0,"name":"stale"}`, 400, "validation.failed", "version"},
			{"unknown user", "PATCH", "/api/v1/users/0190a5d2-7c1e-7cc0-8a55-1f7a2b3c4d5e", `{"version":1,"display_name":"x"}`, 404, "resource.notFound", ""},
			{"user id not a uuid", "PATCH", "/api/v1/users/1%20OR%201=1", `{"version":1,"display_name":"x"}`, 404, "resource.notFound", ""},
			// List queries.
			{"sql in sort", "GET", "/api/v1/users?sort=login;drop%20table%20users", nil, 400, "list.invalidQuery", "sort"},
			{"escaped sql in sort", "GET", "/api/v1/users?sort=login%3Bdrop%20table%20users", nil, 400, "list.invalidSort", "sort"},
			{"unknown group sort", "GET", "/api/v1/groups?sort=member_count", nil, 400, "list.invalidSort", "sort"},
			{"sort by secret", "GET", "/api/v1/users?sort=password_hash", nil, 400, "list.invalidSort", "sort"},
			{"bad order", "GET", "/api/v1/groups?order=random()", nil, 400, "list.invalidOrder", "order"},
			{"huge page size", "GET", "/api/v1/users?page_size=100000", nil, 400, "list.invalidPageSize", "page_size"},
			{"page zero", "GET", "/api/v1/groups?page=0", nil, 400, "list.invalidPage", "page"},
			{"invalid utf-8 in q", "GET", "/api/v1/users?q=%FF", nil, 400, "list.invalidEncoding", "q"},
			{"oversized q", "GET", "/api/v1/users?q=" + strings.Repeat("x", 201), nil, 400, "list.invalidFilter", "q"},
			{"bool filter", "GET", "/api/v1/users?active=maybe", nil, 400, "list.invalidFilter", "active"},
			{"uuid filter", "GET", "/api/v1/users?group_id=1%27%20OR%20%271", nil, 400, "list.invalidFilter", "group_id"},
			{"unknown filter", "GET", "/api/v1/groups?password=x", nil, 400, "list.invalidParameter", "password"},
			{"bad cursor", "GET", "/api/v1/users?cursor=%27%3B--", nil, 400, "list.invalidCursor", "cursor"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := rowCounts(t, a)
				cl := c
				if tc.name == "text/plain body" {
					cl = plain
				}
				r := cl.Do(tc.method, tc.path, tc.body)
				testutil.AssertProblem(t, r, tc.status, tc.code)
				assert.NotEmpty(t, r.Str("detail"))
				assert.NotEmpty(t, r.Str("request_id"))
				if tc.field != "" {
					assert.Contains(t, testutil.FieldsOf(r), tc.field, r.String())
				}
				assert.Equal(t, before, rowCounts(t, a), "nothing written")
			})
		}
		got := c.Do("GET", user, nil)
		assert.Equal(t, 2.0, got.Num("version"), "the user is unchanged")
		assert.Equal(t, "", got.Str("display_name"))
		assert.Equal(t, 2.0, c.Do("GET", group, nil).Num("version"), "the group is unchanged")
		assert.Equal(t, 200, c.Do("GET", "/api/v1/users", nil).Status, "the users table survived")
	})
}

// TestForgedCursorIsRefused edits a real cursor the way a client could: a NUL in the
// key made PostgreSQL fail the query (a 500) before the parser refused it.
func TestForgedCursorIsRefused(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "second"})
		next := c.Do("GET", "/api/v1/users?sort=login&page_size=1", nil).Str("next_cursor")
		require.NotEmpty(t, next)
		raw, err := base64.RawURLEncoding.DecodeString(next)
		require.NoError(t, err)
		var cur map[string]any
		require.NoError(t, json.Unmarshal(raw, &cur))
		r := c.Do("GET", "/api/v1/users?sort=login&page_size=1&page=2&cursor="+next, nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, []string{"tech_admin"}, each(r, "login"))
		for name, v := range map[string]any{"nul": "a\x00b", "number": 7, "object": map[string]any{"x": 1}} {
			cur["v"] = v
			forged, _ := json.Marshal(cur)
			r := c.Do("GET", "/api/v1/users?sort=login&page_size=1&page=2&cursor="+base64.RawURLEncoding.EncodeToString(forged), nil)
			testutil.AssertProblem(t, r, 400, "list.invalidCursor")
			assert.Equal(t, []string{"cursor"}, testutil.FieldsOf(r), name)
		}
	})
}

// rowCounts counts the rows of every table a bad request could write to.
func rowCounts(t *testing.T, a *testutil.TestApp) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tbl := range writtenTables {
		out[tbl] = testutil.Count(t, a, tbl, "")
	}
	return out
}

func TestCyrillicSearchIgnoresCase(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		for login, name := range map[string]string{"ivanov": "Пётр Иванов", "petrova": "Анна Петрова",
			"sergey": "ПЕТРОВ Сергей", "sidorov": "Павел Сидоров", "olga": "Ольга"} {
			testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": login, "display_name": name})
		}
		testutil.MustCreate(t, c, "/api/v1/users", map[string]any{"login": "pp", "email": "Petr.Petrov@example.org",
			"display_name": "петрова-Петровская"})
		cases := []struct {
			q    string
			want []string
		}{
			{"ПЕТР", []string{"petrova", "sergey", "pp"}}, // е, not ё: Пётр is another word
			{"петр", []string{"petrova", "sergey", "pp"}},
			{"пЕтРоВа", []string{"petrova", "pp"}},
			{"ПЁТР", []string{"ivanov"}},
			{"пётр иванов", []string{"ivanov"}},
			{"ОЛЬГА", []string{"olga"}},
			{"ИДОР", []string{"sidorov"}},
			{"IVANOV", []string{"ivanov"}},
			{"PETR.PETROV@", []string{"pp"}},
			{"%", nil}, // LIKE wildcards are literal
			{"_", []string{"tech_admin"}},
			{"нет такого", nil},
		}
		for _, tc := range cases {
			r := c.Do("GET", "/api/v1/users?sort=login&q="+url.QueryEscape(tc.q), nil)
			require.Equal(t, 200, r.Status, r.String())
			assert.ElementsMatch(t, tc.want, each(r, "login"), "q=%s", tc.q)
			assert.Equal(t, float64(len(tc.want)), r.Num("total"), "q=%s", tc.q)
		}
		testutil.MustCreate(t, c, "/api/v1/groups", map[string]any{"code": "ops2", "name": "Дежурные Операторы"})
		r := c.Do("GET", "/api/v1/groups?q="+url.QueryEscape("ДЕЖУРНЫЕ операторы"), nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, []string{"ops2"}, each(r, "code"))
	})
}
