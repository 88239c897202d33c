// Package cache is the in-memory look-up cache of credentials (tokens, client
// certificates) that every replica keeps and drops when the change bus says the
// database changed. A generation guards against a stale fill: a value read from the
// database before a Drop is not stored after it.
package cache

import "sync"

// Gen maps keys to values, bounded; when full it starts over (credentials are few; the
// bound only stops a flood of unknown keys from growing it).
type Gen[V any] struct {
	mu  sync.RWMutex
	m   map[string]V
	gen uint64
	max int
}

// New makes a cache of at most max entries.
func New[V any](max int) *Gen[V] { return &Gen[V]{m: map[string]V{}, max: max} }

// Get returns the value of key, whether it is cached, and the generation to hand to Put.
func (c *Gen[V]) Get(key string) (V, bool, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[key]
	return v, ok, c.gen
}

// Put stores v unless the cache was dropped since the Get that returned gen.
func (c *Gen[V]) Put(key string, v V, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.m) >= c.max {
		c.m = map[string]V{}
	}
	c.m[key] = v
}

// Drop forgets everything and starts a new generation.
func (c *Gen[V]) Drop() {
	c.mu.Lock()
	c.m = map[string]V{}
	c.gen++
	c.mu.Unlock()
}
