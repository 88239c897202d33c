package authz_test

import (
	"testing"

	"custos/bench"
)

// The SPEC §9 target: a decision under 20 µs p50 at 10,000 policies. The fixture
// (shared with cmd/custos-bench) adds 10,000 casbin_rule rows over 700 groups to a
// migrated SQLite database and reloads the Authorizer; the caller is in three groups.

func newFixture(b *testing.B) *bench.AuthzFixture {
	b.Helper()
	f, err := bench.NewAuthzFixture(b.TempDir(), 10_000, 700)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = f.Close() })
	return f
}

// BenchmarkAllowed10k times the precomputed decision on its worst path (a permission
// none of the caller's groups holds, so every group is looked at) and on a hit.
func BenchmarkAllowed10k(b *testing.B) {
	f := newFixture(b)
	b.Run("deny", f.BenchAllowed(f.Deny))
	b.Run("allow", f.BenchAllowed(f.Allow))
}

// BenchmarkCasbinEnforce10k times raw Casbin Enforce over the same policies, for comparison.
func BenchmarkCasbinEnforce10k(b *testing.B) {
	f := newFixture(b)
	b.Run("deny", f.BenchEnforce)
}
