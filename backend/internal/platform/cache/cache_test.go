package cache_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"custos/internal/platform/cache"
)

// A value read before a Drop is not stored after it: the change that dropped the cache
// would otherwise be undone by a slow reader.
func TestAStaleFillIsNotStored(t *testing.T) {
	c := cache.New[int](10)
	_, ok, gen := c.Get("k")
	assert.False(t, ok)
	c.Drop()
	c.Put("k", 1, gen)
	_, ok, _ = c.Get("k")
	assert.False(t, ok, "filled with a value read before the drop")
	_, _, gen = c.Get("k")
	c.Put("k", 2, gen)
	v, ok, _ := c.Get("k")
	assert.True(t, ok)
	assert.Equal(t, 2, v)
}

func TestAFullCacheStartsOver(t *testing.T) {
	c := cache.New[int](2)
	for i, k := range []string{"a", "b", "c"} {
		_, _, gen := c.Get(k)
		c.Put(k, i, gen)
	}
	_, okA, _ := c.Get("a")
	v, okC, _ := c.Get("c")
	assert.False(t, okA)
	assert.True(t, okC)
	assert.Equal(t, 2, v)
}
