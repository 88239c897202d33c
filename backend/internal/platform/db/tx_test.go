package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func count(t *testing.T, d *db.DB, ctx context.Context) int64 {
	t.Helper()
	var n int64
	require.NoError(t, d.Read(ctx).Table("tx_probe").Count(&n).Error)
	return n
}

// The transaction travels in the context: what a store writes with it is seen by reads
// made with it, and by nobody else until the commit; hooks run only after a commit.
func TestTxTravelsInTheContext(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		bg := context.Background()
		require.NoError(t, d.W.Exec("CREATE TABLE tx_probe (id INTEGER PRIMARY KEY)").Error)
		var order []string
		d.OnCommit("probe", func() { order = append(order, "listener") })

		err := d.Tx(bg, func(ctx context.Context) error {
			require.True(t, db.InTx(ctx))
			require.NoError(t, d.Write(ctx).Exec("INSERT INTO tx_probe (id) VALUES (1)").Error)
			assert.Equal(t, int64(1), count(t, d, ctx), "the transaction reads its own write")
			db.AfterCommit(ctx, func() { order = append(order, "after") })
			db.Notify(ctx, "probe")
			assert.Empty(t, order, "nothing runs before the commit")
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"after", "listener"}, order)
		assert.Equal(t, int64(1), count(t, d, bg))

		// A rollback writes nothing and runs no hook.
		order = nil
		boom := errors.New("boom")
		err = d.Tx(bg, func(ctx context.Context) error {
			require.NoError(t, d.Write(ctx).Exec("INSERT INTO tx_probe (id) VALUES (2)").Error)
			db.AfterCommit(ctx, func() { order = append(order, "after") })
			db.Notify(ctx, "probe")
			return boom
		})
		require.ErrorIs(t, err, boom)
		assert.Empty(t, order)
		assert.Equal(t, int64(1), count(t, d, bg))

		// A nested Tx is a savepoint: its failure undoes only its own writes and hooks.
		err = d.Tx(bg, func(ctx context.Context) error {
			require.NoError(t, d.Write(ctx).Exec("INSERT INTO tx_probe (id) VALUES (3)").Error)
			inner := d.Tx(ctx, func(ctx context.Context) error {
				require.NoError(t, d.Write(ctx).Exec("INSERT INTO tx_probe (id) VALUES (4)").Error)
				db.AfterCommit(ctx, func() { order = append(order, "inner") })
				return boom
			})
			require.ErrorIs(t, inner, boom)
			return d.Tx(ctx, func(ctx context.Context) error {
				db.AfterCommit(ctx, func() { order = append(order, "kept") })
				return d.Write(ctx).Exec("INSERT INTO tx_probe (id) VALUES (5)").Error
			})
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"kept"}, order)
		var ids []int
		require.NoError(t, d.R.Table("tx_probe").Order("id").Pluck("id", &ids).Error)
		assert.Equal(t, []int{1, 3, 5}, ids)

		// Code that only makes sense inside a transaction says so outside one.
		_, err = db.TxOf(bg)
		assert.ErrorIs(t, err, db.ErrNoTx)
	})
}
