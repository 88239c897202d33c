package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"custos/internal/platform/list"
)

// ProviderRun measures the providers list (GET /api/v1/providers, issue 3) at N
// providers on PostgreSQL through the real server: the first page by name, the first
// page filtered by type and searched, the next and previous pages by cursor at half
// the depth (100,000 providers: row 50,000), a jump to that page by number, and the
// cold start and idle RSS with that many providers.
type ProviderRun struct {
	Bin, DataDir string
	AdminURL     string // the PostgreSQL server the run creates its database on
	N            int    // providers seeded besides the local one
	Seed         uint64
	Requests     int
	Clients      int
	TimeCap      time.Duration
	IdleWait     time.Duration
	ListTarget   time.Duration
	JumpTarget   time.Duration
	RSSTarget    int64
	Keep         bool // keep the database (for EXPLAIN ANALYZE)
	Logf         func(string, ...any)
}

const providersPath = "/api/v1/providers?"

// providerKind is one provider type with its share and the products its names use.
type providerKind struct {
	typ      string
	share    float64
	products []string
}

// providerKinds: ldap's share of names containing "freeipa" is what the searched
// scenario finds (type=ldap&q=freeipa: 1/5 of 25%, 5% of the providers); the
// "FreeIPA Kerberos" providers match the search but not the type.
var providerKinds = []providerKind{
	{"oidc", 0.40, []string{"Keycloak", "Okta", "Auth0", "Azure AD", "Google Workspace", "GitLab", "Яндекс ID", "Сбер ID"}},
	{"oidc_token", 0.15, []string{"Keycloak API", "Okta API", "Azure AD API", "Service mesh tokens"}},
	{"oidc_cookie", 0.05, []string{"Gateway SSO", "Ingress SSO"}},
	{"ldap", 0.25, []string{"Active Directory", "OpenLDAP", "FreeIPA", "Samba AD", "389 Directory"}},
	{"ldap_kerberos", 0.05, []string{"AD Kerberos", "FreeIPA Kerberos"}},
	{"rest", 0.10, []string{"HR REST", "CRM REST", "Partner API"}},
}

var providerUnits = []string{"Москва", "Санкт-Петербург", "Казань", "Novosibirsk", "Yekaterinburg", "sales", "finance",
	"partners", "branch", "staging", "prod", "test", "отдел кадров", "filial"}

// providerColumns are the providers columns the seeder writes.
var providerColumns = []string{"id", "name", "name_key", "type", "active", "button_label", "allow_user_creation",
	"user_type_id", "params", "client_secret_sealed", "bind_password_sealed", "mappings", "search_text", "version",
	"created_at", "updated_at"}

// providerRows generates n providers created over the three years before now, in
// creation order. Names are unique (they end in the row number); of the types that
// allow one active provider (SPEC §4.4) only the first of each is active, the others
// 70% active. Parameters are '{}' and mappings '[]', as a provider saved without them.
func providerRows(seed uint64, n int) func(i int) []any {
	r := rand.New(rand.NewPCG(seed, 0x9a0d))
	g := NewGen(seed, n, nil, 0)
	now := time.Now().UTC().Truncate(time.Microsecond)
	span := 3 * 365 * 24 * time.Hour
	step := span / time.Duration(n+1)
	start := now.Add(-span)
	seenActive := map[string]bool{}
	return func(i int) []any {
		p, acc := r.Float64(), 0.0
		k := providerKinds[len(providerKinds)-1]
		for _, c := range providerKinds {
			if acc += c.share; p < acc {
				k = c
				break
			}
		}
		product := k.products[r.IntN(len(k.products))]
		name := product + " " + providerUnits[r.IntN(len(providerUnits))] + " " + strconv.Itoa(i+1)
		active := r.Float64() < 0.7
		if k.typ == "oidc_cookie" || k.typ == "ldap" || k.typ == "ldap_kerberos" {
			active = !seenActive[k.typ]
			seenActive[k.typ] = true
		}
		created := start.Add(time.Duration(i)*step + time.Duration(r.Int64N(int64(step)))).Truncate(time.Microsecond)
		return []any{g.NewID(created), name, strings.ToLower(name), k.typ, active, product, r.IntN(2) == 0, nil,
			"{}", "", "", "[]", list.SearchText(name), 1, created, created}
	}
}

