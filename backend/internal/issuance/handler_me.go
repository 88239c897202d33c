package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// ListMine godoc
//
//	@Summary				Your device issuances
//	@Description			The caller's own issuances, newest first by default (a pending one shows «Выпуск устройства ожидает решения» in self-service). Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					state			query		string	false	"filter by state"	Enums(draft, smev_check, pending_approval, approved, rejected, writing, issued, failed, cancelled)
//	@Param					device_type_id	query		string	false	"filter by device type"
//	@Param					sort		query		string	false	"sort field"		Enums(created_at, updated_at, state)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[issuance.Issuance]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/me/issuances [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) ListMine(c echo.Context) error {
	uid, err := me(c)
	if err != nil {
		return err
	}
	return httpx.List(c, MySpec, func(ctx context.Context, p list.Params) (list.Page[Issuance], error) {
		return h.svc.List(ctx, uid, p)
	})
}

// CreateMine godoc
//
//	@Summary				Ask for a device (self-service)
//	@Description			Opens an issuance under the caller's usage policy: it must allow self-issuance (403 issuance.selfIssuanceOff), and the caller must hold no issued or blocked device (409 issuance.deviceHeld: another device is an operator's to issue) and have no request still open (409 issuance.requestOpen: continue or cancel it) and name the templates (the caller may choose among them only when the policy lets them; another template is a 400 on `template_ids`); with SKZI accounting the document number and date (not in the future) are required. When the policy requires secret questions and the caller has set fewer, 422 issuance.secretQuestionsRequired. When the policy checks qualified templates in SMEV and a chosen template is qualified, the `smev` form (prefilled from the directory, see GET /me/smev-form; a change of a prefilled field without the policy's leave is a 400 on `smev.<field>`) is checked first: a mismatch is 422 issuance.smevMismatch naming `smev.<field>`, no SMEV service or no answer 503 issuance.smevUnavailable; a match passes through `smev_check` and keeps the form and the answer. Lands in `pending_approval` when a CA operator must approve, else `approved`, ready for the device steps. Nothing is written on bad input or a refusal. Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					body	body		Input	true	"the request"
//	@Success				201		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Failure				503		{object}	httpx.Problem
//	@Router					/me/issuances [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) CreateMine(c echo.Context) error { return httpx.Create(c, h.svc.Request) }

// GetMine godoc
//
//	@Summary				One of your issuances with its history
//	@Description			Another person's issuance is 404. Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					id	path		string	true	"issuance id"
//	@Success				200	{object}	Issuance
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/me/issuances/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) GetMine(c echo.Context) error {
	uid, err := me(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Get(c.Request().Context(), c.Param("id"), uid)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// SignMine godoc
//
//	@Summary				Continue an issuance: sign the request made on the device
//	@Description			From `approved`, `writing` or `failed` (→ `writing`): the agent made the key pair on the device and a PKCS#10 request for one template of the issuance; the CA signs it with the template's subject and usages (the request's own subject is ignored) and answers the certificate to write next to the key. The key must be of the template's algorithm (400 on `csr`). A device serial already issued is 409 device.serialTaken. Sending a template again revokes (superseded) the certificate signed before for it and not yet confirmed. Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"issuance id"
//	@Param					body	body		CSRInput	true	"the device's request"
//	@Success				201		{object}	Certificate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/me/issuances/{id}/csr [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) SignMine(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	id := c.Param("id")
	return httpx.Create(c, func(ctx context.Context, in CSRInput) (Certificate, error) { return h.svc.SignRequest(ctx, id, in) })
}

// ConfirmMine godoc
//
//	@Summary				Finish an issuance: every certificate is on the device
//	@Description			`writing` → `issued`: the agent read the certificates back from the device and sends their SHA-256 fingerprints; they must be exactly the ones signed for this issuance, one per template (400 on `fingerprints` otherwise). The device is registered (with the SKZI accounting of the request and, sealed, the admin PIN it was initialised with, checked against the type's PIN rules). Only then is the device issued. Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"issuance id"
//	@Param					body	body		ConfirmInput	true	"what the device holds"
//	@Success				200		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/me/issuances/{id}/confirm [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) ConfirmMine(c echo.Context) error {
	id := c.Param("id")
	return httpx.Update(c, func(ctx context.Context, _ string, in ConfirmInput) (Issuance, error) {
		return h.svc.Confirm(ctx, id, in)
	})
}

// FailMine godoc
//
//	@Summary				Report a failed device step
//	@Description			`writing` → `failed` with the reason (the token removed, a device error): the certificates signed and not confirmed are revoked. The issuance can be continued later (a new request signed). Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"issuance id"
//	@Param					body	body		FailInput	true	"why"
//	@Success				200		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/me/issuances/{id}/fail [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) FailMine(c echo.Context) error {
	id := c.Param("id")
	return httpx.Update(c, func(ctx context.Context, _ string, in FailInput) (Issuance, error) { return h.svc.Fail(ctx, id, in) })
}

// CancelMine godoc
//
//	@Summary				Cancel one of your issuances
//	@Description			Any state before `issued` → `cancelled`; certificates signed and not confirmed are revoked. Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					id	path		string	true	"issuance id"
//	@Success				200	{object}	Issuance
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/me/issuances/{id}/cancel [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) CancelMine(c echo.Context) error {
	v, err := h.svc.Cancel(c.Request().Context(), c.Param("id"))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// ListMyDevices godoc
//
//	@Summary				Your devices
//	@Description			«Ваши устройства»: the caller's devices (type, serial number, name, status). Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					status		query		string	false	"filter by status"	Enums(issued, blocked, revoked)
//	@Param					sort		query		string	false	"sort field"		Enums(issued_at, serial, status)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[issuance.Device]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/me/devices [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) ListMyDevices(c echo.Context) error {
	uid, err := me(c)
	if err != nil {
		return err
	}
	return httpx.List(c, MyDeviceSpec, func(ctx context.Context, p list.Params) (list.Page[Device], error) {
		return h.svc.ListDevices(ctx, uid, p)
	})
}
