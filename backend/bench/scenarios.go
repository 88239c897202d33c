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
	"common":    {"postgres": "Casdoor 1M users: common-term search p99 2.0 s"},
	"seek":      {"postgres": "Keycloak 30M users: page 2 took 28 s (keycloak#44860)"},
	"jump":      {"postgres": "Casdoor 1M users: page 40,000 p99 10.9 s"},
	"nofilter":  {"*": "Keycloak /users: 13–17 ms mean at small sizes"},
	"providers": {"*": "Casdoor 100k providers: page 1 p99 347 ms"},
}

// peer returns the peers' figure for a scenario kind on database db.
func peer(kind, db string) string {
	m := peers[kind]
	if v, ok := m[db]; ok {
		return v
	}
	for k, v := range m { // a database name with a suffix ("sqlite+…") takes its base figure
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
	if r.URL == "" { // SQLite: time the plans the server's own statistics give (db.MaintainStats)
		waited, err := WaitSQLiteStats(ctx, r.DataDir, 2*time.Minute)
		if err != nil {
			return out, err
		}
		r.Logf("  the server's ANALYZE wrote sqlite_stat1 %s after /readyz; timing from now", waited.Round(time.Millisecond))
		out = append(out, Single("server's own ANALYZE done (after /readyz; not timed below)", r.DB, r.Rows, waited, 0))
	}
	load := r.loader(ctx, srv, &out)
	const size = 20
	page := max(2, r.Depth/size)
	orc, err := openOracle(r)
	if err != nil {
		return out, err
	}
	defer orc.Close()
	one, err := r.oneLogin(ctx, orc)
	if err != nil {
		return out, err
	}
	// where / order / cols: the same question in plain SQL, for the oracle.
	simple := []struct{ kind, name, query, where, order, cols string }{
		{"first", "(a) first page: active, q=petr, sort=login", "active=true&q=petr&sort=login&order=asc&page=1&page_size=20",
			"active AND search_text LIKE '%petr%'", "login ASC, id ASC", "id, login"},
		{"common", "(b) q=alex (30%) sort=login asc: bunched at front", "q=alex&sort=login&order=asc&page=1&page_size=20",
			"search_text LIKE '%alex%'", "login ASC, id ASC", "id, login"},
		{"common", "(b) q=alex (30%) sort=login desc: bunched at end", "q=alex&sort=login&order=desc&page=1&page_size=20",
			"search_text LIKE '%alex%'", "login DESC, id DESC", "id, login"},
		{"", "(f) one user by login (q=" + one.label + "), sort=login", "q=" + url.QueryEscape(one.login) + "&sort=login&order=asc&page=1&page_size=20",
			"search_text LIKE '%" + one.login + "%'", "login ASC, id ASC", "id, login"},
		{"nofilter", "(e) first page, no filter (created_at desc)", "page=1&page_size=20",
			"", "created_at DESC, id DESC", "id, created_at"},
	}
	for _, s := range simple {
		if err := checked(ctx, srv, usersPath+s.query); err != nil {
			return out, err
		}
		// The engine's first page (its one-scan count-and-page for a search) must be the
		// page plain SQL gives.
		if err := orc.verify(ctx, srv, usersPath+s.query, "users", s.where, s.order, s.cols); err != nil {
			return out, err
		}
		if err := load(s.kind, s.name, usersPath+s.query, r.ListTarget); err != nil {
			return out, err
		}
	}
	// Paging on in a searched view: the capped total comes with the cursor.
	alexPage := max(2, min(50, int(float64(r.Rows)*AlexShare)/size/2))
	if err := r.seek(ctx, srv, usersPath, "(c)", "seek", "q=alex, sort=login", "q=alex&sort=login&order=asc&", alexPage, load); err != nil {
		return out, err
	}
	for _, view := range []struct{ name, query string }{
		{"default sort", ""},
		{"active, sort=login", "active=true&sort=login&order=asc&"},
	} {
		if err := r.seek(ctx, srv, usersPath, "(c)", "seek", view.name, view.query, page, load); err != nil {
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

// login is a search term that finds one user, with how the report names it.
type login struct{ login, label string }

// oneLogin picks the login of one user to search for. On PostgreSQL it is a login
// that ANALYZE put in the histogram of users.search_text: the planner then estimates
// that the search matches 1% of the rows (10,000 at 1M users) and, asked for the first
// page by login, prefers walking the login index and filtering — which, as the term
// matches one row, walks all of it. Searching for one particular person is common; ~100
// users are such values at any time. On SQLite (no histogram) it is any user's login.
func (r Run) oneLogin(ctx context.Context, o *oracle) (login, error) {
	var l string
	if r.URL != "" {
		err := o.db.QueryRowContext(ctx, `SELECT split_part((histogram_bounds::text::text[])[50], chr(31), 1)
			FROM pg_stats WHERE tablename = 'users' AND attname = 'search_text'`).Scan(&l)
		if err == nil && l != "" && !strings.ContainsAny(l, "'%_\\") {
			return login{l, "a login in the planner's histogram"}, nil
		}
	}
	err := o.db.QueryRowContext(ctx, fmt.Sprintf("SELECT login FROM users ORDER BY id LIMIT 1 OFFSET %d", r.Rows/2)).Scan(&l)
	if err == nil && strings.ContainsAny(l, "'%_\\") {
		err = fmt.Errorf("login %q needs escaping", l)
	}
	return login{l, "one user's login"}, err
}

// loader returns the function that times one scenario (path GETs from r.Clients
// clients) and appends its result to out.
func (r Run) loader(ctx context.Context, srv *Server, out *[]Result) func(kind, name, path string, target time.Duration) error {
	return func(kind, name, path string, target time.Duration) error {
		t := time.Now()
		st, err := srv.Load(ctx, path, r.Requests, r.Clients, r.TimeCap)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		res := Latency(name, r.DB, r.Rows, st, target)
		res.Peer = peer(kind, r.DB)
		r.Logf("  %-54s n=%d p50=%s p99=%s max=%s (%s, load %s)", name, st.N, Ms(st.P50), Ms(st.P99), Ms(st.Max),
			time.Since(t).Round(time.Millisecond), res.Load)
		*out = append(*out, res)
		return nil
	}
}

// checked fails unless path answers a non-empty page (the data is as intended).
func checked(ctx context.Context, srv *Server, path string) error {
	p, err := srv.GetPage(ctx, path)
	if err == nil && len(p.Items) == 0 {
		err = fmt.Errorf("GET %s: empty page", path)
	}
	return err
}

// seek gets the cursors of a deep page of the list at base once by page number (the
// offset path), checks that the cursor pages equal the offset pages, then times the
// next and previous pages through their cursors (the seek path). tag prefixes the
// scenario names; kind picks the peers' figure.
func (r Run) seek(ctx context.Context, srv *Server, base, tag, kind, view, query string, page int,
	load func(kind, name, path string, target time.Duration) error) error {
	at := func(p int) string { return base + query + "page=" + strconv.Itoa(p) + "&page_size=20" }
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
	if err := load(kind, fmt.Sprintf("%s next page @ row %s, %s (seek)", tag, depth, view), next, r.ListTarget); err != nil {
		return err
	}
	return load(kind, fmt.Sprintf("%s prev page @ row %s, %s (seek)", tag, depth, view), prev, r.ListTarget)
}
