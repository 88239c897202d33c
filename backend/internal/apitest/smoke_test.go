package apitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestSignInAndCreateUser(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		c := a.Admin()
		r := c.Do("POST", "/api/v1/users", map[string]any{"login": "Olga", "display_name": "Ольга Смирнова"})
		require.Equal(t, 201, r.Status, r.String())
		assert.Equal(t, "olga", r.Str("login"))
		r = c.Do("GET", "/api/v1/users?q=%D0%A1%D0%9C%D0%98%D0%A0%D0%9D", nil) // "СМИРН" upper-case Cyrillic
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 1.0, r.Num("total"))
		assert.Equal(t, "olga", r.Str("items.0.login"))
	})
}
