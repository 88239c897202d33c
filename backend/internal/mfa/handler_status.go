package mfa

import (
	"context"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// UserStatus answers user id's second factors and policy standing (the user card).
func (s *Service) UserStatus(ctx context.Context, id string) (Status, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Status{}, errUnknownUserLogin
	}
	_, _, ok, err := s.store.user(ctx, id, "")
	if err != nil {
		return Status{}, err
	}
	if !ok {
		return Status{}, errUnknownUserLogin
	}
	return s.status(ctx, id)
}

// UserStatus godoc
//
//	@Summary				A user's second factors
//	@Description			Whether the user has an authenticator app (TOTP) and how many passkeys, whether a group of theirs requires a second factor (policy.required_by names those groups) and, while they have none, when their grace ends (policy.deadline). Required permission: users.read.
//	@Tags					users
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Success				200	{object}	Status
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/factors [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *Handler) UserStatus(c echo.Context) error {
	v, err := h.svc.UserStatus(c.Request().Context(), c.Param("id"))
	return httpx.Respond(c, http.StatusOK, v, err)
}
