package identity

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// AttributesHandler serves /attributes: the access schema providers map onto.
type AttributesHandler struct{ svc *Service }

// NewAttributesHandler makes the attributes handler.
func NewAttributesHandler(s *Service) *AttributesHandler { return &AttributesHandler{svc: s} }

// List godoc
//
//	@Summary				List access-schema attributes
//	@Description			List conventions: q searches code and name. Required permission: users.read.
//	@Tags					attributes
//	@Produce				json
//	@Param					q			query		string	false	"search text"
//	@Param					type		query		string	false	"attribute type"	Enums(string, list)
//	@Param					sort		query		string	false	"sort field"		Enums(code, name, type, created_at)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[identity.Attribute]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/attributes [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *AttributesHandler) List(c echo.Context) error {
	return httpx.List(c, AttributeSpec, h.svc.ListAttributes)
}

// Get godoc
//
//	@Summary				Get a access-schema attribute
//	@Description			Required permission: users.read.
//	@Tags					attributes
//	@Produce				json
//	@Param					id	path		string	true	"id"
//	@Success				200	{object}	Attribute
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/attributes/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *AttributesHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetAttribute) }

// Create godoc
//
//	@Summary				Create a access-schema attribute
//	@Description			Required permission: users.write.
//	@Tags					attributes
//	@Accept					json
//	@Produce				json
//	@Param					body	body		AttributeInput	true	"the access-schema attribute"
//	@Success				201		{object}	Attribute
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/attributes [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *AttributesHandler) Create(c echo.Context) error {
	return httpx.Create(c, h.svc.CreateAttribute)
}

// Update godoc
//
//	@Summary				Update a access-schema attribute
//	@Description			`version` must be the version you edited; a stale one gets 409 with the current state. System attributes (user_roles) keep their code and type. Required permission: users.write.
//	@Tags					attributes
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"id"
//	@Param					body	body		AttributePatch	true	"changes"
//	@Success				200		{object}	Attribute
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/attributes/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *AttributesHandler) Update(c echo.Context) error {
	return httpx.Update(c, h.svc.UpdateAttribute)
}

// Delete godoc
//
//	@Summary				Delete a access-schema attribute
//	@Description			System attributes cannot be deleted. Required permission: users.write.
//	@Tags					attributes
//	@Param					id	path	string	true	"id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/attributes/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *AttributesHandler) Delete(c echo.Context) error {
	return httpx.Delete(c, h.svc.DeleteAttribute)
}

// BulkDelete godoc
//
//	@Summary				Delete several access-schema attributes
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: users.write.
//	@Tags					attributes
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/attributes/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *AttributesHandler) BulkDelete(c echo.Context) error {
	return httpx.Bulk(c, h.svc.BulkDeleteAttributes)
}
