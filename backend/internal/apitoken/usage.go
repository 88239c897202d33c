package apitoken

import (
	"context"
	"sync"
	"time"

	"custos/internal/platform/worker"
)

// FlushInterval is how often the last-used times gathered in memory are written.
const FlushInterval = 5 * time.Second

type use struct {
	At time.Time
	IP string
}

// usage gathers the last use of each token in memory, so a request made with a
// token costs a map write instead of a database write; Flush writes them in one
// transaction every few seconds and once more on shutdown.
type usage struct {
	mu sync.Mutex
	m  map[string]use
}

func newUsage() *usage { return &usage{m: map[string]use{}} }

func (u *usage) touch(id, ip string, at time.Time) {
	u.mu.Lock()
	if cur, ok := u.m[id]; !ok || cur.At.Before(at) {
		u.m[id] = use{At: at, IP: ip}
	}
	u.mu.Unlock()
}

// take returns the pending uses and starts a new batch.
func (u *usage) take() map[string]use {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.m) == 0 {
		return nil
	}
	out := u.m
	u.m = map[string]use{}
	return out
}

// putBack returns a batch that could not be written, keeping any later use.
func (u *usage) putBack(batch map[string]use) {
	for id, v := range batch {
		u.touch(id, v.IP, v.At)
	}
}

// peek returns the pending use of a token (reads show it before it is flushed).
func (u *usage) peek(id string) (use, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	v, ok := u.m[id]
	return v, ok
}

// overlay puts a pending, later use into t.
func (u *usage) overlay(t *Token) {
	if v, ok := u.peek(t.ID); ok && (t.LastUsedAt == nil || t.LastUsedAt.Before(v.At)) {
		at := v.At
		t.LastUsedAt, t.LastUsedIP = &at, v.IP
	}
}

// Flush writes the last-used times gathered since the previous flush.
func (s *Service) Flush(ctx context.Context) error {
	batch := s.usage.take()
	if len(batch) == 0 {
		return nil
	}
	if err := s.store.touch(ctx, batch); err != nil {
		s.usage.putBack(batch)
		return err
	}
	return nil
}

// UsageJob writes the last-use times gathered in memory every FlushInterval, and a last
// time at shutdown, so a graceful stop loses no use.
func (s *Service) UsageJob() worker.Job {
	return worker.Job{Name: "token last-use flush", Every: FlushInterval, Run: s.Flush, Final: s.Flush}
}
