package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Page is the part of a list response the benchmark reads.
type Page struct {
	Items []struct {
		ID    string `json:"id"`
		Login string `json:"login"`
	} `json:"items"`
	Total       int64 `json:"total"`
	TotalCapped bool  `json:"total_capped"`
	// TotalEstimated: Total is the server's estimate of a search's matches (no count ran).
	TotalEstimated bool   `json:"total_estimated"`
	Page           int    `json:"page"`
	NextCursor     string `json:"next_cursor"`
	PrevCursor     string `json:"prev_cursor"`
}

// IDs returns the ids of the page's items.
func (p Page) IDs() []string {
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.ID
	}
	return out
}

// Get requests path with the session and returns the body of a 200 answer.
func (s *Server) Get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Base+path, nil)
	if err != nil {
		return nil, err
	}
	req.AddCookie(&http.Cookie{Name: "custos_session", Value: s.Session})
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		if len(b) > 300 {
			b = b[:300]
		}
		return nil, fmt.Errorf("GET %s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	return b, nil
}

// GetPage requests a list page and decodes it.
func (s *Server) GetPage(ctx context.Context, path string) (Page, error) {
	var p Page
	b, err := s.Get(ctx, path)
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("GET %s: %w", path, err)
	}
	return p, nil
}

// Stats are the latencies of one scenario.
type Stats struct {
	N             int
	P50, P99, Max time.Duration
	Capped        bool // the time cap ended the run before all requests were made
}

// Percentile returns the nearest-rank percentile q (0–1) of sorted durations.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// Load sends requests GETs of path from clients concurrent clients (after a short
// warm-up that is not counted) and returns the latency percentiles. It stops early,
// with what it has, when timeCap has passed.
func (s *Server) Load(ctx context.Context, path string, requests, clients int, timeCap time.Duration) (Stats, error) {
	for i := 0; i < clients; i++ { // warm-up: connections, plans, caches
		if _, err := s.Get(ctx, path); err != nil {
			return Stats{}, err
		}
	}
	var (
		next     atomic.Int64
		mu       sync.Mutex
		durs     = make([]time.Duration, 0, requests)
		firstErr error
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(timeCap)
	capped := atomic.Bool{}
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(requests) {
				if time.Now().After(deadline) {
					capped.Store(true)
					return
				}
				t := time.Now()
				_, err := s.Get(ctx, path)
				d := time.Since(t)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				durs = append(durs, d)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return Stats{}, firstErr
	}
	slices.Sort(durs)
	return Stats{N: len(durs), P50: Percentile(durs, 0.50), P99: Percentile(durs, 0.99), Max: durs[len(durs)-1],
		Capped: capped.Load()}, nil
}
