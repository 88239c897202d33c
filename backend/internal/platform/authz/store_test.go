package authz_test

import (
	"os"
	"sort"
	"testing"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

type batchAdapter interface {
	persist.Adapter
	persist.BatchAdapter
}

func newAdapter(t *testing.T, d *db.DB) batchAdapter {
	t.Helper()
	ad, err := authz.NewAdapter(d)
	require.NoError(t, err)
	return ad.(batchAdapter)
}

// loaded is what a fresh model holds after LoadPolicy: the stored policies, sorted.
func loaded(t *testing.T, ad persist.Adapter) [][]string {
	t.Helper()
	m, err := model.NewModelFromString(authz.ModelText)
	require.NoError(t, err)
	require.NoError(t, ad.LoadPolicy(m))
	rules, err := m.GetPolicy("p", "p")
	require.NoError(t, err)
	sort.Slice(rules, func(i, j int) bool { return key(rules[i]) < key(rules[j]) })
	return rules
}

func key(r []string) string {
	s := ""
	for _, v := range r {
		s += v + "\x00"
	}
	return s
}

func has(rules [][]string, want ...string) bool {
	for _, r := range rules {
		if key(r) == key(want) {
			return true
		}
	}
	return false
}

// TestCasbinRuleStore: our adapter reads the policies the migrations wrote to
// casbin_rule (the gorm-adapter's table and columns, so existing databases keep them)
// and adds, removes and saves rules there, on SQLite and PostgreSQL.
func TestCasbinRuleStore(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		ad := newAdapter(t, d)
		count := func() int64 {
			var n int64
			require.NoError(t, d.W.Table("casbin_rule").Count(&n).Error)
			return n
		}
		seeded := count()
		rules := loaded(t, ad)
		require.Len(t, rules, int(seeded), "every seeded row is loaded")
		assert.True(t, has(rules, "auditors", "audit", "read"))
		assert.True(t, has(rules, "users", "selfservice", "use"))
		assert.False(t, has(rules, "administrators", "settings", "write"))

		// The Authorizer decides from them.
		a, err := authz.New(d)
		require.NoError(t, err)
		ok, err := a.Enforce("auditors", authz.AuditRead)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.False(t, a.Allowed([]string{"auditors"}, authz.UsersWrite))

		// Add and remove, one and in batches.
		require.NoError(t, ad.AddPolicy("p", "p", []string{"helpdesk", "users", "read"}))
		require.NoError(t, ad.AddPolicies("p", "p", [][]string{{"helpdesk", "users", "write"}, {"helpdesk", "devices", "read"},
			{"night", "devices", "read"}}))
		assert.Equal(t, seeded+4, count())
		rules = loaded(t, ad)
		assert.True(t, has(rules, "helpdesk", "users", "write"))
		assert.True(t, has(rules, "night", "devices", "read"))
		assert.Error(t, ad.AddPolicies("p", "p", [][]string{{"late", "users", "read"}, {"helpdesk", "users", "read"}}),
			"a duplicate is refused by the unique index")
		assert.Equal(t, seeded+4, count(), "a refused batch writes none of its rules")

		require.NoError(t, ad.RemovePolicy("p", "p", []string{"helpdesk", "users", "write"}))
		require.NoError(t, ad.RemovePolicy("p", "p", []string{"helpdesk", "users"}), "a shorter rule matches nothing")
		assert.False(t, has(loaded(t, ad), "helpdesk", "users", "write"))
		assert.Equal(t, seeded+3, count())

		// Filtered removal: an empty value matches anything.
		require.NoError(t, ad.RemoveFilteredPolicy("p", "p", 1, "devices", "read"))
		rules = loaded(t, ad)
		assert.False(t, has(rules, "night", "devices", "read"))
		assert.False(t, has(rules, "helpdesk", "devices", "read"))
		assert.True(t, has(rules, "helpdesk", "users", "read"))
		assert.False(t, has(rules, "operators", "devices", "read"), "the seeded rule matched the filter too")
		require.NoError(t, ad.RemoveFilteredPolicy("p", "p", 0, "helpdesk"))
		assert.False(t, has(loaded(t, ad), "helpdesk", "users", "read"))
		assert.Error(t, ad.RemoveFilteredPolicy("p", "p", 5, "a", "b"), "only v0..v5 are stored")

		// An enforcer with auto-save writes through the adapter.
		m, err := model.NewModelFromString(authz.ModelText)
		require.NoError(t, err)
		e, err := casbin.NewEnforcer(m, ad)
		require.NoError(t, err)
		added, err := e.AddPolicy("helpdesk", "audit", "read")
		require.NoError(t, err)
		require.True(t, added)
		assert.True(t, has(loaded(t, ad), "helpdesk", "audit", "read"))

		// SavePolicy replaces the table with the enforcer's model.
		_, err = e.RemoveFilteredPolicy(0, "auditors")
		require.NoError(t, err)
		before := loaded(t, ad)
		assert.False(t, has(before, "auditors", "audit", "read"), "auto-save removed the rules")
		require.NoError(t, e.SavePolicy())
		assert.Equal(t, before, loaded(t, ad), "saving the same policies changes nothing")
		_, err = e.RemovePolicy("helpdesk", "audit", "read")
		require.NoError(t, err)
		e.EnableAutoSave(false)
		_, err = e.AddPolicy("late", "stats", "read")
		require.NoError(t, err)
		require.NoError(t, e.SavePolicy())
		after := loaded(t, ad)
		assert.True(t, has(after, "late", "stats", "read"))
		assert.False(t, has(after, "helpdesk", "audit", "read"))
		assert.Equal(t, int64(len(after)), count())
	})
}
