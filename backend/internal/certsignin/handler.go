package certsignin

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// Handler serves the certificates bound to a user.
type Handler struct {
	svc   *Service
	guard Guard
}

// NewHandler makes the handler.
func NewHandler(s *Service, g Guard) *Handler { return &Handler{svc: s, guard: g} }

// List godoc
//
//	@Summary				List the certificates bound to a user
//	@Description			The client certificates an administrator bound to user id: presented on the mTLS listener, each signs them in without a password (certificates Custos wrote on their devices do so without a binding). Required permission: users.read.
//	@Tags					users
//	@Produce				json
//	@Param					id			path		string	true	"user id"
//	@Param					sort		query		string	false	"sort field"	Enums(created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[certsignin.Bound]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/users/{id}/certificates [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *Handler) List(c echo.Context) error {
	return httpx.List(c, Spec, func(ctx context.Context, p list.Params) (list.Page[Bound], error) {
		return h.svc.List(ctx, c.Param("id"), p)
	})
}

// Bind godoc
//
//	@Summary				Bind a certificate to a user
//	@Description			Binds a client certificate to user id by its PEM (subject, serial and validity are kept; an expired or CA certificate is refused) or by its SHA-256 fingerprint alone; exactly one of them (400 naming the field). Presented on the mTLS listener it then signs them in without a password and counts as a second factor. A certificate bound already is a 409 certificate.alreadyBound; one Custos wrote on a device a 409 certificate.issuedToDevice. Refused (403) for an account the caller may not manage. Audited as certificate.bind. Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"user id"
//	@Param					body	body		BindInput	true	"the certificate"
//	@Success				201		{object}	Bound
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/users/{id}/certificates [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) Bind(c echo.Context) error {
	var in BindInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	ctx, id := c.Request().Context(), c.Param("id")
	if err := h.guard.CheckManage(ctx, id, "certificate.bind"); err != nil {
		return err
	}
	b, err := h.svc.Bind(ctx, id, in)
	return httpx.Respond(c, http.StatusCreated, b, err)
}

// Unbind godoc
//
//	@Summary				Unbind a certificate from a user
//	@Description			The certificate no longer signs user id in (their open sessions stay). Refused (403) for an account the caller may not manage. Audited as certificate.unbind. Required permission: users.write.
//	@Tags					users
//	@Param					id		path	string	true	"user id"
//	@Param					cid		path	string	true	"bound certificate id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/certificates/{cid} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) Unbind(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if err := h.guard.CheckManage(ctx, id, "certificate.unbind"); err != nil {
		return err
	}
	if err := h.svc.Unbind(ctx, id, c.Param("cid")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}
