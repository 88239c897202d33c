package identity

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// GroupsHandler serves /groups: groups and the permissions they grant.
type GroupsHandler struct{ svc *Service }

// NewGroupsHandler makes the groups handler.
func NewGroupsHandler(s *Service) *GroupsHandler { return &GroupsHandler{svc: s} }

// List godoc
//
//	@Summary				List groups
//	@Description			List conventions: q searches code and name. Required permission: users.read.
//	@Tags					groups
//	@Produce				json
//	@Param					q			query		string	false	"search text"
//	@Param					system		query		bool	false	"system or custom groups"
//	@Param					sort		query		string	false	"sort field"	Enums(code, name, system, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[identity.Group]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/groups [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *GroupsHandler) List(c echo.Context) error { return httpx.List(c, GroupSpec, h.svc.ListGroups) }

// Get godoc
//
//	@Summary				Get a group
//	@Description			Required permission: users.read.
//	@Tags					groups
//	@Produce				json
//	@Param					id	path		string	true	"id"
//	@Success				200	{object}	Group
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/groups/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *GroupsHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetGroup) }

// Create godoc
//
//	@Summary				Create a group
//	@Description			Creates a custom group with permissions (SPEC §2.2 strings). Required permission: users.write.
//	@Tags					groups
//	@Accept					json
//	@Produce				json
//	@Param					body	body		GroupInput	true	"the group"
//	@Success				201		{object}	Group
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/groups [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *GroupsHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreateGroup) }

// Update godoc
//
//	@Summary				Update a group
//	@Description			`version` must be the version you edited; a stale one gets 409 with the current state. System groups keep their code and permissions. Required permission: users.write.
//	@Tags					groups
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"id"
//	@Param					body	body		GroupPatch	true	"changes"
//	@Success				200		{object}	Group
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/groups/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *GroupsHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdateGroup) }

// Delete godoc
//
//	@Summary				Delete a group
//	@Description			System groups cannot be deleted. Required permission: users.write.
//	@Tags					groups
//	@Param					id	path	string	true	"id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/groups/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *GroupsHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeleteGroup) }

// BulkDelete godoc
//
//	@Summary				Delete several groups
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: users.write.
//	@Tags					groups
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/groups/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *GroupsHandler) BulkDelete(c echo.Context) error {
	return httpx.Bulk(c, h.svc.BulkDeleteGroups)
}
