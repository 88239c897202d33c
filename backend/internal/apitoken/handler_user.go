package apitoken

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// An administrator's view of one user's personal access tokens: to see what a person
// has handed to scripts, and to revoke it (on offboarding, after a leak) without
// waiting for the user. Only tokens of kind personal owned by that user are reached.

// ListOfUser godoc
//
//	@Summary				List a user's personal access tokens
//	@Description			The personal access tokens of user id, with the same list conventions as /tokens (never the secrets). Required permission: apiTokens.read.
//	@Tags					personal tokens
//	@Produce				json
//	@Param					id			path		string	true	"user id"
//	@Param					q			query		string	false	"search text (name)"
//	@Param					scope		query		string	false	"tokens carrying this scope"	Enums(providers.read, providers.write, users.read, users.write, apiTokens.read, apiTokens.write, certificates.read, certificates.write, devices.read, devices.write, devices.approve, audit.read, stats.read, settings.write, selfservice, cabinet)
//	@Param					status		query		string	false	"filter by status"	Enums(active, revoked, expired)
//	@Param					sort		query		string	false	"sort field"		Enums(name, created_at, last_used_at, expires_at)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[apitoken.Token]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/users/{id}/tokens [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.read"
func (h *Handler) ListOfUser(c echo.Context) error {
	t, err := h.ofUser(c)
	if err != nil {
		return err
	}
	return httpx.List(c, Spec, t.List)
}

// RevokeOfUser godoc
//
//	@Summary				Revoke a user's personal access token
//	@Description			Revokes personal access token tid of user id; it stops working at once on every replica. Revoking a revoked token changes nothing. Required permission: apiTokens.write.
//	@Tags					personal tokens
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Param					tid	path		string	true	"token id"
//	@Success				200	{object}	Token
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/tokens/{tid}/revoke [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"apiTokens.write"
func (h *Handler) RevokeOfUser(c echo.Context) error {
	t, err := h.ofUser(c)
	if err != nil {
		return err
	}
	tok, err := t.Revoke(c.Request().Context(), c.Param("tid"))
	return httpx.Respond(c, http.StatusOK, tok, err)
}

// ofUser is the personal tokens of the path's user (404 when there is no such user).
func (h *Handler) ofUser(c echo.Context) (tokens, error) {
	sc, err := h.svc.UserScope(c.Request().Context(), c.Param("id"))
	return tokens{svc: h.svc, sc: sc}, err
}
