package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/bulk"
	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// Handler serves the issuances, the operators' queue and the devices.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// BulkDecision approves several pending issuances with one comment.
type BulkDecision struct {
	IDs     []string `json:"ids"`
	Comment string   `json:"comment" validate:"optional"`
} //	@name	IssuanceBulkDecision

// me is the caller's user id (every /me route is a person's).
func me(c echo.Context) (string, error) {
	p := authz.FromEcho(c)
	if p == nil || p.UserID == "" {
		return "", apperr.Unauthenticated()
	}
	return p.UserID, nil
}

// List godoc
//
//	@Summary				The issuances (the operators' queue)
//	@Description			Every device issuance, newest first by default; `state=pending_approval` is the approval queue. `q` searches the user's login and name. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					q				query		string	false	"search the user's login and name"
//	@Param					state			query		string	false	"filter by state"	Enums(draft, smev_check, pending_approval, approved, rejected, writing, issued, failed, cancelled)
//	@Param					device_type_id	query		string	false	"filter by device type"
//	@Param					user_id			query		string	false	"filter by user"
//	@Param					sort			query		string	false	"sort field"	Enums(created_at, updated_at, state)
//	@Param					order			query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page			query		int		false	"page (1-based)"
//	@Param					page_size		query		int		false	"page size (max 200)"
//	@Param					cursor			query		string	false	"cursor from the previous page for seek paging"
//	@Success				200				{object}	list.Page[issuance.Issuance]
//	@Failure				400				{object}	httpx.Problem
//	@Failure				401				{object}	httpx.Problem
//	@Failure				403				{object}	httpx.Problem
//	@Router					/issuances [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *Handler) List(c echo.Context) error {
	return httpx.List(c, Spec, func(ctx context.Context, p list.Params) (list.Page[Issuance], error) {
		return h.svc.List(ctx, "", p)
	})
}

// Get godoc
//
//	@Summary				One issuance with its history
//	@Description			Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"issuance id"
//	@Success				200	{object}	Issuance
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/issuances/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *Handler) Get(c echo.Context) error {
	v, err := h.svc.Get(c.Request().Context(), c.Param("id"), "")
	return httpx.Respond(c, http.StatusOK, v, err)
}

// CreateFor godoc
//
//	@Summary				Issue a device for a user
//	@Description			An operator opens an issuance for `user_id`. The user's usage policy decides the templates (the operator may pick among them), the SKZI accounting, the SMEV check and whether a CA operator must approve (then `pending_approval`, else `approved`); self-issuance need not be allowed. 422 issuance.noPolicy when no policy applies to the user. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		OperatorInput	true	"the request"
//	@Success				201		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Failure				503		{object}	httpx.Problem
//	@Router					/issuances [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *Handler) CreateFor(c echo.Context) error { return httpx.Create(c, h.svc.RequestFor) }

// Approve godoc
//
//	@Summary				Approve a pending issuance
//	@Description			`pending_approval` → `approved`; the user then continues the issuance. Nobody approves their own request (403 issuance.ownRequest, audited). Of concurrent decisions exactly one wins; the others get 409 issuance.wrongState with the current issuance. Audited. Required permission: devices.approve.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"issuance id"
//	@Param					body	body		Decision	true	"an optional comment"
//	@Success				200		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/issuances/{id}/approve [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.approve"
func (h *Handler) Approve(c echo.Context) error { return httpx.Update(c, h.svc.Approve) }

// Reject godoc
//
//	@Summary				Reject a pending issuance
//	@Description			`pending_approval` → `rejected`, for good: a rejected request cannot be continued. The comment (why) is required. Nobody rejects their own request. Audited. Required permission: devices.approve.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"issuance id"
//	@Param					body	body		Decision	true	"why"
//	@Success				200		{object}	Issuance
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/issuances/{id}/reject [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.approve"
func (h *Handler) Reject(c echo.Context) error { return httpx.Update(c, h.svc.Reject) }

// BulkApprove godoc
//
//	@Summary				Approve several pending issuances
//	@Description			Each id is decided on its own (one transaction each) and reported: ok, or the code of its refusal (issuance.ownRequest, issuance.wrongState, resource.notFound). At most 500 ids. Required permission: devices.approve.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		BulkDecision	true	"ids and an optional comment"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/issuances/bulk-approve [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.approve"
func (h *Handler) BulkApprove(c echo.Context) error {
	var in BulkDecision
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := bulk.Check(in.IDs); err != nil {
		return err
	}
	noTx := func(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }
	v, err := bulk.Run(c.Request().Context(), in.IDs, noTx, func(ctx context.Context, id string) error {
		_, err := h.svc.Approve(ctx, id, Decision{Comment: in.Comment})
		return err
	})
	return httpx.Respond(c, http.StatusOK, v, err)
}
