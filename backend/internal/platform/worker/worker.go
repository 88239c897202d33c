// Package worker runs the server's background jobs: each periodic job in its own
// goroutine, started together and stopped in the reverse order they were added, each
// given a last pass to flush what it holds. Features declare jobs; app adds them.
package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Job is one piece of periodic background work.
type Job struct {
	// Name says what the job does in logs ("audit chain", "token usage flush").
	Name string
	// Every is the period between passes.
	Every time.Duration
	// First is the wait before the first pass (default: Every). Keep start-up cheap.
	First time.Duration
	// Wake, when set, runs a pass at once when it delivers (a nudge after a commit).
	Wake <-chan struct{}
	// Run is one pass. Its error is logged; the job goes on.
	Run func(ctx context.Context) error
	// Final, when set, is the last pass at shutdown, with its own bounded context
	// (flush what is held in memory).
	Final func(ctx context.Context) error
	// Loop, instead of Every/Run, is a job that owns its loop until ctx ends (a
	// connection held in LISTEN).
	Loop func(ctx context.Context)
}

// Runner starts and stops jobs.
type Runner struct {
	log      *slog.Logger
	jobs     []Job
	stops    []func()
	finalMax time.Duration
}

// New makes a runner. finalMax bounds each job's Final pass at shutdown.
func New(log *slog.Logger, finalMax time.Duration) *Runner {
	return &Runner{log: log, finalMax: finalMax}
}

// Add registers a job; jobs added later are stopped earlier. Add before Start.
func (r *Runner) Add(j Job) { r.jobs = append(r.jobs, j) }

// Start runs every job until Stop.
func (r *Runner) Start() {
	for _, j := range r.jobs {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); r.loop(ctx, j) }()
		r.stops = append(r.stops, func() { cancel(); wg.Wait() })
	}
}

// Stop stops the jobs one by one, newest first, each after its Final pass: a job that
// writes audit events (added after the chainer) is done before the chainer's last pass.
func (r *Runner) Stop() {
	for i := len(r.stops) - 1; i >= 0; i-- {
		r.stops[i]()
	}
	r.stops = nil
}

func (r *Runner) loop(ctx context.Context, j Job) {
	if j.Loop != nil {
		j.Loop(ctx)
		return
	}
	first := j.First
	if first <= 0 {
		first = j.Every
	}
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if j.Final != nil {
				fctx, cancel := context.WithTimeout(context.Background(), r.finalMax)
				if err := j.Final(fctx); err != nil {
					r.log.Error("background job's last pass", "job", j.Name, "err", err)
				}
				cancel()
			}
			return
		case <-t.C:
		case <-j.Wake: // Reset below discards the timer's pending tick (Go ≥ 1.23 timers)
		}
		if err := j.Run(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("background job", "job", j.Name, "err", err)
		}
		t.Reset(j.Every)
	}
}
