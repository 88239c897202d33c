package authz_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// A system's allowed services alone decide: no group of anyone's widens or narrows them.
func TestSystemPrincipalHoldsExactlyItsAllowedServices(t *testing.T) {
	t.Parallel()
	d := testutil.NewDB(t, db.SQLite)
	a, err := authz.New(d)
	assert.NoError(t, err)
	p := &authz.Principal{Kind: authz.KindSystem, SystemID: "s1", Scopes: []string{authz.StatsRead},
		Groups: []string{"tech_admins"}}
	assert.True(t, a.Permits(p, authz.StatsRead))
	assert.False(t, a.Permits(p, authz.UsersRead), "a group on a system principal grants nothing")
	assert.Equal(t, []string{authz.StatsRead}, a.Effective(p))
}
