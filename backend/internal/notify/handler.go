package notify

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// Handler serves the SMTP settings.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// GetSettings godoc
//
//	@Summary				The SMTP settings
//	@Description			The outgoing mail server: host, port, sender address, TLS mode (`none`, `starttls` — STARTTLS required —, `tls` — implicit TLS), user name, `tls_ca_pem` (the CA certificate(s), PEM, the server's certificate must chain to instead of the system roots; empty: the system roots); the password is never answered, only `has_password`. `configured` is true when a host and a sender are set. Required permission: settings.write.
//	@Tags					settings
//	@Produce				json
//	@Success				200	{object}	Settings
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/settings/smtp [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *Handler) GetSettings(c echo.Context) error {
	v, err := h.svc.GetSettings(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// PutSettings godoc
//
//	@Summary				Change the SMTP settings
//	@Description			Replaces the settings, guarded by `version` (409 with the current settings when it is stale). `password` is write-only: absent keeps the stored one, an empty string removes it, a value replaces it (sealed with the application key; the audit event shows it redacted). An empty `host` turns outgoing mail off; with a host, `port` (1..65535) and `from` are required. `tls_ca_pem` holds only PEM CERTIFICATE blocks (400 naming `tls_ca_pem` otherwise); the server's certificate is always verified (no skip-verify): trust a private CA with it. Required permission: settings.write.
//	@Tags					settings
//	@Accept					json
//	@Produce				json
//	@Param					body	body		SettingsInput	true	"the settings"
//	@Success				200		{object}	Settings
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/settings/smtp [put]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *Handler) PutSettings(c echo.Context) error {
	return httpx.Update(c, func(ctx context.Context, _ string, in SettingsInput) (Settings, error) {
		return h.svc.PutSettings(ctx, in)
	})
}

// SendTest godoc
//
//	@Summary				Send a test mail
//	@Description			Sends a test mail to `to` at once with the stored settings, in the caller's language: 200 when the SMTP server took it, 503 notify.sendFailed with the server's answer when it did not, 422 notify.notConfigured when no server is set. Required permission: settings.write.
//	@Tags					settings
//	@Accept					json
//	@Produce				json
//	@Param					body	body		TestInput	true	"the recipient"
//	@Success				200		{object}	TestResult
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Failure				503		{object}	httpx.Problem
//	@Router					/settings/smtp/test [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *Handler) SendTest(c echo.Context) error {
	return httpx.Update(c, func(ctx context.Context, _ string, in TestInput) (TestResult, error) { return h.svc.SendTest(ctx, in) })
}
