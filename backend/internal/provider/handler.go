package provider

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/bulk"
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// Handler serves the providers API.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// BulkActiveInput is the body of bulk activation; active defaults to true.
type BulkActiveInput struct {
	IDs    []string `json:"ids"`
	Active *bool    `json:"active" validate:"optional"`
} //	@name	ProviderBulkActiveInput

// List godoc
//
//	@Summary				List providers
//	@Description			List conventions: q searches the name (case-insensitive). Required permission: providers.read.
//	@Tags					providers
//	@Produce				json
//	@Param					q			query		string	false	"search text"
//	@Param					type		query		string	false	"filter by type"	Enums(local, oidc, oidc_token, oidc_cookie, ldap, ldap_kerberos, rest)
//	@Param					active		query		bool	false	"filter by activity"
//	@Param					sort		query		string	false	"sort field"	Enums(name, type, active, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[provider.Provider]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/providers [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.read"
func (h *Handler) List(c echo.Context) error { return httpx.List(c, Spec, h.svc.List) }

// Get godoc
//
//	@Summary				Get a provider
//	@Description			Includes users_count: how many users came through the provider (for the delete confirmation). Secrets are never returned; params carries client_secret_set / bind_password_set. Required permission: providers.read.
//	@Tags					providers
//	@Produce				json
//	@Param					id	path		string	true	"provider id"
//	@Success				200	{object}	Provider
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/providers/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.read"
func (h *Handler) Get(c echo.Context) error { return httpx.Get(c, h.svc.Get) }

// Create godoc
//
//	@Summary				Create a provider
//	@Description			Params depend on the type; secrets are write-only. Codes: validation.failed (errors[] names fields such as params.client_id), provider.localExists, provider.activeTypeExists, provider.buttonLabelOnlyOidc, provider.userTypeNeedsCreation, provider.invalidLdapFilter, provider.creationForbiddenCloud. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					body	body		ProviderInput	true	"the provider"
//	@Success				201		{object}	Provider
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/providers [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) Create(c echo.Context) error { return httpx.Create(c, h.svc.Create) }

// Update godoc
//
//	@Summary				Update a provider
//	@Description			Changes the given fields; params are merged over the stored ones. `version` must be the version you edited; a stale one gets 409 with the current state. The type cannot change (provider.typeImmutable). Changing an LDAP host or bind_dn clears the stored bind password unless a new one is given. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"provider id"
//	@Param					body	body		ProviderPatch	true	"changes"
//	@Success				200		{object}	Provider
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/providers/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) Update(c echo.Context) error { return httpx.Update(c, h.svc.Update) }

// Delete godoc
//
//	@Summary				Delete a provider
//	@Description			Active providers (provider.activeCannotBeDeleted) and the local provider (provider.localCannotBeDeleted) cannot be deleted. Required permission: providers.write.
//	@Tags					providers
//	@Param					id	path	string	true	"provider id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/providers/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.Delete) }

// BulkDelete godoc
//
//	@Summary				Delete several providers
//	@Description			Deletes each id in its own transaction and reports each outcome (refusals and unknown ids included). Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/providers/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) BulkDelete(c echo.Context) error { return httpx.Bulk(c, h.svc.BulkDelete) }

// BulkActivate godoc
//
//	@Summary				Activate (or deactivate) several providers
//	@Description			Sets active (default true) on each id and reports each outcome; a second active oidc_cookie, ldap or ldap_kerberos provider is refused with provider.activeTypeExists. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					body	body		ProviderBulkActiveInput	true	"ids and the wanted state"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/providers/bulk-activate [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) BulkActivate(c echo.Context) error {
	var in BulkActiveInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkSetActive(c.Request().Context(), in.IDs, in.Active == nil || *in.Active)
	return httpx.Respond(c, http.StatusOK, r, err)
}

// BulkDeactivate godoc
//
//	@Summary				Deactivate several providers
//	@Description			Reports each outcome. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/providers/bulk-deactivate [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) BulkDeactivate(c echo.Context) error {
	return httpx.Bulk(c, func(ctx context.Context, ids []string) (bulk.Response, error) {
		return h.svc.BulkSetActive(ctx, ids, false)
	})
}
