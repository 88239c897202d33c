package mfa

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
)

// Guard refuses an administrator's action on an account they may not manage (the
// directory's «Security first» rules).
type Guard interface {
	CheckManage(ctx context.Context, userID, action string) error
}

// Handler serves a person's second factors.
type Handler struct {
	svc   *Service
	guard Guard
}

// NewHandler makes the handler.
func NewHandler(s *Service, g Guard) *Handler { return &Handler{svc: s, guard: g} }

// Reset is the answer to an administrator's reset of a user's factors.
type Reset struct {
	SessionsEnded int64 `json:"sessions_ended"`
} //	@name	FactorsReset

// Mine godoc
//
//	@Summary				Your second factors
//	@Description			Whether an authenticator app (TOTP) is set up or waiting for its first code, and how many recovery codes are left. Required permission: a signed-in session (not an API token).
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	Status
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/factors [get]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) Mine(c echo.Context) error {
	v, err := h.svc.Mine(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// StartTOTP godoc
//
//	@Summary				Start setting up an authenticator app
//	@Description			Makes a new TOTP key (RFC 6238: SHA-1, 6 digits, 30 s) and answers it once, as an otpauth:// URL for a QR code and as base32 text; it waits for a first code (POST /me/factors/totp/confirm) for 15 minutes. Starting again replaces a waiting key; an active one must be removed first (409 mfa.alreadyEnrolled). Audited as totp.enrol, without the key. Required permission: a signed-in session.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	Enrolment
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/me/factors/totp [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) StartTOTP(c echo.Context) error {
	v, err := h.svc.StartTOTP(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// ConfirmTOTP godoc
//
//	@Summary				Confirm the authenticator app with a first code
//	@Description			Activates the waiting key when code is its current code (one step of clock skew either way) and answers ten one-time recovery codes, once: they are stored hashed. From then on signing in asks for a code after the password. A wrong code is a 401 mfa.invalidCode on `code`; no waiting key is a 422 mfa.noPendingEnrolment. Audited as totp.confirm. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		CodeInput	true	"the current code"
//	@Success				200		{object}	RecoveryCodesOut
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/me/factors/totp/confirm [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) ConfirmTOTP(c echo.Context) error {
	var in CodeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Confirm(c.Request().Context(), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// RemoveTOTP godoc
//
//	@Summary				Remove the authenticator app
//	@Description			Deletes the TOTP key and the recovery codes after a current code or the password proves the caller; wrong ones count toward the sign-in lock-out like wrong passwords (429 auth.tooManyAttempts). Audited as totp.remove. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Param					body	body	RemoveInput	true	"a current code or the password"
//	@Success				204
//	@Failure				400	{object}	httpx.Problem
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Failure				429	{object}	httpx.Problem
//	@Router					/me/factors/totp [delete]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) RemoveTOTP(c echo.Context) error {
	var in RemoveInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.Remove(c.Request().Context(), in, c.RealIP()); err != nil {
		return err
	}
	return httpx.NoContent(c)
}

// RegenerateCodes godoc
//
//	@Summary				New recovery codes
//	@Description			Replaces the recovery codes with ten new ones, answered once, after a current code proves the caller (wrong codes count toward the lock-out). Audited as recovery_codes.regenerate, without the codes. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		CodeInput	true	"the current code"
//	@Success				200		{object}	RecoveryCodesOut
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/me/factors/recovery-codes [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) RegenerateCodes(c echo.Context) error {
	var in CodeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.RegenerateCodes(c.Request().Context(), in, c.RealIP())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// ResetUser godoc
//
//	@Summary				Reset a user's second factors
//	@Description			Deletes the user's authenticator app and recovery codes and ends their sessions; they sign in with the password alone and may set up a new app. Refused (403) for an account the caller may not manage. Audited as factors.reset. Required permission: users.write.
//	@Tags					users
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Success				200	{object}	Reset
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/factors/reset [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *Handler) ResetUser(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if err := h.guard.CheckManage(ctx, id, "factors.reset"); err != nil {
		return err
	}
	by := ""
	if p := authz.FromEcho(c); p != nil {
		by = p.Login
	}
	n, err := h.svc.Reset(ctx, id, "", by)
	return httpx.Respond(c, http.StatusOK, Reset{SessionsEnded: n}, err)
}
