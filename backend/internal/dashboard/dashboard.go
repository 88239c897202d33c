// Package dashboard is the console's home page: the last month's requests, what
// expires soon and what waits for someone. Each section is answered only to a caller
// who may read what it summarises.
package dashboard

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/apitoken"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	"custos/internal/stats"
	"custos/internal/system"
	"custos/internal/webhook"
)

const (
	// Days of requests shown.
	Days = 30
	// Window of "expiring soon".
	Window = 30 * 24 * time.Hour
	// FailedWindow is how far back failed webhook deliveries are counted.
	FailedWindow = 7 * 24 * time.Hour
	// Items is the most expiring things listed per section.
	Items = 10
)

// Certificate is a system's certificate that expires soon.
type Certificate struct {
	ID         string    `json:"id"`
	SystemID   string    `json:"system_id"`
	SystemName string    `json:"system_name"`
	Subject    string    `json:"subject"`
	NotAfter   time.Time `json:"not_after"`
} //	@name	DashboardCertificate

// Certificates are the certificates expiring soon: how many, and the soonest ones.
type Certificates struct {
	Count int64         `json:"count"`
	Items []Certificate `json:"items"`
} //	@name	DashboardCertificates

// Token is an organisation API token that expires soon.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	ExpiresAt time.Time `json:"expires_at"`
} //	@name	DashboardToken

// Tokens are the organisation tokens expiring soon.
type Tokens struct {
	Count int64   `json:"count"`
	Items []Token `json:"items"`
} //	@name	DashboardTokens

// Failed counts the webhook deliveries given up on lately.
type Failed struct {
	Count int64 `json:"count"`
} //	@name	DashboardFailed

// Dashboard is the home page's summary; a section the caller may not read is absent.
type Dashboard struct {
	Requests             *stats.Overview `json:"requests,omitempty"`
	ExpiringCertificates *Certificates   `json:"expiring_certificates,omitempty"`
	ExpiringTokens       *Tokens         `json:"expiring_tokens,omitempty"`
	FailedDeliveries     *Failed         `json:"failed_deliveries,omitempty"`
} //	@name	Dashboard

// Service gathers the sections from their features.
type Service struct {
	az       *authz.Authorizer
	stats    *stats.Service
	systems  *system.Service
	tokens   *apitoken.Service
	webhooks *webhook.Service
	now      func() time.Time
}

// NewService makes the dashboard.
func NewService(az *authz.Authorizer, st *stats.Service, sys *system.Service, tok *apitoken.Service, wh *webhook.Service) *Service {
	return &Service{az: az, stats: st, systems: sys, tokens: tok, webhooks: wh, now: time.Now}
}

// Get answers the sections p may read.
func (s *Service) Get(ctx context.Context, p *authz.Principal) (Dashboard, error) {
	var d Dashboard
	if s.az.Permits(p, authz.StatsRead) {
		o, err := s.stats.Overview(ctx, Days)
		if err != nil {
			return d, err
		}
		d.Requests = &o
	}
	if s.az.Permits(p, authz.CertificatesRead) {
		c, err := s.certificates(ctx)
		if err != nil {
			return d, err
		}
		d.ExpiringCertificates = c
		n, err := s.webhooks.FailedSince(ctx, FailedWindow)
		if err != nil {
			return d, err
		}
		d.FailedDeliveries = &Failed{Count: n}
	}
	if s.az.Permits(p, authz.APITokensRead) {
		ts, n, err := s.tokens.Expiring(ctx, Window, Items)
		if err != nil {
			return d, err
		}
		d.ExpiringTokens = &Tokens{Count: n, Items: make([]Token, 0, len(ts))}
		for _, t := range ts {
			if t.ExpiresAt != nil {
				d.ExpiringTokens.Items = append(d.ExpiringTokens.Items, Token{ID: t.ID, Name: t.Name, ExpiresAt: *t.ExpiresAt})
			}
		}
	}
	return d, nil
}

func (s *Service) certificates(ctx context.Context) (*Certificates, error) {
	now := s.now()
	cs, err := s.systems.ExpiringCertificates(ctx, now, now.Add(Window))
	if err != nil {
		return nil, err
	}
	out := &Certificates{Count: int64(len(cs)), Items: []Certificate{}}
	names := map[string]string{}
	for _, c := range cs {
		if len(out.Items) == Items {
			break
		}
		name, ok := names[c.SystemID]
		if !ok {
			sys, err := s.systems.Get(ctx, c.SystemID)
			if err != nil {
				continue // deleted meanwhile
			}
			name, names[c.SystemID] = sys.Name, sys.Name
		}
		out.Items = append(out.Items, Certificate{ID: c.ID, SystemID: c.SystemID, SystemName: name, Subject: c.Subject, NotAfter: c.NotAfter})
	}
	return out, nil
}

// Handler serves GET /api/v1/dashboard.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// Get godoc
//
//	@Summary				The console's home page
//	@Description			What the caller may read, summarised: `requests` (stats.read) — every credential's requests per UTC day over the last 30 days with those answered 4xx/5xx; `expiring_certificates` (certificates.read) — systems' certificates still valid that expire within 30 days, how many and the 10 soonest; `failed_deliveries` (certificates.read) — webhook deliveries given up on in the last 7 days; `expiring_tokens` (apiTokens.read) — organisation tokens expiring within 30 days. A section the caller may not read is absent. Required permission: a signed-in caller.
//	@Tags					dashboard
//	@Produce				json
//	@Success				200	{object}	Dashboard
//	@Failure				401	{object}	httpx.Problem
//	@Router					/dashboard [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"authenticated"
func (h *Handler) Get(c echo.Context) error {
	v, err := h.svc.Get(c.Request().Context(), authz.FromEcho(c))
	return httpx.Respond(c, http.StatusOK, v, err)
}
