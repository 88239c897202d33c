package identity

import (
	"custos/internal/platform/bulk"

	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// ListGroups godoc
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
func (h *Handler) ListGroups(c echo.Context) error {
	p, err := list.Parse(c.QueryString(), GroupSpec)
	if err != nil {
		return err
	}
	page, err := h.svc.ListGroups(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetGroup godoc
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
func (h *Handler) GetGroup(c echo.Context) error {
	v, err := h.svc.GetGroup(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// CreateGroup godoc
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
func (h *Handler) CreateGroup(c echo.Context) error {
	var in GroupInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.CreateGroup(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// UpdateGroup godoc
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
func (h *Handler) UpdateGroup(c echo.Context) error {
	var in GroupPatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.UpdateGroup(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// DeleteGroup godoc
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
func (h *Handler) DeleteGroup(c echo.Context) error {
	if err := h.svc.DeleteGroup(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// BulkDeleteGroups godoc
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
func (h *Handler) BulkDeleteGroups(c echo.Context) error {
	var in bulk.Request
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkDeleteGroups(c.Request().Context(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// ListUserTypes godoc
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
func (h *Handler) ListUserTypes(c echo.Context) error {
	p, err := list.Parse(c.QueryString(), UserTypeSpec)
	if err != nil {
		return err
	}
	page, err := h.svc.ListUserTypes(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetUserType godoc
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
func (h *Handler) GetUserType(c echo.Context) error {
	v, err := h.svc.GetUserType(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// CreateUserType godoc
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
func (h *Handler) CreateUserType(c echo.Context) error {
	var in UserTypeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.CreateUserType(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// UpdateUserType godoc
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
func (h *Handler) UpdateUserType(c echo.Context) error {
	var in UserTypePatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.UpdateUserType(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// DeleteUserType godoc
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
func (h *Handler) DeleteUserType(c echo.Context) error {
	if err := h.svc.DeleteUserType(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// BulkDeleteUserTypes godoc
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
func (h *Handler) BulkDeleteUserTypes(c echo.Context) error {
	var in bulk.Request
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkDeleteUserTypes(c.Request().Context(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// ListAttributes godoc
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
func (h *Handler) ListAttributes(c echo.Context) error {
	p, err := list.Parse(c.QueryString(), AttributeSpec)
	if err != nil {
		return err
	}
	page, err := h.svc.ListAttributes(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetAttribute godoc
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
func (h *Handler) GetAttribute(c echo.Context) error {
	v, err := h.svc.GetAttribute(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// CreateAttribute godoc
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
func (h *Handler) CreateAttribute(c echo.Context) error {
	var in AttributeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.CreateAttribute(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// UpdateAttribute godoc
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
func (h *Handler) UpdateAttribute(c echo.Context) error {
	var in AttributePatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.UpdateAttribute(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// DeleteAttribute godoc
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
func (h *Handler) DeleteAttribute(c echo.Context) error {
	if err := h.svc.DeleteAttribute(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// BulkDeleteAttributes godoc
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
func (h *Handler) BulkDeleteAttributes(c echo.Context) error {
	var in bulk.Request
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkDeleteAttributes(c.Request().Context(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// GetLicence godoc
//
//	@Summary				Get the licence
//	@Description			The access type of the installation (on_premise or cloud). Required permission: users.read.
//	@Tags					settings
//	@Produce				json
//	@Success				200	{object}	Licence
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/settings/licence [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *Handler) GetLicence(c echo.Context) error {
	l, err := h.svc.GetLicence(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// SetLicence godoc
//
//	@Summary				Change the licence
//	@Description			Under a cloud licence providers may not create users. Required permission: settings.write.
//	@Tags					settings
//	@Accept					json
//	@Produce				json
//	@Param					body	body		LicenceInput	true	"access type and version"
//	@Success				200		{object}	Licence
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/settings/licence [put]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *Handler) SetLicence(c echo.Context) error {
	var in LicenceInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	l, err := h.svc.SetLicence(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}
