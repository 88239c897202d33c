package stats

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/authz"
	"custos/internal/platform/worker"
)

// FlushInterval is how often the counts gathered in memory are written. A process
// killed without a graceful stop (kill -9, a crash) loses at most this much counting.
const FlushInterval = 5 * time.Second

// key is one counted cell.
type key struct {
	Credential string
	Type       string
	System     string
	Day        string
	Status     int
}

// Counter gathers request counts in memory: a counted request costs a map increment
// under a mutex, never a database write. Flush adds them to the table.
type Counter struct {
	mu    sync.Mutex
	m     map[key]int64
	now   func() time.Time
	store store
}

func newCounter(st store) *Counter {
	return &Counter{m: map[key]int64{}, now: time.Now, store: st}
}

// Add counts n requests of a credential with the given status today (UTC).
func (c *Counter) Add(credential, typ, system string, status int, n int64) {
	k := key{Credential: credential, Type: typ, System: system, Day: c.now().UTC().Format(DayLayout), Status: status}
	c.mu.Lock()
	c.m[k] += n
	c.mu.Unlock()
}

func (c *Counter) take() map[key]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) == 0 {
		return nil
	}
	out := c.m
	c.m = map[key]int64{}
	return out
}

// putBack returns a batch that could not be written to the counts of the next flush.
func (c *Counter) putBack(batch map[key]int64) {
	c.mu.Lock()
	for k, n := range batch {
		c.m[k] += n
	}
	c.mu.Unlock()
}

// Pending is how many requests are counted and not yet written (tests, the bench).
func (c *Counter) Pending() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.m {
		n += v
	}
	return n
}

// Flush adds the counts gathered since the previous flush to the table, in one
// transaction; on failure they are kept for the next one.
func (c *Counter) Flush(ctx context.Context) error {
	batch := c.take()
	if len(batch) == 0 {
		return nil
	}
	if err := c.store.add(ctx, batch); err != nil {
		c.putBack(batch)
		return err
	}
	return nil
}

// Job flushes every FlushInterval and once more at shutdown, after the servers have
// finished their requests, so a graceful stop loses no count.
func (c *Counter) Job() worker.Job {
	return worker.Job{Name: "request statistics flush", Every: FlushInterval, Run: c.Flush, Final: c.Flush}
}

// Middleware counts every request whose caller is an API token (organisation or
// personal) or an integrated system's certificate, with its final status. It goes before
// the authentication middlewares: an error from further in (a refused credential, a 403
// from a permission check, a 404, a handler's 4xx) is written by the error handler here,
// so the status counted is the one the client gets. A credential that proved itself but
// was refused (a revoked or expired token with its right secret, a revoked, disabled or
// expired certificate whose key made the TLS handshake) is counted under its own id
// through Refused; an unknown credential, or a token with a wrong secret, has nothing
// to count under (and must not add to someone else's figures).
func (c *Counter) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ec echo.Context) error {
			r := ec.Request()
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				// The console's pages and files a browser fetches over the mTLS entry
				// with a system's certificate are not requests to the API.
				return next(ec)
			}
			slot := &refused{}
			ec.SetRequest(r.WithContext(context.WithValue(r.Context(), refusedKey{}, slot)))
			err := next(ec)
			id, typ, system := slot.id, slot.typ, slot.system
			if p := authz.FromEcho(ec); p != nil && p.Kind == authz.KindSystem {
				id, typ, system = p.CertificateID, CredentialCertificate, p.SystemID
			} else if p != nil && p.Kind == authz.KindToken {
				id, typ, system = p.TokenID, CredentialToken, ""
			}
			if id == "" {
				return err
			}
			status := 0
			switch {
			case err != nil && errors.Is(err, context.Canceled) && ec.Request().Context().Err() != nil:
				status = 499 // the client went away; the log middleware says so too
			case err != nil:
				ec.Error(err)
				err = nil
			}
			if status == 0 {
				status = ec.Response().Status
			}
			c.Add(id, typ, system, status, 1)
			return err
		}
	}
}

type refusedKey struct{}

type refused struct{ id, typ, system string }

// Refused notes, from an authentication middleware, that the request's credential is
// known and proved itself but is refused: the refusal is counted under it (typ
// CredentialToken or CredentialCertificate; system the certificate's system).
func Refused(ctx context.Context, id, typ, system string) {
	if r, ok := ctx.Value(refusedKey{}).(*refused); ok {
		*r = refused{id: id, typ: typ, system: system}
	}
}
