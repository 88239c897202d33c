package session

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
)

// Directory is what sign-in needs of the directory.
type Directory interface {
	GetUser(ctx context.Context, id string) (identity.User, error)
	GroupRefsOf(ctx context.Context, userID string) ([]identity.GroupRef, error)
}

// Handler serves /auth.
type Handler struct {
	svc   *Service
	users Directory
}

// NewHandler makes the handler.
func NewHandler(s *Service, u Directory) *Handler { return &Handler{svc: s, users: u} }

// Login godoc
//
//	@Summary				Sign in with login and password
//	@Description			Opens a session (HttpOnly cookie custos_session, ending with the browser session unless remember_me; then it lasts the session's absolute timeout) and hands its CSRF token in the custos_csrf cookie, to be repeated in X-CSRF-Token on every state-changing request. A session this browser still held ends. When the account has a second factor (an authenticator app) the right password opens no session yet: the answer is 200 {"second_factor": "totp", "challenge": "…"} (SecondFactorChallenge, not Me), completed with POST /auth/login/second-factor. Unknown login and wrong password answer the same 401. Every attempt is counted before the password is checked: per account and IP, per IP, and per account from everywhere (growing delays); a refused attempt is a 429 with Retry-After. Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		LoginInput	true	"credentials"
//	@Success				200		{object}	Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/login [post]
//	@x-required-permission	"public"
func (h *Handler) Login(c echo.Context) error {
	var in LoginInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	token, _, err := h.svc.Login(c.Request().Context(), in, c.RealIP(), c.Request().UserAgent())
	h.svc.offerCertificate(c, err)
	if due, werr := answerDue(c, err); due {
		return werr
	}
	if err != nil {
		return err
	}
	return h.answerSession(c, token, in.RememberMe)
}

// Logout godoc
//
//	@Summary				Sign out
//	@Description			Ends the current session. Required permission: a signed-in session.
//	@Tags					auth
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/auth/logout [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) Logout(c echo.Context) error {
	p := authz.FromEcho(c)
	if p == nil || p.SessionID == "" {
		return apperr.Unauthenticated()
	}
	if err := h.svc.Logout(c.Request().Context(), p); err != nil {
		return err
	}
	h.svc.setSessionCookie(c, "", -1)
	h.svc.setCSRFCookie(c, "", -1)
	return c.NoContent(http.StatusNoContent)
}

// Me godoc
//
//	@Summary				The signed-in caller
//	@Description			The user, their groups and their permissions (the UI hides what the caller may not do). Required permission: a signed-in caller.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	Me
//	@Failure				401	{object}	httpx.Problem
//	@Router					/auth/me [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"authenticated"
func (h *Handler) Me(c echo.Context) error {
	p := authz.FromEcho(c)
	if p == nil {
		return apperr.Unauthenticated()
	}
	return h.writeMe(c, p)
}

// WriteMe answers with the caller p (the body of GET /auth/me); other sign-in paths
// answer a new session with it too.
func (h *Handler) WriteMe(c echo.Context, p *authz.Principal) error { return h.writeMe(c, p) }

func (h *Handler) writeMe(c echo.Context, p *authz.Principal) error {
	ctx := c.Request().Context()
	var tok *MeToken
	if p.Kind == authz.KindToken {
		tok = &MeToken{ID: p.TokenID, Name: p.TokenName, Scopes: p.Scopes}
	}
	if p.UserID == "" { // an organisation API token acts for no user
		return c.JSON(http.StatusOK, Me{User: identity.User{DisplayName: p.DisplayName, GroupIDs: []string{},
			ExtraAttributes: map[string]any{}}, Groups: []identity.GroupRef{}, Permissions: h.svc.authz.Effective(p), Token: tok})
	}
	u, err := h.users.GetUser(ctx, p.UserID)
	if err != nil {
		return err
	}
	groups, err := h.users.GroupRefsOf(ctx, p.UserID)
	if err != nil {
		return err
	}
	pol, err := h.svc.mePolicy(ctx, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Me{User: u, Groups: groups, Permissions: h.svc.authz.Effective(p), Token: tok,
		SecondFactorPolicy: pol})
}
