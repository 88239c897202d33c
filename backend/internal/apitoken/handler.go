package apitoken

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/bulk"
	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// Handler serves /tokens (the organisation's API tokens) and /me/tokens (the caller's
// personal access tokens).
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

func caller(c echo.Context) (*authz.Principal, error) {
	p := authz.FromEcho(c)
	if p == nil {
		return nil, apperr.Unauthenticated()
	}
	return p, nil
}

func (h *Handler) get(c echo.Context, sc Scope) error {
	t, err := h.svc.Get(c.Request().Context(), sc, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *Handler) create(c echo.Context, sc Scope, p *authz.Principal) error {
	var in TokenInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	t, err := h.svc.Create(c.Request().Context(), sc, p, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store") // the one response holding a secret
	return c.JSON(http.StatusCreated, t)
}

func (h *Handler) update(c echo.Context, sc Scope, p *authz.Principal) error {
	var in TokenPatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	t, err := h.svc.Update(c.Request().Context(), sc, p, c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *Handler) revoke(c echo.Context, sc Scope) error {
	t, err := h.svc.Revoke(c.Request().Context(), sc, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *Handler) remove(c echo.Context, sc Scope) error {
	if err := h.svc.Delete(c.Request().Context(), sc, c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

func (h *Handler) bulkDelete(c echo.Context, sc Scope) error {
	var in bulk.Request
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkDelete(c.Request().Context(), sc, in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// List godoc
//
//	@Summary				List API tokens
//	@Description			The organisation's API tokens with the list conventions: q searches the name (case-insensitive). Secrets are never shown: only the prefix and public id. Required permission: apiTokens.read.
//	@Tags					tokens
//	@Produce				json
//	@Param					q			query		string	false	"search text (name)"
//	@Param					scope		query		string	false	"tokens carrying this scope"	Enums(providers.read, providers.write, users.read, users.write, apiTokens.read, apiTokens.write, certificates.read, certificates.write, devices.read, devices.write, devices.approve, audit.read, stats.read, settings.write, selfservice)
//	@Param					status		query		string	false	"filter by status"				Enums(active, revoked, expired)
//	@Param					sort		query		string	false	"sort field"					Enums(name, created_at, last_used_at, expires_at)
//	@Param					order		query		string	false	"sort order"					Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[apitoken.Token]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/tokens [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.read"
func (h *Handler) List(c echo.Context) error {
	p, err := list.Parse(c.QueryString(), Spec)
	if err != nil {
		return err
	}
	return h.page(c, Org(), p)
}

// page answers list request p over the tokens of scope sc. (Each handler parses p
// itself: swag resolves the list.Page of its annotation through the file's imports.)
func (h *Handler) page(c echo.Context, sc Scope, p list.Params) error {
	page, err := h.svc.List(c.Request().Context(), sc, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// Get godoc
//
//	@Summary				Get an API token
//	@Description			Required permission: apiTokens.read.
//	@Tags					tokens
//	@Produce				json
//	@Param					id	path		string	true	"token id"
//	@Success				200	{object}	Token
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/tokens/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.read"
func (h *Handler) Get(c echo.Context) error { return h.get(c, Org()) }

// Create godoc
//
//	@Summary				Create an API token
//	@Description			Issues an organisation API token `cst01.<public id>.<secret>`. The answer carries the whole token in `token`: the only time it is ever returned (store it in a password manager). Scopes must be known permissions the caller holds (selfservice is for personal tokens only); `expires_at` is optional and must be in the future. Names need not be unique. Required permission: apiTokens.write.
//	@Tags					tokens
//	@Accept					json
//	@Produce				json
//	@Param					body	body		TokenInput	true	"the token"
//	@Success				201		{object}	CreatedToken
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/tokens [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) Create(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	return h.create(c, Org(), p)
}

// Update godoc
//
//	@Summary				Rename an API token or change its scopes
//	@Description			`version` must be the version you edited; a stale one gets 409 with the current state. Added scopes must be held by the caller. Takes effect on the next request, on every replica. A revoked token cannot be changed (422). Required permission: apiTokens.write.
//	@Tags					tokens
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"token id"
//	@Param					body	body		TokenPatch	true	"changes"
//	@Success				200		{object}	Token
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/tokens/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) Update(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	return h.update(c, Org(), p)
}

// Revoke godoc
//
//	@Summary				Revoke an API token
//	@Description			The token is refused from now on, on every replica (401 auth.tokenRevoked). It stays listed as revoked until deleted. Revoking twice is harmless. Required permission: apiTokens.write.
//	@Tags					tokens
//	@Produce				json
//	@Param					id	path		string	true	"token id"
//	@Success				200	{object}	Token
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/tokens/{id}/revoke [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) Revoke(c echo.Context) error { return h.revoke(c, Org()) }

// Delete godoc
//
//	@Summary				Delete an API token
//	@Description			Removes the token; it stops working at once. Required permission: apiTokens.write.
//	@Tags					tokens
//	@Param					id	path	string	true	"token id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/tokens/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) Delete(c echo.Context) error { return h.remove(c, Org()) }

// BulkDelete godoc
//
//	@Summary				Delete several API tokens
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: apiTokens.write.
//	@Tags					tokens
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/tokens/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) BulkDelete(c echo.Context) error { return h.bulkDelete(c, Org()) }
