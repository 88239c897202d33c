package apitoken

import (
	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// mine is the caller's personal tokens. An organisation API token has no user, so it
// has no personal tokens either.
func (h *Handler) mine(c echo.Context, sessionOnly bool) (tokens, error) {
	p := authz.FromEcho(c)
	if p == nil {
		return tokens{}, apperr.Unauthenticated()
	}
	if p.UserID == "" {
		return tokens{}, errNoUser
	}
	// A token may list, revoke and delete its owner's tokens, but never mint or widen
	// one: that would let a narrow token grow into a broad one.
	if sessionOnly && p.Kind == authz.KindToken {
		return tokens{}, errSessionOnly
	}
	return tokens{svc: h.svc, sc: Personal(p.UserID)}, nil
}

// ListMine godoc
//
//	@Summary				List my personal access tokens
//	@Description			The signed-in user's personal access tokens, with the same list conventions as /tokens. Required permission: selfservice.
//	@Tags					personal tokens
//	@Produce				json
//	@Param					q			query		string	false	"search text (name)"
//	@Param					scope		query		string	false	"tokens carrying this scope"	Enums(providers.read, providers.write, users.read, users.write, apiTokens.read, apiTokens.write, certificates.read, certificates.write, devices.read, devices.write, devices.approve, audit.read, stats.read, settings.write, selfservice, cabinet)
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
//	@Router					/me/tokens [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) ListMine(c echo.Context) error {
	t, err := h.mine(c, false)
	if err != nil {
		return err
	}
	return httpx.List(c, Spec, t.List)
}

// GetMine godoc
//
//	@Summary				Get one of my personal access tokens
//	@Description			Required permission: selfservice.
//	@Tags					personal tokens
//	@Produce				json
//	@Param					id	path		string	true	"token id"
//	@Success				200	{object}	Token
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/me/tokens/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) GetMine(c echo.Context) error {
	t, err := h.mine(c, false)
	if err != nil {
		return err
	}
	return httpx.Get(c, t.Get)
}

// CreateMine godoc
//
//	@Summary				Create a personal access token
//	@Description			Issues a personal access token `csp01.<public id>.<secret>` for the signed-in user; the answer carries the whole token in `token`, once. At most 5 live (not revoked, not expired) tokens per user (422 token.personalLimit). Scopes must be permissions the user holds; on every use the token may do only what its scopes AND its owner's current permissions allow. Needs a browser session: a token cannot mint tokens (403 token.sessionRequired). Required permission: selfservice.
//	@Tags					personal tokens
//	@Accept					json
//	@Produce				json
//	@Param					body	body		TokenInput	true	"the token"
//	@Success				201		{object}	CreatedToken
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/me/tokens [post]
//	@Security				SessionCookie
//	@x-required-permission	"selfservice"
func (h *Handler) CreateMine(c echo.Context) error {
	t, err := h.mine(c, true)
	if err != nil {
		return err
	}
	return httpx.Create(c, noStore(c, t.Create))
}

// UpdateMine godoc
//
//	@Summary				Rename one of my personal access tokens or change its scopes
//	@Description			`version` must be the version you edited (409 otherwise). Added scopes must be held by the user. Needs a browser session. Required permission: selfservice.
//	@Tags					personal tokens
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
//	@Router					/me/tokens/{id} [patch]
//	@Security				SessionCookie
//	@x-required-permission	"selfservice"
func (h *Handler) UpdateMine(c echo.Context) error {
	t, err := h.mine(c, true)
	if err != nil {
		return err
	}
	return httpx.Update(c, t.Update)
}

// RevokeMine godoc
//
//	@Summary				Revoke one of my personal access tokens
//	@Description			Refused from now on, on every replica. Required permission: selfservice.
//	@Tags					personal tokens
//	@Produce				json
//	@Param					id	path		string	true	"token id"
//	@Success				200	{object}	Token
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/me/tokens/{id}/revoke [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) RevokeMine(c echo.Context) error {
	t, err := h.mine(c, false)
	if err != nil {
		return err
	}
	return httpx.Get(c, t.Revoke)
}

// DeleteMine godoc
//
//	@Summary				Delete one of my personal access tokens
//	@Description			Required permission: selfservice.
//	@Tags					personal tokens
//	@Param					id	path	string	true	"token id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/me/tokens/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) DeleteMine(c echo.Context) error {
	t, err := h.mine(c, false)
	if err != nil {
		return err
	}
	return httpx.Delete(c, t.Delete)
}

// BulkDeleteMine godoc
//
//	@Summary				Delete several of my personal access tokens
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: selfservice.
//	@Tags					personal tokens
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/me/tokens/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) BulkDeleteMine(c echo.Context) error {
	t, err := h.mine(c, false)
	if err != nil {
		return err
	}
	return httpx.Bulk(c, t.BulkDelete)
}
