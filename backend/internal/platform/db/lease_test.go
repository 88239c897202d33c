package db_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// Of replicas claiming a job's lease at the same moment exactly one wins the period;
// the next period is claimable again, by anyone.
func TestOneReplicaWinsAJobPeriod(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const every = 300 * time.Millisecond
		var won atomic.Int32
		var wg sync.WaitGroup
		for _, holder := range []string{"a", "b", "c", "d"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := d.ClaimJob(ctx, "prune", holder, every)
				assert.NoError(t, err)
				if ok {
					won.Add(1)
				}
			}()
		}
		wg.Wait()
		require.Equal(t, int32(1), won.Load(), "one replica runs the pass")
		ok, err := d.ClaimJob(ctx, "prune", "b", every)
		require.NoError(t, err)
		assert.False(t, ok, "the period is taken")
		ok, err = d.ClaimJob(ctx, "sweep", "b", every)
		require.NoError(t, err)
		assert.True(t, ok, "each job has its own lease")
		time.Sleep(every)
		ok, err = d.ClaimJob(ctx, "prune", "b", every)
		require.NoError(t, err)
		assert.True(t, ok, "the next period is free")
		var runs int64
		require.NoError(t, d.R.Raw("SELECT runs FROM job_leases WHERE name = 'prune'").Scan(&runs).Error)
		assert.Equal(t, int64(2), runs)
	})
}
