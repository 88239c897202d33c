package identity

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// UserTypesHandler serves /user-types: the kinds of account and their quotas.
type UserTypesHandler struct{ svc *Service }

// NewUserTypesHandler makes the user types handler.
func NewUserTypesHandler(s *Service) *UserTypesHandler { return &UserTypesHandler{svc: s} }

// List godoc
//
//	@Summary				List user types
//	@Description			List conventions: q searches code and name. Required permission: users.read.
//	@Tags					user-types
//	@Produce				json
//	@Param					q			query		string	false	"search text"
//	@Param					sort		query		string	false	"sort field"	Enums(code, name, quota, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[identity.UserType]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/user-types [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *UserTypesHandler) List(c echo.Context) error {
	return httpx.List(c, UserTypeSpec, h.svc.ListUserTypes)
}

// Get godoc
//
//	@Summary				Get a user type
//	@Description			Required permission: users.read.
//	@Tags					user-types
//	@Produce				json
//	@Param					id	path		string	true	"id"
//	@Success				200	{object}	UserType
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/user-types/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *UserTypesHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetUserType) }

// Create godoc
//
//	@Summary				Create a user type
//	@Description			quota 0 means unlimited. Required permission: users.write.
//	@Tags					user-types
//	@Accept					json
//	@Produce				json
//	@Param					body	body		UserTypeInput	true	"the user type"
//	@Success				201		{object}	UserType
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/user-types [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *UserTypesHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreateUserType) }

// Update godoc
//
//	@Summary				Update a user type
//	@Description			`version` must be the version you edited; a stale one gets 409 with the current state. Required permission: users.write.
//	@Tags					user-types
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"id"
//	@Param					body	body		UserTypePatch	true	"changes"
//	@Success				200		{object}	UserType
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/user-types/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *UserTypesHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdateUserType) }

// Delete godoc
//
//	@Summary				Delete a user type
//	@Description			A type that users still have cannot be deleted. Required permission: users.write.
//	@Tags					user-types
//	@Param					id	path	string	true	"id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/user-types/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *UserTypesHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeleteUserType) }

// BulkDelete godoc
//
//	@Summary				Delete several user types
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: users.write.
//	@Tags					user-types
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/user-types/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *UserTypesHandler) BulkDelete(c echo.Context) error {
	return httpx.Bulk(c, h.svc.BulkDeleteUserTypes)
}
