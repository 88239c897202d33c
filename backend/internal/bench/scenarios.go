package bench

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Run describes the measurement of one database.
type Run struct {
	DB         string // "sqlite" or "postgres"
	Bin        string
	DataDir    string
	URL        string // empty for SQLite
	Rows       int    // users in the table
	Depth      int    // row depth of the next/previous-page and jump scenarios
	ListTarget time.Duration
	JumpTarget time.Duration
	ColdTarget time.Duration // 0 = for information
	RSSTarget  int64
	Requests   int
	Clients    int
	TimeCap    time.Duration
	IdleWait   time.Duration
	Logf       func(format string, args ...any)
}

const usersPath = "/api/v1/users?"

// Peers' figures from SPEC §9, by scenario kind; postgres figures are at 1M users.
var peers = map[string]map[string]string{
	"cold": {"sqlite": "Casdoor: 1.2 s empty, 5.1 s with 100k providers"},
	"rss":  {"*": "Keycloak 1,250 MB/pod; Casdoor 120 MB empty, 278 MB with 100k providers"},
	"first": {"postgres": "Casdoor 1M users, 4 clients: page 1 p99 921 ms",
		"sqlite": "Casdoor 100k providers: page 1 p99 347 ms"},
	"common":   {"postgres": "Casdoor 1M users: common-term search p99 2.0 s"},
	"seek":     {"postgres": "Keycloak 30M users: page 2 took 28 s (keycloak#44860)"},
	"jump":     {"postgres": "Casdoor 1M users: page 40,000 p99 10.9 s"},
	"nofilter": {"*": "Keycloak /users: 13–17 ms mean at small sizes"},
}

// peer returns the peers' figure for a scenario kind on database db.
func peer(kind, db string) string {
	m := peers[kind]
	if v, ok := m[db]; ok {
		return v
	}
	for k, v := range m { // "sqlite+analyze" takes the sqlite figure
		if k != "*" && strings.HasPrefix(db, k) {
			return v
		}
	}
	return m["*"]
}

// Measure starts the server, runs every list scenario, reads the idle RSS and stops
// the server. It returns the results gathered so far together with any error.
func (r Run) Measure(ctx context.Context) ([]Result, error) {
	srv, err := StartServer(ctx, r.Bin, r.DataDir, r.URL, r.Clients)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	r.Logf("  server up on %s in %s", srv.Base, srv.ColdStart.Round(time.Millisecond))
	r.Logf("  load average %s", LoadAvg())
	cold := Single("cold start (exec → /readyz 200)", r.DB, r.Rows, srv.ColdStart, r.ColdTarget)
	cold.Peer = peer("cold", r.DB)
	out := []Result{cold}
	if err := srv.Login(ctx); err != nil {
		return out, err
	}
	load := func(kind, name, path string, target time.Duration) error {
		t := time.Now()
		st, err := srv.Load(ctx, path, r.Requests, r.Clients, r.TimeCap)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		res := Latency(name, r.DB, r.Rows, st, target)
		res.Peer = peer(kind, r.DB)
		r.Logf("  %-54s n=%d p50=%s p99=%s max=%s (%s, load %s)", name, st.N, Ms(st.P50), Ms(st.P99), Ms(st.Max),
			time.Since(t).Round(time.Millisecond), res.Load)
		out = append(out, res)
		return nil
	}
	checked := func(path string) error { // the query answers a full page (the data is as intended)
		p, err := srv.GetPage(ctx, path)
		if err == nil && len(p.Items) == 0 {
			err = fmt.Errorf("GET %s: empty page", path)
		}
		return err
	}
	const size = 20
	page := max(2, r.Depth/size)
	simple := []struct{ kind, name, query string }{
		{"first", "(a) first page: active, q=petr, sort=login", "active=true&q=petr&sort=login&order=asc&page=1&page_size=20"},
		{"common", "(b) q=alex (30%) sort=login asc: bunched at front", "q=alex&sort=login&order=asc&page=1&page_size=20"},
		{"common", "(b) q=alex (30%) sort=login desc: bunched at end", "q=alex&sort=login&order=desc&page=1&page_size=20"},
		{"nofilter", "(e) first page, no filter (created_at desc)", "page=1&page_size=20"},
	}
	for _, s := range simple {
		if err := checked(usersPath + s.query); err != nil {
			return out, err
		}
		if err := load(s.kind, s.name, usersPath+s.query, r.ListTarget); err != nil {
			return out, err
		}
	}
	for _, view := range []struct{ name, query string }{
		{"default sort", ""},
		{"active, sort=login", "active=true&sort=login&order=asc&"},
	} {
		if err := r.seek(ctx, srv, view.name, view.query, page, load); err != nil {
			return out, err
		}
	}
	jump := usersPath + "page=" + strconv.Itoa(page) + "&page_size=20"
	if err := load("jump", fmt.Sprintf("(d) jump to page %d (offset %s)", page, Count((page-1)*size)), jump, r.JumpTarget); err != nil {
		return out, err
	}
	r.Logf("  idle %s before reading RSS", r.IdleWait)
	select {
	case <-time.After(r.IdleWait):
	case <-ctx.Done():
		return out, ctx.Err()
	}
	rss, err := srv.RSS()
	if err != nil {
		return out, err
	}
	mem := Memory("idle RSS after the runs", r.DB, r.Rows, rss, r.RSSTarget)
	mem.Peer = peer("rss", r.DB)
	out = append(out, mem)
	return out, nil
}

// seek gets the cursors of a deep page once by page number (the offset path), checks
// that the cursor pages equal the offset pages, then times the next and previous
// pages through their cursors (the seek path).
func (r Run) seek(ctx context.Context, srv *Server, view, query string, page int,
	load func(kind, name, path string, target time.Duration) error) error {
	at := func(p int) string { return usersPath + query + "page=" + strconv.Itoa(p) + "&page_size=20" }
	deep, err := srv.GetPage(ctx, at(page))
	if err != nil {
		return err
	}
	if deep.NextCursor == "" || deep.PrevCursor == "" {
		return fmt.Errorf("page %d of %q has no cursors (items %d)", page, view, len(deep.Items))
	}
	next := at(page+1) + "&cursor=" + url.QueryEscape(deep.NextCursor)
	prev := at(page-1) + "&cursor=" + url.QueryEscape(deep.PrevCursor)
	for _, c := range []struct{ seek, offset string }{{next, at(page + 1)}, {prev, at(page - 1)}} {
		a, err := srv.GetPage(ctx, c.seek)
		if err != nil {
			return err
		}
		b, err := srv.GetPage(ctx, c.offset)
		if err != nil {
			return err
		}
		if len(a.Items) == 0 || !slices.Equal(a.IDs(), b.IDs()) {
			return fmt.Errorf("%s: the cursor page differs from the offset page (%d vs %d items)", view, len(a.Items), len(b.Items))
		}
	}
	depth := Count(page * 20)
	if err := load("seek", fmt.Sprintf("(c) next page @ row %s, %s (seek)", depth, view), next, r.ListTarget); err != nil {
		return err
	}
	return load("seek", fmt.Sprintf("(c) prev page @ row %s, %s (seek)", depth, view), prev, r.ListTarget)
}
