// Package list is the one list engine every collection endpoint uses: it parses
// q / filters / sort / order / page / page_size / cursor against a per-resource
// whitelist, and runs the query with a capped count and keyset (seek) paging for
// one-page moves, falling back to OFFSET only for jumps to an arbitrary page.
package list

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
)

// Limits of the list conventions (SPEC §2.3, §9).
const (
	DefaultPageSize = 20
	MaxPageSize     = 200
	MaxPage         = 10_000_000
	CountCap        = 10_000
	MaxQueryLen     = 200
)

// Type is the type of a filter or sort value.
type Type int

// Value types.
const (
	String Type = iota
	Bool
	UUID
	Time
	Int
	Enum
)

// SortField maps an API sort name to a column.
type SortField struct {
	Column string
	Type   Type
	// Nullable columns cannot be seeked; they page by offset.
	Nullable bool
}

// FilterField maps an API filter parameter to a column condition.
type FilterField struct {
	Column string
	Type   Type
	Values []string // for Enum
	Op     string   // "=" (default), ">=", "<=", or "custom" (the caller applies it)
}

// Spec is the whitelist of one resource.
type Spec struct {
	Sorts        map[string]SortField
	Filters      map[string]FilterField
	SearchColumn string // a lower-cased search text column; empty = no q
	DefaultSort  string // API sort name used when none is given
	DefaultOrder string
	IDColumn     string // tie breaker, default "id"
}

// Cond is one parsed filter.
type Cond struct {
	Param  string
	Column string
	Op     string
	Value  any
}

// Params is a parsed, valid list request.
type Params struct {
	Q        string
	Conds    []Cond
	Sort     string // API name (explicit or default)
	Order    string // asc | desc
	Page     int
	PageSize int
	Cursor   *Cursor
	fp       string
}

// Cursor lets the next request seek instead of offsetting. It is opaque to clients.
type Cursor struct {
	Page  int    `json:"p"`
	After bool   `json:"a"` // true: rows after the key; false: rows before it
	FP    string `json:"f"`
	Val   any    `json:"v"`
	ID    string `json:"i"`
	// Capped: the view had more than CountCap rows when the page that made this cursor
	// was counted, so the next and previous pages report "CountCap+" without counting
	// again. Forging it only changes the total the forger is shown.
	Capped bool `json:"c,omitempty"`
	// Est: the view's total was the planner's estimate (Page.TotalEstimated) when the
	// page that made this cursor was read; the next and previous pages report it again
	// instead of estimating or counting. Forging it only changes the total shown.
	Est int64 `json:"e,omitempty"`
}

// Encode makes the opaque string.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func bad(field, code, msg string) *apperr.Error {
	return &apperr.Error{Kind: apperr.KindInvalid, Code: "list.invalid" + strings.ToUpper(code[:1]) + code[1:],
		Message: field + ": " + msg, Fields: []apperr.FieldError{apperr.Field(field, code, msg)}}
}

// Parse validates a raw query string against spec. Every problem is a 400 naming the
// field; a query string Go cannot parse (a ';', a bad escape) is refused whole rather
// than silently dropped.
func Parse(rawQuery string, spec Spec) (Params, error) {
	p := Params{Page: 1, PageSize: DefaultPageSize, Order: "asc"}
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return p, bad(malformedParam(rawQuery), "query",
			"malformed query string (use & between parameters and %-escape special characters)")
	}
	known := map[string]bool{"q": true, "sort": true, "order": true, "page": true, "page_size": true, "cursor": true}
	for k := range spec.Filters {
		known[k] = true
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "" || !utf8.ValidString(k) { // never echo a blank or broken name as the field
			return p, bad("query", "parameter", "a parameter has an empty or non-UTF-8 name")
		}
		if !known[k] {
			return p, bad(k, "parameter", "unknown query parameter")
		}
		if len(v[k]) > 1 {
			return p, bad(k, "parameter", "given more than once")
		}
		if !utf8.ValidString(v.Get(k)) {
			return p, bad(k, "encoding", "not valid UTF-8")
		}
	}
	if q := strings.TrimSpace(v.Get("q")); q != "" {
		if utf8.RuneCountInString(q) > MaxQueryLen {
			return p, bad("q", "filter", "longer than 200 characters")
		}
		if hasControl(q) {
			return p, bad("q", "filter", "contains control characters")
		}
		if spec.SearchColumn == "" {
			return p, bad("q", "parameter", "this list has no search")
		}
		p.Q = q
	}
	if s := v.Get("sort"); s != "" {
		if _, ok := spec.Sorts[s]; !ok {
			return p, bad("sort", "sort", "unknown sort field; allowed: "+strings.Join(sortNames(spec), ", "))
		}
		p.Sort = s
	}
	switch o := v.Get("order"); o {
	case "", "asc", "desc":
		if o != "" {
			p.Order = o
		}
	default:
		return p, bad("order", "order", "must be asc or desc")
	}
	if p.Sort == "" {
		p.Sort, p.Order = spec.DefaultSort, spec.DefaultOrder
		if v.Get("order") != "" {
			p.Order = v.Get("order")
		}
	}
	if s := v.Get("page"); s != "" {
		if p.Page, err = strconv.Atoi(s); err != nil || p.Page < 1 || p.Page > MaxPage {
			return p, bad("page", "page", "must be a whole number from 1 to 10000000")
		}
	}
	if s := v.Get("page_size"); s != "" {
		if p.PageSize, err = strconv.Atoi(s); err != nil || p.PageSize < 1 || p.PageSize > MaxPageSize {
			return p, bad("page_size", "pageSize", "must be a whole number from 1 to 200")
		}
	}
	for _, k := range keys {
		f, ok := spec.Filters[k]
		if !ok || v.Get(k) == "" {
			continue
		}
		val, err := parseValue(f.Type, f.Values, v.Get(k))
		if err != nil {
			return p, bad(k, "filter", err.Error())
		}
		op := f.Op
		if op == "" {
			op = "="
		}
		p.Conds = append(p.Conds, Cond{Param: k, Column: f.Column, Op: op, Value: val})
	}
	p.fp = fingerprint(p)
	if s := v.Get("cursor"); s != "" {
		c, err := decodeCursor(s, spec.Sorts[p.Sort].Type)
		if err != nil {
			return p, bad("cursor", "cursor", "malformed cursor")
		}
		if c.FP == p.fp && c.Page == p.Page {
			p.Cursor = &c
		} // a cursor of another view is ignored: the page number decides
	}
	return p, nil
}

