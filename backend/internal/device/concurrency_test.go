package device_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/device"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// Two editors who loaded the same version: exactly one change lands, the other gets a
// conflict, whatever the interleaving.
func TestConcurrentEditsOfOnePolicy(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		svc, ctx := a.Devices, testutil.Ctx()
		p, err := svc.CreatePolicy(ctx, device.PolicyInput{Name: "Default", Priority: 100})
		require.NoError(t, err)
		const editors = 6
		errs := make([]error, editors)
		var wg sync.WaitGroup
		for i := range editors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.UpdatePolicy(ctx, p.ID, device.PolicyPatch{Version: 1, SecretQuestionsRequired: ptr(i)})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				assert.True(t, apperr.Is(err, "resource.versionConflict"), "%v", err)
			}
		}
		assert.Equal(t, 1, won)
		got, err := svc.GetPolicy(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Version)
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "resource_type = ? AND action = ?", device.ResourcePolicy, "update"))
	})
}
