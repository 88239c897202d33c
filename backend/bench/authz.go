package bench

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
)

// AuthzFixture is an Authorizer over a migrated SQLite database holding the system
// groups' policies plus Policies extra casbin_rule rows spread over Groups groups.
type AuthzFixture struct {
	A        *authz.Authorizer
	Policies int      // policies loaded, system groups included
	Groups   []string // the caller's three groups
	Allow    string   // a permission every one of Groups holds: the first look-up decides
	Deny     string   // a permission none of Groups holds: every group is looked at
	d        *db.DB
}

// NewAuthzFixture builds the fixture in dir (a temporary directory).
func NewAuthzFixture(dir string, policies, groups int) (*AuthzFixture, error) {
	ctx := context.Background()
	d, err := open(ctx, "", dir)
	if err != nil {
		return nil, err
	}
	if groups*len(authz.All) < policies {
		return nil, fmt.Errorf("%d groups cannot hold %d distinct policies", groups, policies)
	}
	// Rule i gives group i%groups the permission i/groups: low-numbered groups get one
	// more permission than the others, every (group, permission) pair is distinct.
	rules := make([]authz.CasbinRule, 0, policies)
	for i := 0; i < policies; i++ {
		obj, act := authz.Split(authz.All[i/groups])
		rules = append(rules, authz.CasbinRule{Ptype: "p", V0: fmt.Sprintf("grp_%04d", i%groups), V1: obj, V2: act})
	}
	if err := d.W.CreateInBatches(rules, 500).Error; err != nil {
		_ = d.Close()
		return nil, err
	}
	a, err := authz.New(d)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	if err := a.Reload(ctx); err != nil {
		_ = d.Close()
		return nil, err
	}
	var n int64
	if err := d.W.Table("casbin_rule").Where("ptype = ?", "p").Count(&n).Error; err != nil {
		_ = d.Close()
		return nil, err
	}
	// The top permission index went to groups 0..policies%groups-1 only: a caller in
	// three higher-numbered groups lacks it, so asking for it visits every group.
	last := (policies - 1) / groups
	f := &AuthzFixture{A: a, Policies: int(n), d: d,
		Groups: []string{fmt.Sprintf("grp_%04d", groups/3), fmt.Sprintf("grp_%04d", groups*2/3), fmt.Sprintf("grp_%04d", groups-1)},
		Allow:  authz.All[0], Deny: authz.All[last]}
	if !a.Allowed(f.Groups, f.Allow) || a.Allowed(f.Groups, f.Deny) {
		_ = d.Close()
		return nil, fmt.Errorf("authz fixture: %d policies over %d groups leave no denied permission for %v", policies, groups, f.Groups)
	}
	return f, nil
}

// Close releases the database.
func (f *AuthzFixture) Close() error { return f.d.Close() }

// BenchAllowed times Authorizer.Allowed for the three-group caller: perm is f.Allow
// or f.Deny.
func (f *AuthzFixture) BenchAllowed(perm string) func(b *testing.B) {
	want := perm == f.Allow
	return func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if f.A.Allowed(f.Groups, perm) != want {
				b.Fatal("wrong decision")
			}
		}
	}
}

// BenchEnforce times raw Casbin Enforce for the caller's last group and f.Deny: the
// uncached decision the precomputed sets replace, on its worst (no match) path.
func (f *AuthzFixture) BenchEnforce(b *testing.B) {
	b.ReportAllocs()
	g := f.Groups[len(f.Groups)-1]
	for b.Loop() {
		ok, err := f.A.Enforce(g, f.Deny)
		if err != nil || ok {
			b.Fatal("wrong decision", err)
		}
	}
}

// P50 measures the median cost of one call of fn: samples timings of batch calls each.
func P50(fn func(), batch, samples int) time.Duration {
	for i := 0; i < batch; i++ { // warm-up
		fn()
	}
	ds := make([]time.Duration, samples)
	for s := range ds {
		t := time.Now()
		for i := 0; i < batch; i++ {
			fn()
		}
		ds[s] = time.Since(t) / time.Duration(batch)
	}
	slices.Sort(ds)
	return Percentile(ds, 0.5)
}

// MeasureAuthz builds a fixture with policies rules over groups groups in dir and
// returns the report lines: Allowed (deny and allow paths) and raw Casbin Enforce.
func MeasureAuthz(dir string, policies, groups int, target time.Duration) ([]Result, error) {
	f, err := NewAuthzFixture(dir, policies, groups)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows := fmt.Sprintf("%s policies", Count(f.Policies))
	var out []Result
	for _, c := range []struct{ name, perm string }{{"deny (every group looked at)", f.Deny}, {"allow (first group)", f.Allow}} {
		res := testing.Benchmark(f.BenchAllowed(c.perm))
		perm := c.perm
		p50 := P50(func() { f.A.Allowed(f.Groups, perm) }, 1000, 2000)
		out = append(out, Result{Scenario: "(g) authz Allowed, 3 groups, " + c.name, DB: "-", Rows: rows, N: res.N,
			P50: Ms(p50), P99: Ms(time.Duration(res.NsPerOp())) + " mean", Target: "p50 < " + Ms(target),
			Verdict: verdict(p50 < target), Load: load1(), Peer: "uncached Casbin here: 7.5 ms at 10,000 rules"})
	}
	res := testing.Benchmark(f.BenchEnforce)
	g := f.Groups[len(f.Groups)-1]
	p50 := P50(func() { _, _ = f.A.Enforce(g, f.Deny) }, 1, 200)
	out = append(out, Result{Scenario: "(g) raw Casbin Enforce, deny (comparison)", DB: "-", Rows: rows, N: res.N,
		P50: Ms(p50), P99: Ms(time.Duration(res.NsPerOp())) + " mean", Verdict: "-", Load: load1(),
		Peer: "uncached Casbin here: 7.5 ms at 10,000 rules"})
	return out, nil
}
