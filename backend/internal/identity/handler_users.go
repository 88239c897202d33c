package identity

import (
	"net/http"

	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// UsersHandler serves /users: the directory's accounts.
type UsersHandler struct{ svc *Service }

// NewUsersHandler makes the users handler.
func NewUsersHandler(s *Service) *UsersHandler { return &UsersHandler{svc: s} }

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

// List godoc
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
func (h *UsersHandler) List(c echo.Context) error { return httpx.List(c, UserSpec, h.svc.ListUsers) }

// Get godoc
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
func (h *UsersHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetUser) }

// Create godoc
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
func (h *UsersHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreateUser) }

// Update godoc
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
func (h *UsersHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdateUser) }

// Delete godoc
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
func (h *UsersHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeleteUser) }

// BulkDelete godoc
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
func (h *UsersHandler) BulkDelete(c echo.Context) error { return httpx.Bulk(c, h.svc.BulkDeleteUsers) }

// BulkActivate godoc
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
func (h *UsersHandler) BulkActivate(c echo.Context) error {
	var in BulkActiveInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	r, err := h.svc.BulkSetActive(c.Request().Context(), in.IDs, in.Active)
	return httpx.Respond(c, http.StatusOK, r, err)
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
func (h *UsersHandler) SetPassword(c echo.Context) error {
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
