package crypto_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/crypto"
)

func TestHashersOfEitherCostVerifyEachOther(t *testing.T) {
	ctx := context.Background()
	prod, cheap := crypto.NewHasher(1), crypto.NewHasherWithParams(1, 64, 1)
	h, err := cheap.Hash(ctx, "correct horse")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$"), h)
	p, err := prod.Hash(ctx, "correct horse")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(p, "$argon2id$v=19$m=19456,t=2,p=1$"), p)
	for _, hh := range []*crypto.Hasher{prod, cheap} {
		for _, enc := range []string{h, p} {
			ok, err := hh.Verify(ctx, enc, "correct horse")
			require.NoError(t, err)
			assert.True(t, ok)
			ok, err = hh.Verify(ctx, enc, "wrong horse")
			require.NoError(t, err)
			assert.False(t, ok)
		}
	}
	// The dummy hash has the hasher's own cost, and no password matches it.
	assert.Equal(t, crypto.DummyHash, prod.Dummy())
	assert.True(t, strings.HasPrefix(cheap.Dummy(), "$argon2id$v=19$m=64,t=1,p=1$"), cheap.Dummy())
	for _, pw := range []string{"", "correct horse"} {
		ok, err := cheap.Verify(ctx, cheap.Dummy(), pw)
		require.NoError(t, err)
		assert.False(t, ok)
	}
	assert.Equal(t, int64(6), cheap.Verifications())
}
