package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"custos/internal/platform/worker"
)

// clientDoer sends a request (an *http.Client; tests may wrap it).
type clientDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// batch is how many deliveries one replica claims and sends side by side.
const batch = 8

// Sign is the X-Custos-Signature value of body sent at timestamp (Unix seconds):
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify is what a receiver does: the signature matches and the timestamp is within
// window of now (a replayed request older than that is refused).
func Verify(secret, timestamp, signature string, body []byte, now time.Time, window time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > window || d < -window {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature))
}

// backoff is the wait after the n-th failed attempt: FirstRetry doubling, capped.
func backoff(n int) time.Duration {
	d := FirstRetry
	for i := 1; i < n && d < MaxRetry; i++ {
		d *= 2
	}
	return min(d, MaxRetry)
}

// DeliveryJob sends the due deliveries: every few seconds, and at once after a commit
// on this replica queued one. Every replica runs it; the rows are shared out by
// FOR UPDATE SKIP LOCKED with a lease on PostgreSQL (one writer on SQLite).
func (s *Service) DeliveryJob() worker.Job {
	return worker.Job{Name: "webhook delivery", Every: 5 * time.Second, Wake: s.wake, Run: s.Deliver}
}

// Deliver sends every due delivery, a batch at a time, until none is due.
func (s *Service) Deliver(ctx context.Context) error {
	for ctx.Err() == nil {
		now := s.now()
		rows, err := s.store.claim(ctx, now, now.Add(s.opts.Timeout+time.Minute), batch)
		if err != nil || len(rows) == 0 {
			return err
		}
		var wg sync.WaitGroup
		errs := make([]error, len(rows))
		for i, r := range rows {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = s.attempt(ctx, r) }()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	return nil
}

// outcome is what one attempt gave.
type outcome struct {
	status   *int
	excerpt  string
	errText  string
	duration time.Duration
}

// attempt sends delivery r once and records the outcome.
func (s *Service) attempt(ctx context.Context, r deliveryRow) error {
	h, ok, err := s.store.hookByID(ctx, r.WebhookID)
	if err != nil || !ok {
		return err
	}
	secret, err := s.box.Open(h.Secret)
	if err != nil {
		return err
	}
	o := s.post(ctx, h.URL, secret, r)
	now := s.now()
	fields := map[string]any{"attempts": r.Attempts + 1, "last_status": o.status, "last_error": o.errText,
		"response_excerpt": o.excerpt, "duration_ms": o.duration.Milliseconds(), "url": h.URL, "updated_at": now}
	switch next := now.Add(backoff(r.Attempts + 1)); {
	case o.status != nil && *o.status >= 200 && *o.status < 300:
		fields["state"], fields["next_attempt_at"] = StateDelivered, nil
	case next.After(r.CreatedAt.Add(RetryFor)):
		fields["state"], fields["next_attempt_at"] = StateFailed, nil
	default:
		fields["next_attempt_at"] = next
	}
	return s.store.updateDelivery(ctx, r.ID, fields)
}

// post makes the HTTP request of r to url, signed with secret, and reads at most
// ExcerptMax bytes of the answer.
func (s *Service) post(ctx context.Context, url, secret string, r deliveryRow) outcome {
	if err := recheck(url, s.opts); err != nil {
		return outcome{errText: err.Error()}
	}
	ts := s.now().Unix()
	body := []byte(r.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return outcome{errText: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Custos-Webhook/1")
	req.Header.Set("X-Custos-Event", r.EventType)
	req.Header.Set("X-Custos-Delivery", r.ID)
	req.Header.Set("X-Custos-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Custos-Signature", Sign(secret, ts, body))
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return outcome{errText: cleanErr(err), duration: time.Since(start)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, ExcerptMax))
	status := resp.StatusCode
	return outcome{status: &status, excerpt: strings.ToValidUTF8(string(b), "�"), duration: time.Since(start)}
}

// cleanErr is the error of an attempt as the log shows it (bounded, valid text).
func cleanErr(err error) string {
	msg := err.Error()
	if errors.Is(err, errBlocked) {
		msg = "refused: " + msg
	}
	if len(msg) > ExcerptMax {
		msg = msg[:ExcerptMax]
	}
	if !utf8.ValidString(msg) {
		msg = strings.ToValidUTF8(msg, "�")
	}
	return msg
}
