package system

import (
	"context"
	"crypto/tls"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
	"custos/internal/stats"
)

// maxCached bounds the certificate cache (a nil entry caches an unknown fingerprint).
const maxCached = 10_000

// DropCache forgets every cached certificate; the change bus calls it on every replica
// when a system or a certificate changes anywhere.
func (s *Service) DropCache(context.Context) { s.cache.Drop() }

func (s *Service) lookup(ctx context.Context, fp string) (*entry, error) {
	e, ok, gen := s.cache.Get(fp)
	if ok {
		return e, nil
	}
	e, err := s.store.byFingerprint(ctx, fp)
	if err != nil {
		return nil, err
	}
	s.cache.Put(fp, e, gen)
	return e, nil
}

// deniedLog keeps refused certificates from flooding the audit log: one event per
// fingerprint per window.
type deniedLog struct {
	mu   sync.Mutex
	last map[string]time.Time
}

const deniedWindow = time.Minute

func newDeniedLog() *deniedLog { return &deniedLog{last: map[string]time.Time{}} }

func (d *deniedLog) due(fp string, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t, ok := d.last[fp]; ok && now.Sub(t) < deniedWindow {
		return false
	}
	if len(d.last) >= maxCached {
		d.last = map[string]time.Time{}
	}
	d.last[fp] = now
	return true
}

type mtlsKey struct{}

type certSystemKey struct{}

// CertificateSystem is the system whose accepted client certificate the request came
// with on the mTLS listener (whoever the principal is: a person signed in to the client
// cabinet there is still behind their system's certificate); ok is false elsewhere.
func CertificateSystem(ctx context.Context) (id string, ok bool) {
	id, ok = ctx.Value(certSystemKey{}).(string)
	return id, ok
}

// OnMTLS wraps the handler of the mTLS listener: only requests it marks are ever looked
// at by the certificate middleware, so the plain listener never yields a system.
func OnMTLS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), mtlsKey{}, true)))
	})
}

// TLSConfig is the mTLS listener's configuration: a client certificate is required but
// its chain is not checked by the TLS stack (manual certificates are trusted by their
// fingerprint); Middleware decides.
func TLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAnyClientCert,
		MinVersion: tls.VersionTLS12}
}

// Authenticate returns the system principal of a leaf certificate fingerprint, or
// errRefused when the certificate is unknown, disabled, revoked, outside its validity,
// or its system is disabled.
func (s *Service) Authenticate(ctx context.Context, fp string) (*authz.Principal, *entry, error) {
	e, err := s.lookup(ctx, fp)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if e == nil || e.revoked || !e.enabled || !e.systemEnabled || now.Before(e.notBefore) || !now.Before(e.notAfter) {
		return nil, e, errRefused
	}
	return &authz.Principal{Kind: authz.KindSystem, SystemID: e.systemID, SystemName: e.systemName,
		CertificateID: e.certID, Scopes: e.services, DisplayName: e.systemName}, e, nil
}

// Middleware is the certificate check of the mTLS listener. It runs after the token
// and session middlewares: on that listener every request must present an acceptable
// certificate (else 401 system.certificateRefused), and one that no token or session
// authenticated is authenticated as the system. What the person gate admits passes
// as nobody (person.go). Requests of the plain listener pass.
func (s *Service) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if on, _ := r.Context().Value(mtlsKey{}).(bool); !on {
				return next(c)
			}
			if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
				return errRefused
			}
			leaf := r.TLS.PeerCertificates[0]
			fp := ca.Fingerprint(leaf.Raw)
			p, e, err := s.Authenticate(r.Context(), fp)
			if err != nil {
				if err == errRefused && s.people != nil && s.people.Admits(r.Context(), leaf, r.URL.Path) {
					return next(c) // a person's certificate: no system principal
				}
				if err == errRefused {
					s.auditRefusal(r.Context(), fp, leaf.Subject.String(), e)
					if e != nil {
						stats.Refused(r.Context(), e.certID, stats.CredentialCertificate, e.systemID)
					}
				}
				return err
			}
			if authz.FromEcho(c) == nil {
				authz.WithPrincipal(c, p)
				httpx.SetActor(c.Request().Context(), "system", p.SystemID, p.SystemName+" · "+e.subject)
			}
			c.SetRequest(r.WithContext(context.WithValue(r.Context(), certSystemKey{}, p.SystemID)))
			return next(c)
		}
	}
}

// auditRefusal records a refused certificate, at most once per fingerprint a minute.
func (s *Service) auditRefusal(ctx context.Context, fp, subject string, e *entry) {
	if !s.denied.due(fp, s.now()) {
		return
	}
	// The subject of an unknown certificate is whatever its maker wrote: cleaned and cut.
	en := audit.Entry{Action: audit.ActionDenied, ResourceType: ResourceCertificate, ResourceName: validate.CleanText(subject, 200),
		Reason: errRefused.Code, After: map[string]any{"fingerprint_sha256": fp}}
	if e != nil {
		en.ResourceID = e.certID
		en.After = map[string]any{"fingerprint_sha256": fp, "system_id": e.systemID, "system_name": e.systemName}
	}
	if err := audit.RecordAlone(ctx, s.db, en); err != nil {
		s.log.Error("audit a refused client certificate", "err", err)
	}
}
