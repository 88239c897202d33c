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
	// Once marks work that one replica does for all (a CRL refresh, a sweep, a prune):
	// before each pass the runner claims the job's lease for a period (see Claim), and a
	// replica that finds it held skips the pass. The Final pass is not leased.
	Once bool
}

// Claim takes the lease of job name for this replica when no replica ran it within
// (about) every; it answers whether this replica may run the pass now.
type Claim func(ctx context.Context, name string, every time.Duration) (bool, error)

// Runner starts and stops jobs.
type Runner struct {
	log      *slog.Logger
	jobs     []Job
	stops    []func()
	finalMax time.Duration
	claim    Claim
	periods  map[string]time.Duration
}

// Leased makes the Once jobs claim their lease with claim before each pass (without it
// every Once job runs on every replica, right for one process on SQLite).
func (r *Runner) Leased(claim Claim) { r.claim = claim }

// Periods overrides the period (and first wait, when longer) of the named jobs.
func (r *Runner) Periods(p map[string]time.Duration) { r.periods = p }

// New makes a runner. finalMax bounds each job's Final pass at shutdown.
func New(log *slog.Logger, finalMax time.Duration) *Runner {
	return &Runner{log: log, finalMax: finalMax}
}

// Add registers a job; jobs added later are stopped earlier. Add before Start.
func (r *Runner) Add(j Job) { r.jobs = append(r.jobs, j) }

// Start runs every job until Stop.
func (r *Runner) Start() {
	for _, j := range r.jobs {
		if d, ok := r.periods[j.Name]; ok {
			j.Every, j.First = d, min(j.First, d)
		}
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
		if j.Once && r.claim != nil {
			mine, err := r.claim(ctx, j.Name, j.Every)
			if err != nil || !mine {
				if err != nil && ctx.Err() == nil {
					r.log.Warn("background job's lease", "job", j.Name, "err", err)
				}
				t.Reset(j.Every)
				continue
			}
		}
		if err := j.Run(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("background job", "job", j.Name, "err", err)
		}
		t.Reset(j.Every)
	}
}
