package bulk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
)

func direct(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

func TestRunReportsEachIDAndStopsOnlyOnUnknownErrors(t *testing.T) {
	refuse := apperr.New(apperr.KindConflict, "thing.busy", "busy")
	out, err := bulk.Run(context.Background(), []string{"a", "b", "c"}, direct, func(_ context.Context, id string) error {
		if id == "b" {
			return refuse
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []bulk.Result{{ID: "a", OK: true}, {ID: "b", Code: "thing.busy", Message: "busy"}, {ID: "c", OK: true}}, out.Results)

	boom := errors.New("disk on fire")
	_, err = bulk.Run(context.Background(), []string{"a"}, direct, func(context.Context, string) error { return boom })
	assert.ErrorIs(t, err, boom)
}

func TestRunRefusesEmptyAndOversizedListsNamingIDs(t *testing.T) {
	for _, ids := range [][]string{nil, make([]string, bulk.Max+1)} {
		called := false
		_, err := bulk.Run(context.Background(), ids, direct, func(context.Context, string) error { called = true; return nil })
		e, ok := apperr.As(err)
		require.True(t, ok)
		assert.Equal(t, apperr.KindInvalid, e.Kind)
		require.Len(t, e.Fields, 1)
		assert.Equal(t, "ids", e.Fields[0].Field)
		assert.False(t, called)
	}
}
