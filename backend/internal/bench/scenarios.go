package bench

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
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

// Measure starts the server, runs every list scenario, reads the idle RSS and stops
// the server. It returns the results gathered so far together with any error.
func (r Run) Measure(ctx context.Context) ([]Result, error) {
	srv, err := StartServer(ctx, r.Bin, r.DataDir, r.URL, r.Clients)
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	r.Logf("  server up on %s in %s", srv.Base, srv.ColdStart.Round(time.Millisecond))
	out := []Result{Single("cold start (exec → /readyz 200)", r.DB, r.Rows, srv.ColdStart, r.ColdTarget)}
	if err := srv.Login(ctx); err != nil {
		return out, err
	}
	load := func(name, path string, target time.Duration) error {
		t := time.Now()
		st, err := srv.Load(ctx, path, r.Requests, r.Clients, r.TimeCap)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r.Logf("  %-52s n=%d p50=%s p99=%s max=%s (%s)", name, st.N, Ms(st.P50), Ms(st.P99), Ms(st.Max),
			time.Since(t).Round(time.Millisecond))
		out = append(out, Latency(name, r.DB, r.Rows, st, target))
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
	simple := []struct{ name, query string }{
		{"(a) first page: active, q=petr, sort=login", "active=true&q=petr&sort=login&order=asc&page=1&page_size=20"},
		{"(b) q=alex (30%) sort=login asc: bunched at front", "q=alex&sort=login&order=asc&page=1&page_size=20"},
		{"(b) q=alex (30%) sort=login desc: bunched at end", "q=alex&sort=login&order=desc&page=1&page_size=20"},
		{"(e) first page, no filter (created_at desc)", "page=1&page_size=20"},
	}
	for _, s := range simple {
		if err := checked(usersPath + s.query); err != nil {
			return out, err
		}
		if err := load(s.name, usersPath+s.query, r.ListTarget); err != nil {
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
	if err := load(fmt.Sprintf("(d) jump to page %d (offset %s)", page, Count((page-1)*size)), jump, r.JumpTarget); err != nil {
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
	out = append(out, Memory("idle RSS after the runs", r.DB, r.Rows, rss, r.RSSTarget))
	return out, nil
}

// seek gets the cursors of a deep page once by page number (the offset path), checks
// that the cursor pages equal the offset pages, then times the next and previous
// pages through their cursors (the seek path).
func (r Run) seek(ctx context.Context, srv *Server, view, query string, page int,
	load func(name, path string, target time.Duration) error) error {
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
	if err := load(fmt.Sprintf("(c) next page @ row %s, %s (seek)", depth, view), next, r.ListTarget); err != nil {
		return err
	}
	return load(fmt.Sprintf("(c) prev page @ row %s, %s (seek)", depth, view), prev, r.ListTarget)
}
