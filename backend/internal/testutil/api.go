// API-test helpers shared by the scenario tests (apitest) and the app's own tests.
package testutil

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
)

// AssertProblem checks that r is an application/problem+json error with status and code.
func AssertProblem(t *testing.T, r *Resp, status int, code string) {
	t.Helper()
	require.Equal(t, status, r.Status, r.String())
	assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json"),
		"content type %q", r.Header.Get("Content-Type"))
	assert.Equal(t, code, r.Str("code"), r.String())
	assert.Equal(t, float64(status), r.Num("status"), r.String())
}

// FieldsOf returns the field names of a problem's errors[].
func FieldsOf(r *Resp) []string {
	var out []string
	for i := 0; i < r.Len("errors"); i++ {
		out = append(out, r.Str("errors."+strconv.Itoa(i)+".field"))
	}
	return out
}

// FieldCode returns the code of the first error naming field.
func FieldCode(r *Resp, field string) string {
	for i := 0; i < r.Len("errors"); i++ {
		if r.Str("errors."+strconv.Itoa(i)+".field") == field {
			return r.Str("errors." + strconv.Itoa(i) + ".code")
		}
	}
	return ""
}

// Count counts rows of table matching where (plain SQL with args).
func Count(t *testing.T, a *TestApp, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := a.DB.W.Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	require.NoError(t, q.Count(&n).Error)
	return n
}

// GroupID returns the id of the group with code.
func GroupID(t *testing.T, a *TestApp, code string) string {
	t.Helper()
	var id string
	require.NoError(t, a.DB.W.Table("groups").Where("code = ?", code).Pluck("id", &id).Error)
	require.NotEmpty(t, id, "group %s", code)
	return id
}

// UserID returns the id of the user with login.
func UserID(t *testing.T, a *TestApp, login string) string {
	t.Helper()
	var id string
	require.NoError(t, a.DB.W.Table("users").Where("login = ?", login).Pluck("id", &id).Error)
	require.NotEmpty(t, id, "user %s", login)
	return id
}

// MustCreate POSTs body to path as c and requires 201.
func MustCreate(t *testing.T, c *Client, path string, body any) *Resp {
	t.Helper()
	r := c.Do("POST", path, body)
	require.Equal(t, http.StatusCreated, r.Status, r.String())
	return r
}

// Login signs in on a fresh anonymous client and returns the raw response.
func Login(a *TestApp, name, password string) *Resp {
	return a.Anonymous().Do("POST", "/api/v1/auth/login", map[string]string{"login": name, "password": password})
}

// Cookie returns the cookie name set by the response, or nil.
func Cookie(r *Resp, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Raw sends a request without the test client's cookie and CSRF help: exactly the
// given headers and body.
func Raw(t *testing.T, a *TestApp, method, path string, body []byte, hdr map[string]string) *Resp {
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
	r := &Resp{Status: res.StatusCode, Header: res.Header, Body: b}
	_ = json.Unmarshal(b, &r.JSON)
	return r
}

// Strings turns a decoded JSON array into strings (non-strings become "").
func Strings(v any) []string {
	var out []string
	if a, ok := v.([]any); ok {
		for _, x := range a {
			s, _ := x.(string)
			out = append(out, s)
		}
	}
	return out
}

// NewToken creates a token by POSTing body to path as c and returns its id and secret.
func NewToken(t *testing.T, c *Client, path string, body map[string]any) (string, string) {
	t.Helper()
	r := MustCreate(t, c, path, body)
	require.NotEmpty(t, r.Str("token"), r.String())
	return r.Str("id"), r.Str("token")
}

// TokenClient is a client that sends tok in the Authorization header only.
func TokenClient(a *TestApp, tok string) *Client {
	c := a.Anonymous()
	c.Header.Set("Authorization", "Api-Token "+tok)
	return c
}
