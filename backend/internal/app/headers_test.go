package app_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// TestHeaderBytesThatAreNotUTF8 — header values are bytes, not text: a User-Agent
// with invalid UTF-8 must neither break a sign-in (PostgreSQL refuses such text) nor
// reach the database as it came.
func TestHeaderBytesThatAreNotUTF8(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		ua := map[string]string{"User-Agent": "curl\xff\xfe/8.0"}
		r := testutil.Raw(t, a, "POST", "/api/v1/auth/login",
			[]byte(`{"login":"tech_admin","password":"`+testutil.AdminPassword+`"}`), ua)
		require.Equal(t, 200, r.Status, r.String())
		var got string
		require.NoError(t, d.R.Table("sessions").Select("user_agent").Order("created_at DESC").Limit(1).Scan(&got).Error)
		assert.Equal(t, "curl\uFFFD/8.0", got)

		r = testutil.Raw(t, a, "POST", "/api/v1/auth/login", []byte(`{"login":"nobody","password":"wrong"}`), ua)
		testutil.AssertProblem(t, r, 401, "auth.invalidCredentials")
	})
}
