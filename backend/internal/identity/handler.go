package identity

import (
	"custos/internal/platform/bulk"

	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// Handler serves the directory API.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// BulkActiveInput is the body of bulk activation.
type BulkActiveInput struct {
	IDs    []string `json:"ids"`
	Active bool     `json:"active"`
} //	@name	BulkActiveInput

// PasswordInput sets a password.
type PasswordInput struct {
	Password string `json:"password"`
	// RevokeTokens also revokes the user's personal access tokens (default true).
	RevokeTokens *bool `json:"revoke_tokens" validate:"optional"`
} //	@name	PasswordInput

// ListUsers godoc
//
//	@Summary				List users
//	@Description			List conventions: q searches login, email and display name (case-insensitive). Required permission: users.read.
//	@Tags					users
//	@Produce				json
//	@Param					q				query		string	false	"search text"
//	@Param					active			query		bool	false	"filter by activity"
//	@Param					user_type_id	query		string	false	"filter by user type"
//	@Param					group_id		query		string	false	"filter by group membership"
//	@Param					sort			query		string	false	"sort field"	Enums(login, email, display_name, active, created_at, last_login_at)
//	@Param					order			query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page			query		int		false	"page (1-based)"
//	@Param					page_size		query		int		false	"page size (max 200)"
//	@Param					cursor			query		string	false	"cursor from the previous page for seek paging"
//	@Success				200				{object}	list.Page[identity.User]
//	@Failure				400				{object}	httpx.Problem
//	@Failure				401				{object}	httpx.Problem
//	@Failure				403				{object}	httpx.Problem
//	@Router					/users [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *Handler) ListUsers(c echo.Context) error {
	p, err := list.Parse(c.QueryString(), UserSpec)
	if err != nil {
		return err
	}
	page, err := h.svc.ListUsers(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetUser godoc
//
//	@Summary				Get a user
//	@Description			Required permission: users.read.
//	@Tags					users
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Success				200	{object}	User
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *Handler) GetUser(c echo.Context) error {
	u, err := h.svc.GetUser(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// CreateUser godoc
//
//	@Summary				Create a user
//	@Description			Creates a user, optionally with a local password. Active users count against their user type's quota. Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Produce				json
//	@Param					body	body		UserInput	true	"the user"
//	@Success				201		{object}	User
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/users [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) CreateUser(c echo.Context) error {
	var in UserInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

// UpdateUser godoc
//
//	@Summary				Update a user
//	@Description			Changes the given fields. `version` must be the version you edited; a stale one gets 409 with the current state. Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"user id"
//	@Param					body	body		UserPatch	true	"changes"
//	@Success				200		{object}	User
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/users/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) UpdateUser(c echo.Context) error {
	var in UserPatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateUser(c.Request().Context(), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// DeleteUser godoc
//
//	@Summary				Delete a user
//	@Description			The built-in tech_admin cannot be deleted. Required permission: users.write.
//	@Tags					users
//	@Param					id	path	string	true	"user id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/users/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) DeleteUser(c echo.Context) error {
	if err := h.svc.DeleteUser(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// BulkDeleteUsers godoc
//
//	@Summary				Delete several users
//	@Description			Deletes each id in its own transaction and reports each outcome. Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/users/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) BulkDeleteUsers(c echo.Context) error {
	var in bulk.Request
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkDeleteUsers(c.Request().Context(), in.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// BulkActivateUsers godoc
//
//	@Summary				Activate or deactivate several users
//	@Description			Reports each outcome (quota refusals included). Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Produce				json
//	@Param					body	body		BulkActiveInput	true	"ids and the wanted state"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/users/bulk-activate [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) BulkActivateUsers(c echo.Context) error {
	var in BulkActiveInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkSetActive(c.Request().Context(), in.IDs, in.Active)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// SetPassword godoc
//
//	@Summary				Set a user's local password
//	@Description			At least 8 characters, not containing the login, not a common password. Ends every session of the user; revoke_tokens (default true) also revokes their personal access tokens. Refused (403) for tech_admin and tech_admins members unless the caller is one, and for an account holding a permission the caller lacks. Required permission: users.write.
//	@Tags					users
//	@Accept					json
//	@Param					id		path	string			true	"user id"
//	@Param					body	body	PasswordInput	true	"the new password"
//	@Success				204
//	@Failure				400	{object}	httpx.Problem
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/password [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) SetPassword(c echo.Context) error {
	var in PasswordInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	revoke := in.RevokeTokens == nil || *in.RevokeTokens
	if err := h.svc.SetPassword(c.Request().Context(), c.Param("id"), PasswordReset{Password: in.Password, RevokeTokens: revoke}); err != nil {
		return err
	}
	return httpx.NoContent(c)
}
