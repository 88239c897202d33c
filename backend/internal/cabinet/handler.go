package cabinet

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
	"custos/internal/system"
)

// Handler serves /api/v1/cabinet.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// List godoc
//
//	@Summary				The caller's systems in the client cabinet
//	@Description			The integrated systems whose owner group the caller is a member of (on the mTLS listener, only the system of the presented certificate), by name. For people only: a session, a personal access token or an OpenID bearer token (an organisation token is 403 cabinet.personOnly). With CUSTOS_CABINET_REQUIRE_MTLS=true, outside the mTLS listener: 403 cabinet.mtlsRequired. Required permission: cabinet.
//	@Tags					cabinet
//	@Produce				json
//	@Success				200	{object}	Systems
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/cabinet/systems [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) List(c echo.Context) error {
	v, err := h.svc.List(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Get godoc
//
//	@Summary				One of the caller's systems in the client cabinet
//	@Description			Its parameters, the ones the administrator opened to the cabinet (`client_editable`), whether its clients may make certificates (`client_may_issue`) and its available services (`allowed_services`). A system the caller's groups do not own is 404, as is an unknown id. Required permission: cabinet.
//	@Tags					cabinet
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Success				200	{object}	System
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/cabinet/systems/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) Get(c echo.Context) error { return httpx.Get(c, h.svc.Get) }

// Update godoc
//
//	@Summary				Change a system's parameters in the client cabinet
//	@Description			Only the parameters listed in `client_editable` (description, settings_texts); another one is 403 cabinet.notEditable naming the field, and is audited. `version` must be the version you edited (409 with the current system otherwise). Audited and announced to the system's webhooks (system.settings_changed) like an administrator's change. Required permission: cabinet.
//	@Tags					cabinet
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string	true	"system id"
//	@Param					body	body		Patch	true	"changes"
//	@Success				200		{object}	System
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/cabinet/systems/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) Update(c echo.Context) error { return httpx.Update(c, h.svc.Update) }

// Stats godoc
//
//	@Summary				A system's request statistics in the client cabinet
//	@Description			As GET /systems/{id}/stats: requests made with the system's certificates per UTC day and status code (`group_by` day, status or credential; `from`/`to` inclusive UTC days, default the last 30). Required permission: cabinet.
//	@Tags					cabinet
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					from		query		string	false	"first day, YYYY-MM-DD (UTC)"
//	@Param					to			query		string	false	"last day, YYYY-MM-DD (UTC)"
//	@Param					group_by	query		string	false	"grouping"	Enums(day, status, credential)
//	@Success				200			{object}	stats.Report
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/cabinet/systems/{id}/stats [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) Stats(c echo.Context) error {
	v, err := h.svc.Stats(c.Request().Context(), c.Param("id"), c.QueryParams())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Certificates godoc
//
//	@Summary				A system's certificates in the client cabinet
//	@Description			As GET /systems/{id}/certificates (list conventions; `status` filter). The CA certificate to install beside them is public at /pki/ca.crt. Required permission: cabinet.
//	@Tags					cabinet
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					status		query		string	false	"filter by status"	Enums(active, disabled, revoked, expired)
//	@Param					sort		query		string	false	"sort field"		Enums(not_after, created_at)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[system.Certificate]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/cabinet/systems/{id}/certificates [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) Certificates(c echo.Context) error {
	id := c.Param("id")
	return httpx.List(c, system.CertificateSpec, func(ctx context.Context, p list.Params) (list.Page[system.Certificate], error) {
		return h.svc.Certificates(ctx, id, p)
	})
}

// AddCertificate godoc
//
//	@Summary				Make a certificate in the client cabinet
//	@Description			When the administrator allowed it (`client_may_issue`; else 403 cabinet.issueNotAllowed, audited): the CA signs a PKCS#10 request whose key pair was made in the client's browser (PEM; ECDSA P-256/P-384 or RSA 2048–4096), for `validity_days` (default 365). Bad input is a 400 naming the field. Audited. Required permission: cabinet.
//	@Tags					cabinet
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string				true	"system id"
//	@Param					body	body		CertificateInput	true	"the request"
//	@Success				201		{object}	system.CreatedCertificate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Router					/cabinet/systems/{id}/certificates [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"cabinet"
func (h *Handler) AddCertificate(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	id := c.Param("id")
	return httpx.Create(c, func(ctx context.Context, in CertificateInput) (system.CreatedCertificate, error) {
		return h.svc.AddCertificate(ctx, id, in)
	})
}