// SeedProviders migrates the (empty) database at dbURL and loads n providers with
// COPY, the providers' secondary indexes dropped for the load and rebuilt afterwards
// (the unique ones then check the names and the one-active rule), then VACUUM ANALYZE.
// The migration's local provider stays; the table then holds n+1 providers.
func SeedProviders(ctx context.Context, dbURL string, n int, seed uint64, logf func(string, ...any)) (time.Duration, error) {
	start := time.Now()
	d, err := open(ctx, dbURL, "")
	if err != nil {
		return 0, err
	}
	_ = d.Close()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	names, defs, err := dropIndexes(ctx, conn, "providers")
	if err != nil {
		return 0, err
	}
	next, i := providerRows(seed, n), 0
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"providers"}, providerColumns, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return next(i - 1), nil
	}))
	if err != nil {
		return 0, fmt.Errorf("copy providers: %w", err)
	}
	logf("  copied %d providers in %s", copied, time.Since(start).Round(time.Millisecond))
	if err := recreateIndexes(ctx, conn, names, defs, logf); err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) providers"); err != nil {
		return 0, fmt.Errorf("vacuum analyze providers: %w", err)
	}
	return time.Since(start), nil
}

// MeasureProviders creates a database on r.AdminURL, seeds it, runs the server on it
// and times the scenarios. It returns the results so far, a note for the report and
// any error; the database is dropped unless r.Keep.
func MeasureProviders(ctx context.Context, r ProviderRun) ([]Result, string, error) {
	name, url, err := CreatePGDatabase(ctx, r.AdminURL)
	if err != nil {
		return nil, "", err
	}
	if r.Keep {
		r.Logf("keeping database %s", url)
	} else {
		defer func() {
			if err := DropPGDatabase(r.AdminURL, name); err != nil {
				r.Logf("drop database %s: %v", name, err)
			}
		}()
	}
	r.Logf("providers: seeding %s providers into database %s", Count(r.N), name)
	took, err := SeedProviders(ctx, url, r.N, r.Seed, r.Logf)
	if err != nil {
		return nil, "", err
	}
	note := fmt.Sprintf("providers: seeded %s providers on postgres in %s (COPY, index rebuild, VACUUM ANALYZE)",
		Count(r.N), took.Round(time.Millisecond))
	r.Logf("%s", note)
	if err := os.MkdirAll(r.DataDir, 0o700); err != nil {
		return nil, note, err
	}
	run := Run{DB: "postgres", Bin: r.Bin, DataDir: r.DataDir, URL: url, Rows: r.N + 1, ListTarget: r.ListTarget,
		JumpTarget: r.JumpTarget, Requests: r.Requests, Clients: r.Clients, TimeCap: r.TimeCap, Logf: r.Logf}
	srv, err := StartServer(ctx, r.Bin, r.DataDir, url, r.Clients)
	if err != nil {
		return nil, note, err
	}
	defer srv.Stop()
	r.Logf("  server up on %s in %s; load average %s", srv.Base, srv.ColdStart.Round(time.Millisecond), LoadAvg())
	cold := Single("(p) cold start with the providers (exec → /readyz 200)", run.DB, run.Rows, srv.ColdStart, 0)
	cold.Peer = "Casdoor: 5.1 s with 100k providers"
	out := []Result{cold}
	if err := srv.Login(ctx); err != nil {
		return out, note, err
	}
	load := run.loader(ctx, srv, &out)
	for _, s := range []struct{ name, query string }{
		{"(p) providers: first page, sort=name", "sort=name&order=asc&page=1&page_size=20"},
		{"(p) providers: first page, type=ldap, q=freeipa, sort=name", "type=ldap&q=freeipa&sort=name&order=asc&page=1&page_size=20"},
	} {
		if err := checked(ctx, srv, providersPath+s.query); err != nil {
			return out, note, err
		}
		if err := load("providers", s.name, providersPath+s.query, run.ListTarget); err != nil {
			return out, note, err
		}
	}
	page := max(2, r.N/2/20)
	if err := run.seek(ctx, srv, providersPath, "(p)", "", "providers by name", "sort=name&order=asc&", page, load); err != nil {
		return out, note, err
	}
	jump := providersPath + "sort=name&order=asc&page=" + strconv.Itoa(page) + "&page_size=20"
	if err := load("", fmt.Sprintf("(p) providers: jump to page %d (offset %s)", page, Count((page-1)*20)), jump,
		run.JumpTarget); err != nil {
		return out, note, err
	}
	r.Logf("  idle %s before reading RSS", r.IdleWait)
	select {
	case <-time.After(r.IdleWait):
	case <-ctx.Done():
		return out, note, ctx.Err()
	}
	rss, err := srv.RSS()
	if err != nil {
		return out, note, err
	}
	mem := Memory("(p) idle RSS after the provider runs", run.DB, run.Rows, rss, r.RSSTarget)
	mem.Peer = "Casdoor 278 MB with 100k providers"
	return append(out, mem), note, nil
}
