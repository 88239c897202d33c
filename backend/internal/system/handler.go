package system

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// Handler serves /systems and their certificates.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// List godoc
//
//	@Summary				List integrated systems
//	@Description			List conventions: q searches name and description. Required permission: certificates.read.
//	@Tags					systems
//	@Produce				json
//	@Param					q			query		string	false	"search text (name, description)"
//	@Param					enabled		query		bool	false	"enabled or disabled systems"
//	@Param					sort		query		string	false	"sort field"	Enums(name, enabled, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[system.System]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/systems [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) List(c echo.Context) error { return httpx.List(c, Spec, h.svc.List) }

// Get godoc
//
//	@Summary				Get an integrated system
//	@Description			Required permission: certificates.read.
//	@Tags					systems
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Success				200	{object}	System
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) Get(c echo.Context) error { return httpx.Get(c, h.svc.Get) }

// Create godoc
//
//	@Summary				Create an integrated system
//	@Description			`name` is required (≤ 200, unique case-insensitively: 409 system.nameTaken), `description` ≤ 2000, `enabled` defaults to true, `owner_group_id` an existing group, `allowed_services` permission strings from the catalogue that the caller holds itself (else 403 authz.grantNotHeld, audited), `settings_texts` ≤ 20 KB each. Audited (resource_type "system"). Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					body	body		SystemInput	true	"the system"
//	@Success				201		{object}	System
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/systems [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Create(c echo.Context) error { return httpx.Create(c, h.svc.Create) }

// Update godoc
//
//	@Summary				Change an integrated system
//	@Description			`version` must be the version you edited (409 with the current state otherwise). Absent (or null) fields stay; `owner_group_id` "" removes the owner group. Added allowed services must be held by the caller. Disabling the system refuses its certificates at once on every replica. Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"system id"
//	@Param					body	body		SystemPatch	true	"changes"
//	@Success				200		{object}	System
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/systems/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Update(c echo.Context) error { return httpx.Update(c, h.svc.Update) }

// Delete godoc
//
//	@Summary				Delete an integrated system
//	@Description			Deletes the system and its certificates (CA-issued ones still valid are revoked: cessationOfOperation). Required permission: certificates.write.
//	@Tags					systems
//	@Param					id	path	string	true	"system id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.Delete) }

// BulkDelete godoc
//
//	@Summary				Delete several integrated systems
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/systems/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) BulkDelete(c echo.Context) error { return httpx.Bulk(c, h.svc.BulkDelete) }
