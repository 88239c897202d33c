package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/testutil"
)

// assertProblem checks that r is an application/problem+json error with status and code.
func assertProblem(t *testing.T, r *testutil.Resp, status int, code string) {
	t.Helper()
	require.Equal(t, status, r.Status, r.String())
	assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json"),
		"content type %q", r.Header.Get("Content-Type"))
	assert.Equal(t, code, r.Str("code"), r.String())
	assert.Equal(t, float64(status), r.Num("status"), r.String())
}

// fields returns the field names of a problem's errors[].
func fields(r *testutil.Resp) []string {
	var out []string
	for i := 0; i < r.Len("errors"); i++ {
		out = append(out, r.Str("errors."+strconv.Itoa(i)+".field"))
	}
	return out
}

// fieldCode returns the code of the first error naming field.
func fieldCode(r *testutil.Resp, field string) string {
	for i := 0; i < r.Len("errors"); i++ {
		if r.Str("errors."+strconv.Itoa(i)+".field") == field {
			return r.Str("errors." + strconv.Itoa(i) + ".code")
		}
	}
	return ""
}

// count counts rows of table matching where (plain SQL with args).
func count(t *testing.T, a *testutil.TestApp, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := a.DB.W.Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	require.NoError(t, q.Count(&n).Error)
	return n
}

// groupID returns the id of the group with code.
func groupID(t *testing.T, a *testutil.TestApp, code string) string {
	t.Helper()
	var id string
	require.NoError(t, a.DB.W.Table("groups").Where("code = ?", code).Pluck("id", &id).Error)
	require.NotEmpty(t, id, "group %s", code)
	return id
}

// userID returns the id of the user with login.
func userID(t *testing.T, a *testutil.TestApp, login string) string {
	t.Helper()
	var id string
	require.NoError(t, a.DB.W.Table("users").Where("login = ?", login).Pluck("id", &id).Error)
	require.NotEmpty(t, id, "user %s", login)
	return id
}

// mustCreate POSTs body to path as c and requires 201.
func mustCreate(t *testing.T, c *testutil.Client, path string, body any) *testutil.Resp {
	t.Helper()
	r := c.Do("POST", path, body)
	require.Equal(t, http.StatusCreated, r.Status, r.String())
	return r
}

// login signs in on a fresh anonymous client and returns the raw response.
func login(a *testutil.TestApp, name, password string) *testutil.Resp {
	return a.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"login": name, "password": password})
}

// cookie returns the cookie name set by the response, or nil.
func cookie(r *testutil.Resp, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// raw sends a request without the test client's cookie and CSRF help: exactly the
// given headers and body.
func raw(t *testing.T, a *testutil.TestApp, method, path string, body []byte, hdr map[string]string) *testutil.Resp {
	t.Helper()
	req, err := http.NewRequest(method, a.URL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &testutil.Resp{Status: res.StatusCode, Header: res.Header, Body: b}
	_ = json.Unmarshal(b, &r.JSON)
	return r
}