// malformedParam names the parameter whose pair url.ParseQuery refused (a ';', a bad
// %-escape), so the 400 points at it; "query" when the name itself is broken.
func malformedParam(raw string) string {
	for _, pair := range strings.Split(raw, "&") {
		key, val, _ := strings.Cut(pair, "=")
		_, verr := url.QueryUnescape(val)
		if verr == nil && !strings.Contains(pair, ";") {
			continue
		}
		if k, err := url.QueryUnescape(key); err == nil && k != "" && !strings.Contains(k, ";") && utf8.ValidString(k) {
			return k
		}
		return "query"
	}
	return "query"
}

func sortNames(spec Spec) []string {
	n := make([]string, 0, len(spec.Sorts))
	for k := range spec.Sorts {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

type valueErr string

func (e valueErr) Error() string { return string(e) }

func parseValue(t Type, enum []string, s string) (any, error) {
	switch t {
	case Bool:
		switch s {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, valueErr("must be true or false")
	case UUID:
		u, err := uuid.Parse(s)
		if err != nil {
			return nil, valueErr("must be a UUID")
		}
		return u.String(), nil
	case Time:
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, valueErr("must be an RFC 3339 time such as 2026-01-02T15:04:05Z")
		}
		return tm.UTC(), nil
	case Int:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, valueErr("must be a whole number")
		}
		return n, nil
	case Enum:
		for _, e := range enum {
			if e == s {
				return s, nil
			}
		}
		return nil, valueErr("must be one of " + strings.Join(enum, ", "))
	default:
		if utf8.RuneCountInString(s) > MaxQueryLen {
			return nil, valueErr("longer than 200 characters")
		}
		if hasControl(s) { // PostgreSQL refuses a NUL in text: a 400 here, not a 500 there
			return nil, valueErr("contains control characters")
		}
		return s, nil
	}
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
}

func fingerprint(p Params) string {
	h := sha256.New()
	h.Write([]byte(p.Q + "\x00" + p.Sort + "\x00" + p.Order + "\x00" + strconv.Itoa(p.PageSize)))
	for _, c := range p.Conds {
		b, _ := json.Marshal(c.Value)
		h.Write([]byte("\x00" + c.Param + "=" + string(b)))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func decodeCursor(s string, t Type) (Cursor, error) {
	var c Cursor
	if len(s) > 2048 {
		return c, valueErr("too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, err
	}
	if _, err := uuid.Parse(c.ID); err != nil {
		return c, err
	}
	// The key value must have the sort column's type so it binds safely.
	switch t {
	case Time:
		str, ok := c.Val.(string)
		if !ok {
			return c, valueErr("bad value")
		}
		tm, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return c, err
		}
		c.Val = tm.UTC()
	case Bool:
		if _, ok := c.Val.(bool); !ok {
			return c, valueErr("bad value")
		}
	case Int:
		f, ok := c.Val.(float64)
		if !ok {
			return c, valueErr("bad value")
		}
		c.Val = int64(f)
	default:
		if s, ok := c.Val.(string); !ok || strings.ContainsRune(s, 0) {
			return c, valueErr("bad value")
		}
	}
	return c, nil
}

// Page is the response of every list endpoint.
type Page[T any] struct {
	Items       []T   `json:"items"`
	Total       int64 `json:"total"`
	TotalCapped bool  `json:"total_capped"`
	// TotalEstimated: total is the database's estimate (rounded to two significant
	// digits), not a count — a search matched so many rows that counting them would
	// cost more than the page; clients show it as "about N".
	TotalEstimated bool   `json:"total_estimated"`
	Page           int    `json:"page"`
	PageSize       int    `json:"page_size"`
	NextCursor     string `json:"next_cursor,omitempty"`
	PrevCursor     string `json:"prev_cursor,omitempty"`
}

// Map converts the items of a page.
func Map[T, U any](p Page[T], f func(T) U) Page[U] {
	out := Page[U]{Items: make([]U, len(p.Items)), Total: p.Total, TotalCapped: p.TotalCapped,
		TotalEstimated: p.TotalEstimated, Page: p.Page,
		PageSize: p.PageSize, NextCursor: p.NextCursor, PrevCursor: p.PrevCursor}
	for i, it := range p.Items {
		out.Items[i] = f(it)
	}
	return out
}

// SearchText builds the lower-cased text a resource is searched by. Go's case folding
// covers Cyrillic, which SQLite's LOWER() does not, so both databases behave alike.
func SearchText(parts ...string) string {
	return strings.ToLower(strings.Join(parts, "\x1f"))
}
