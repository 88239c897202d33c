package identity_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// requireCode asserts err is our error with code and, when field is set, that field's code.
func requireCode(t *testing.T, err error, code, field, fieldCode string) {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "want an apperr, got %v", err)
	assert.Equal(t, code, e.Code)
	if field != "" {
		require.Len(t, e.Fields, 1)
		assert.Equal(t, field, e.Fields[0].Field)
		assert.Equal(t, fieldCode, e.Fields[0].Code)
	}
}

// The stores turn the database's refusals into our errors, alike on both databases:
// what a service's checks catch first, a write racing past them meets here.
func TestStoreTranslatesRefusals(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		st := identity.NewStores(d)
		typeID, err := st.CreateUserType(ctx, "staff")
		require.NoError(t, err)
		_, err = st.CreateUserType(ctx, "staff")
		requireCode(t, err, "validation.failed", "code", "taken")

		id, err := st.CreateUser(ctx, "ann", &typeID)
		require.NoError(t, err)
		_, err = st.CreateUser(ctx, "ann", nil)
		requireCode(t, err, "validation.failed", "login", "taken")
		missing := uuid.NewString()
		_, err = st.CreateUser(ctx, "bob", &missing)
		requireCode(t, err, "validation.failed", "user_type_id", "notFound")

		requireCode(t, st.SetGroups(ctx, id, []string{uuid.NewString()}), "validation.failed", "group_ids", "notFound")
		requireCode(t, st.DeleteUserType(ctx, typeID), "userType.inUse", "", "")

		_, err = st.GetUser(ctx, uuid.NewString())
		requireCode(t, err, "resource.notFound", "", "")
		_, err = st.GetUser(ctx, "not-a-uuid")
		requireCode(t, err, "resource.notFound", "", "")

		requireCode(t, st.UpdateUser(ctx, id, 7), "resource.versionConflict", "", "")
		require.NoError(t, st.UpdateUser(ctx, id, 1))
		u, err := st.GetUser(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, 2, u.Version)

		requireCode(t, st.SetAccessType(ctx, identity.Cloud, 99), "resource.versionConflict", "", "")
	})
}
