package webhook

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// Handler serves /systems/{id}/webhooks and their delivery logs.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// of is the service bound to the path's system and webhook.
type of struct {
	svc     *Service
	id, wid string
}

func (h *Handler) of(c echo.Context) of {
	return of{svc: h.svc, id: c.Param("id"), wid: c.Param("wid")}
}

func (o of) list(ctx context.Context, p list.Params) (list.Page[Webhook], error) {
	return o.svc.List(ctx, o.id, p)
}

func (o of) create(ctx context.Context, in Input) (WithSecret, error) {
	return o.svc.Create(ctx, o.id, in)
}

func (o of) deliveries(ctx context.Context, p list.Params) (list.Page[Delivery], error) {
	return o.svc.ListDeliveries(ctx, o.id, o.wid, p)
}

// List godoc
//
//	@Summary				List a system's webhooks
//	@Description			List conventions. The secret is never answered here. Required permission: certificates.read.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					enabled		query		bool	false	"enabled or disabled webhooks"
//	@Param					sort		query		string	false	"sort field"	Enums(created_at, url)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[webhook.Webhook]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) List(c echo.Context) error { return httpx.List(c, Spec, h.of(c).list) }

// Create godoc
//
//	@Summary				Add a webhook to a system
//	@Description			`url` must be https (http only to hosts in CUSTOS_WEBHOOK_ALLOW_HTTP), without credentials, ≤ 2,048 characters; `events` a non-empty subset of certificate.expiring, certificate.revoked, certificate.disabled, system.disabled, system.settings_changed; `enabled` defaults to true. The answer carries `secret` (the HMAC-SHA256 key of X-Custos-Signature) this once; it is kept encrypted and never answered again. Audited (resource_type "webhook", without the secret). Required permission: certificates.write.
//	@Tags					webhooks
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string	true	"system id"
//	@Param					body	body		Input	true	"the webhook"
//	@Success				201		{object}	WithSecret
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Create(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return httpx.Create(c, h.of(c).create)
}

// Get godoc
//
//	@Summary				Get a webhook
//	@Description			Required permission: certificates.read.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Param					wid	path		string	true	"webhook id"
//	@Success				200	{object}	Webhook
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) Get(c echo.Context) error {
	v, err := h.svc.Get(c.Request().Context(), c.Param("id"), c.Param("wid"))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Update godoc
//
//	@Summary				Change a webhook
//	@Description			`version` must be the version you edited (409 with the current state otherwise); absent fields stay; the rules of `url` and `events` are those of creation. Required permission: certificates.write.
//	@Tags					webhooks
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string	true	"system id"
//	@Param					wid		path		string	true	"webhook id"
//	@Param					body	body		Patch	true	"changes"
//	@Success				200		{object}	Webhook
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Update(c echo.Context) error {
	var in Patch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Update(c.Request().Context(), c.Param("id"), c.Param("wid"), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Delete godoc
//
//	@Summary				Delete a webhook
//	@Description			Deletes the webhook and its delivery log; pending deliveries are dropped. Required permission: certificates.write.
//	@Tags					webhooks
//	@Param					id	path	string	true	"system id"
//	@Param					wid	path	string	true	"webhook id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Delete(c echo.Context) error {
	if err := h.svc.Delete(c.Request().Context(), c.Param("id"), c.Param("wid")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// RotateSecret godoc
//
//	@Summary				Rotate a webhook's secret
//	@Description			Replaces the signing secret and answers the new one, this once; deliveries sent from now on are signed with it. Audited without the secret. Required permission: certificates.write.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Param					wid	path		string	true	"webhook id"
//	@Success				200	{object}	WithSecret
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid}/rotate-secret [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) RotateSecret(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v, err := h.svc.RotateSecret(c.Request().Context(), c.Param("id"), c.Param("wid"))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// SendTest godoc
//
//	@Summary				Send a test event
//	@Description			Queues a `webhook.test` event to this webhook (enabled or not) and answers its delivery; the worker sends it at once. Required permission: certificates.write.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Param					wid	path		string	true	"webhook id"
//	@Success				202	{object}	Delivery
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid}/test [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) SendTest(c echo.Context) error {
	v, err := h.svc.SendTest(c.Request().Context(), c.Param("id"), c.Param("wid"))
	return httpx.Respond(c, http.StatusAccepted, v, err)
}

// ListDeliveries godoc
//
//	@Summary				List a webhook's deliveries
//	@Description			The delivery log, newest first: event, URL, attempts, last status, response excerpt (≤ 1 KB), duration, state (pending, delivered, failed) and next attempt. Required permission: certificates.read.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					wid			path		string	true	"webhook id"
//	@Param					state		query		string	false	"filter by state"	Enums(pending, delivered, failed)
//	@Param					event		query		string	false	"filter by event"	Enums(webhook.test, certificate.expiring, certificate.revoked, certificate.disabled, system.disabled, system.settings_changed)
//	@Param					sort		query		string	false	"sort field"		Enums(created_at)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[webhook.Delivery]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid}/deliveries [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) ListDeliveries(c echo.Context) error {
	return httpx.List(c, DeliverySpec, h.of(c).deliveries)
}

// Redeliver godoc
//
//	@Summary				Redeliver an event
//	@Description			Queues the delivery's event again (same event id and body, a new delivery with its own log) and answers the new delivery. Required permission: certificates.write.
//	@Tags					webhooks
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Param					wid	path		string	true	"webhook id"
//	@Param					did	path		string	true	"delivery id"
//	@Success				202	{object}	Delivery
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/webhooks/{wid}/deliveries/{did}/redeliver [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Redeliver(c echo.Context) error {
	v, err := h.svc.Redeliver(c.Request().Context(), c.Param("id"), c.Param("wid"), c.Param("did"))
	return httpx.Respond(c, http.StatusAccepted, v, err)
}
