package apitoken

import (
	"context"

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

// tokens is the service bound to the tokens of one scope, in the shapes the httpx
// handler bodies take; the caller comes from the request's context.
type tokens struct {
	svc *Service
	sc  Scope
}

func (t tokens) List(ctx context.Context, p list.Params) (list.Page[Token], error) {
	return t.svc.List(ctx, t.sc, p)
}

func (t tokens) Get(ctx context.Context, id string) (Token, error) { return t.svc.Get(ctx, t.sc, id) }

func (t tokens) Revoke(ctx context.Context, id string) (Token, error) {
	return t.svc.Revoke(ctx, t.sc, id)
}

func (t tokens) Delete(ctx context.Context, id string) error { return t.svc.Delete(ctx, t.sc, id) }

func (t tokens) BulkDelete(ctx context.Context, ids []string) (bulk.Response, error) {
	return t.svc.BulkDelete(ctx, t.sc, ids)
}

func (t tokens) Create(ctx context.Context, in TokenInput) (CreatedToken, error) {
	p := authz.FromContext(ctx)
	if p == nil {
		return CreatedToken{}, apperr.Unauthenticated()
	}
	return t.svc.Create(ctx, t.sc, p, in)
}

func (t tokens) Update(ctx context.Context, id string, in TokenPatch) (Token, error) {
	p := authz.FromContext(ctx)
	if p == nil {
		return Token{}, apperr.Unauthenticated()
	}
	return t.svc.Update(ctx, t.sc, p, id, in)
}

// noStore marks a successful create's answer uncacheable: the one response holding a secret.
func noStore(c echo.Context, create func(context.Context, TokenInput) (CreatedToken, error)) func(context.Context, TokenInput) (CreatedToken, error) {
	return func(ctx context.Context, in TokenInput) (CreatedToken, error) {
		t, err := create(ctx, in)
		if err == nil {
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return t, err
	}
}

// org is the organisation's API tokens.
func (h *Handler) org() tokens { return tokens{svc: h.svc, sc: Org()} }

// List godoc
//
//	@Summary				List API tokens
//	@Description			The organisation's API tokens with the list conventions: q searches the name (case-insensitive). Secrets are never shown: only the prefix and public id. Required permission: apiTokens.read.
//	@Tags					tokens
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
//	@Router					/tokens [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.read"
func (h *Handler) List(c echo.Context) error { return httpx.List(c, Spec, h.org().List) }

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
func (h *Handler) Get(c echo.Context) error { return httpx.Get(c, h.org().Get) }

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
func (h *Handler) Create(c echo.Context) error { return httpx.Create(c, noStore(c, h.org().Create)) }

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
func (h *Handler) Update(c echo.Context) error { return httpx.Update(c, h.org().Update) }

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
func (h *Handler) Revoke(c echo.Context) error { return httpx.Get(c, h.org().Revoke) }

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
func (h *Handler) Delete(c echo.Context) error { return httpx.Delete(c, h.org().Delete) }

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
func (h *Handler) BulkDelete(c echo.Context) error { return httpx.Bulk(c, h.org().BulkDelete) }
