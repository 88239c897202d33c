package faulttest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
)

// maxAnswer is the longest any request may take under a fault: a client is answered,
// never held.
const maxAnswer = 2 * time.Second

// load is a steady stream of writes (groups created through the API) and reads, with
// every answer recorded and every acknowledged write remembered.
type load struct {
	mu      sync.Mutex
	answers []answer
	acked   map[string]string // group code → id, for every 2xx
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func startLoad(c *client, writers int, prefix string) *load {
	ctx, cancel := context.WithCancel(context.Background())
	l := &load{acked: map[string]string{}, cancel: cancel}
	for w := 0; w < writers; w++ {
		l.wg.Add(1)
		go func(w int) {
			defer l.wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				code := fmt.Sprintf("%s-%d-%d", prefix, w, i)
				a := c.do(ctx, "POST", "/api/v1/groups", map[string]any{"code": code, "name": "Fault " + code})
				if ctx.Err() != nil && a.err != nil {
					return // cancelled by stop, not an answer
				}
				l.record(a)
				if a.err == nil && a.status/100 == 2 {
					l.mu.Lock()
					l.acked[code] = a.str("id")
					l.mu.Unlock()
				} else {
					time.Sleep(50 * time.Millisecond)
				}
			}
		}(w)
	}
	l.wg.Add(1)
	go func() { // one reader
		defer l.wg.Done()
		for ctx.Err() == nil {
			a := c.do(ctx, "GET", "/api/v1/groups?page_size=5", nil)
			if ctx.Err() != nil && a.err != nil {
				return
			}
			l.record(a)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return l
}

func (l *load) record(a answer) {
	l.mu.Lock()
	l.answers = append(l.answers, a)
	l.mu.Unlock()
}

func (l *load) stop() {
	l.cancel()
	l.wg.Wait()
}

func (l *load) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

// waitOK waits for a 2xx answer sent after t0 and returns when it was sent.
func (l *load) waitOK(t *testing.T, after time.Time, within time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for _, a := range l.answers {
			if a.err == nil && a.status/100 == 2 && a.at.After(after) {
				l.mu.Unlock()
				return a.at
			}
		}
		l.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no request succeeded within %s after %s: Custos did not recover", within, after.Format("15:04:05.000"))
	return time.Time{}
}

// check checks every answer: a 2xx, or a fast 503 db.unavailable problem with
// Retry-After; nothing slower than limit (maxAnswer when the database is down), no hang (the client's 10 s timeout), no
// 500. It returns the figures.
type summary struct {
	total, ok, unavailable int
	maxTook                time.Duration
	firstUnavailable       time.Time
	lastUnavailable        time.Time
}

func (l *load) check(t *testing.T, limit time.Duration) summary {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var s summary
	var bad []string
	for _, a := range l.answers {
		s.total++
		if a.took > s.maxTook {
			s.maxTook = a.took
		}
		switch {
		case a.err != nil:
			bad = append(bad, fmt.Sprintf("%s: transport error after %s: %v", a.at.Format("15:04:05.000"), a.took, a.err))
			continue
		case a.status/100 == 2:
			s.ok++
		case a.status == 503:
			s.unavailable++
			if s.firstUnavailable.IsZero() || a.at.Before(s.firstUnavailable) {
				s.firstUnavailable = a.at
			}
			if a.at.After(s.lastUnavailable) {
				s.lastUnavailable = a.at
			}
			if a.code != "db.unavailable" || a.retryAfter == "" || !strings.HasPrefix(a.ctype, "application/problem+json") {
				bad = append(bad, fmt.Sprintf("503 without db.unavailable problem and Retry-After: %q %q %q %s", a.code, a.retryAfter, a.ctype, a.body))
			}
		default:
			bad = append(bad, fmt.Sprintf("%s: %d %s", a.at.Format("15:04:05.000"), a.status, tail(string(a.body), 300)))
		}
		if a.took > limit {
			bad = append(bad, fmt.Sprintf("%s: answered after %s (limit %s): %d %s", a.at.Format("15:04:05.000"), a.took, limit, a.status, a.code))
		}
		if strings.Contains(string(a.body), "goroutine ") || strings.Contains(string(a.body), "pgconn") ||
			strings.Contains(string(a.body), "SQLSTATE") {
			bad = append(bad, "an answer shows internals: "+tail(string(a.body), 300))
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		if len(bad) > 15 {
			bad = append(bad[:15], fmt.Sprintf("… and %d more", len(bad)-15))
		}
		t.Errorf("%d of %d answers broke the rules:\n%s", len(bad), s.total, strings.Join(bad, "\n"))
	}
	return s
}

// lost reads the groups of prefix from d and answers the acknowledged writes missing
// there, and how many were found in all (committed, acknowledged or not).
func (l *load) lost(t *testing.T, d *db.DB, prefix string) (lost []string, found int) {
	t.Helper()
	var codes []string
	require.NoError(t, d.R.Table("groups").Where("code LIKE ?", prefix+"-%").Pluck("code", &codes).Error)
	have := map[string]bool{}
	for _, code := range codes {
		have[code] = true
	}
	for code := range l.acked {
		if !have[code] {
			lost = append(lost, code)
		}
	}
	return lost, len(codes)
}
