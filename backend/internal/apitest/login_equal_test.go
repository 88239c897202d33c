package apitest

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// keys returns the sorted top-level keys of a JSON object answer.
func keys(r *testutil.Resp) []string {
	m, _ := r.JSON.(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestWithLDAPTheLoginFormDoesNotTellLocalAccountsApart(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		ldapProvider(t, admin, srv, nil, map[string]any{"allow_user_creation": true, "base_group_ids": []string{testutil.GroupID(t, a, "users")}})
		testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "localonly", "password": "Quiet-lantern-58"})

		try := func(name string) (*testutil.Resp, int64) {
			before := a.PasswordChecks()
			r := testutil.Login(a, name, "not-the-password")
			return r, a.PasswordChecks() - before
		}
		local, localChecks := try("localonly")
		unknown, unknownChecks := try("nobody-anywhere")
		for name, r := range map[string]*testutil.Resp{"local account": local, "unknown login": unknown} {
			testutil.AssertProblem(t, r, 401, "auth.invalidCredentials")
			assert.Nil(t, testutil.Cookie(r, "custos_session"), name)
		}
		assert.Equal(t, local.Str("title"), unknown.Str("title"))
		assert.Equal(t, local.Str("detail"), unknown.Str("detail"))
		assert.Equal(t, keys(local), keys(unknown), "the same body shape")
		assert.Equal(t, local.Header.Get("Content-Type"), unknown.Header.Get("Content-Type"))
		// Both paths do the same argon2id work: one verification each (the unknown login's
		// against the dummy hash, besides asking the directory).
		assert.Equal(t, int64(1), localChecks)
		assert.Equal(t, int64(1), unknownChecks)
		// And a directory account signing in right also verifies exactly one hash.
		before := a.PasswordChecks()
		require.Equal(t, 200, testutil.Login(a, "alice", "alice-password").Status)
		assert.Equal(t, int64(1), a.PasswordChecks()-before)
	})
}
