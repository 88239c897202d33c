package worker_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/worker"
)

type trace struct {
	mu  sync.Mutex
	got []string
}

func (t *trace) add(s string) { t.mu.Lock(); t.got = append(t.got, s); t.mu.Unlock() }
func (t *trace) all() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.got...)
}

// Jobs stop newest first, each after its last pass; a nudge runs a pass at once.
func TestJobsWakeAndStopInReverseOrderWithALastPass(t *testing.T) {
	var tr trace
	wake := make(chan struct{}, 1)
	ran := make(chan struct{}, 10)
	r := worker.New(slog.New(slog.NewTextHandler(io.Discard, nil)), time.Second)
	r.Add(worker.Job{Name: "chain", Every: time.Hour, Wake: wake,
		Run:   func(context.Context) error { ran <- struct{}{}; return nil },
		Final: func(context.Context) error { tr.add("chain final"); return nil }})
	r.Add(worker.Job{Name: "usage", Every: time.Hour, Run: func(context.Context) error { return nil },
		Final: func(context.Context) error { tr.add("usage final"); return nil }})
	r.Start()

	wake <- struct{}{}
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		require.Fail(t, "a nudge did not run a pass")
	}
	r.Stop()
	assert.Equal(t, []string{"usage final", "chain final"}, tr.all())
}

// A failing pass is logged and the job keeps its period.
func TestAFailingPassDoesNotStopTheJob(t *testing.T) {
	passes := make(chan struct{}, 10)
	r := worker.New(slog.New(slog.NewTextHandler(io.Discard, nil)), time.Second)
	r.Add(worker.Job{Name: "flaky", Every: time.Millisecond, Run: func(context.Context) error {
		passes <- struct{}{}
		return assert.AnError
	}})
	r.Start()
	defer r.Stop()
	for i := 0; i < 3; i++ {
		select {
		case <-passes:
		case <-time.After(10 * time.Second):
			require.Fail(t, "the job stopped after a failing pass")
		}
	}
}

// A Once job runs only the passes whose lease this replica wins; other jobs ignore it.
func TestOnceJobRunsOnlyWithItsLease(t *testing.T) {
	var mu sync.Mutex
	grant := map[string]bool{"sweep": false}
	claims := make(chan string, 100)
	r := worker.New(slog.New(slog.NewTextHandler(io.Discard, nil)), time.Second)
	r.Leased(func(_ context.Context, name string, every time.Duration) (bool, error) {
		claims <- name
		mu.Lock()
		defer mu.Unlock()
		return grant[name], nil
	})
	r.Periods(map[string]time.Duration{"sweep": time.Millisecond})
	var swept, flushed atomic.Int32
	r.Add(worker.Job{Name: "sweep", Every: time.Hour, First: time.Hour, Once: true,
		Run: func(context.Context) error { swept.Add(1); return nil }})
	r.Add(worker.Job{Name: "flush", Every: time.Millisecond, Run: func(context.Context) error { flushed.Add(1); return nil }})
	r.Start()
	defer r.Stop()
	for i := 0; i < 3; i++ {
		select {
		case n := <-claims:
			require.Equal(t, "sweep", n, "only Once jobs claim a lease")
		case <-time.After(10 * time.Second):
			require.Fail(t, "the overridden period did not apply")
		}
	}
	assert.Zero(t, swept.Load(), "another replica holds the lease")
	require.Eventually(t, func() bool { return flushed.Load() > 2 }, 10*time.Second, time.Millisecond)
	mu.Lock()
	grant["sweep"] = true
	mu.Unlock()
	require.Eventually(t, func() bool { return swept.Load() > 0 }, 10*time.Second, time.Millisecond)
}
