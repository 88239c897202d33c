package session

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// AccountGuard decides whether the caller in ctx may act on the account userID
// (SPEC §2.2: nobody changes an account that holds a permission they lack); it audits
// its own refusals. The directory implements it.
type AccountGuard interface {
	CheckManage(ctx context.Context, userID, action string) error
}

// SessionsHandler serves signing out everywhere, the own password change and an
// administrator's view of a user's sessions.
type SessionsHandler struct {
	svc   *Service
	guard AccountGuard
	pw    PasswordWriter
}

// NewSessionsHandler makes the handler.
func NewSessionsHandler(s *Service, g AccountGuard, pw PasswordWriter) *SessionsHandler {
	return &SessionsHandler{svc: s, guard: g, pw: pw}
}

// LogoutAll godoc
//
//	@Summary				Sign out everywhere
//	@Description			Ends every session of the caller, this one included, and clears the session cookie. An API token caller is refused (403 auth.sessionRequired): a token is revoked, not signed out. Audited as logout.all with the count. Required permission: a signed-in session.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	SessionsEnded
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/auth/logout-all [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *SessionsHandler) LogoutAll(c echo.Context) error {
	n, err := h.svc.LogoutAll(c.Request().Context(), authz.FromEcho(c))
	if err != nil {
		return err
	}
	h.svc.setSessionCookie(c, "", -1)
	return c.JSON(http.StatusOK, SessionsEnded{Ended: n})
}

// ChangePassword godoc
//
//	@Summary				Change your own password
//	@Description			Proves the current local password and sets a new one (the password policy applies; its errors name new_password). A wrong current password is a 400 auth.wrongCurrentPassword naming current_password and counts toward the sign-in lock-out (429 while locked). Every other session of the caller ends; this one stays. An API token caller is refused (403 auth.sessionRequired). Audited as password.change. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Param					body	body	ChangePasswordInput	true	"the current and the new password"
//	@Success				204
//	@Failure				400	{object}	httpx.Problem
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Failure				429	{object}	httpx.Problem
//	@Router					/auth/password [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *SessionsHandler) ChangePassword(c echo.Context) error {
	p, ctx := authz.FromEcho(c), c.Request().Context()
	if err := h.svc.requireSession(ctx, p, ActionPasswordChange); err != nil {
		return err // before the body: a token learns nothing about what it sent
	}
	var in ChangePasswordInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if err := h.svc.VerifyOwnPassword(ctx, p, in, c.RealIP()); err != nil {
		return err
	}
	if err := h.pw.ChangeOwnPassword(ctx, p.UserID, in.NewPassword, p.SessionID); err != nil {
		return renameField(err, "password", "new_password")
	}
	return httpx.NoContent(c)
}

// ListUserSessions godoc
//
//	@Summary				List a user's open sessions
//	@Description			The open browser sessions of user id, newest activity first; current marks the caller's own. Required permission: users.read.
//	@Tags					users
//	@Produce				json
//	@Param					id			path		string	true	"user id"
//	@Param					sort		query		string	false	"sort field"	Enums(created_at, last_seen_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[session.Session]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/users/{id}/sessions [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *SessionsHandler) ListUserSessions(c echo.Context) error {
	return httpx.List(c, SessionSpec, func(ctx context.Context, p list.Params) (list.Page[Session], error) {
		return h.svc.ListSessions(ctx, c.Param("id"), sessionOf(authz.FromEcho(c)), p)
	})
}

// sessionOf is p's session key ("" for no caller or a caller without a session).
func sessionOf(p *authz.Principal) string {
	if p == nil {
		return ""
	}
	return p.SessionID
}

// EndUserSessions godoc
//
//	@Summary				End a user's sessions
//	@Description			Ends every open session of user id (they must sign in again). Refused (403, audited as access.denied) for an account that holds a permission the caller lacks, and for tech_admins members unless the caller is one. Audited as sessions.end with the count. Required permission: users.write.
//	@Tags					users
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Success				200	{object}	SessionsEnded
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/sessions/end [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.write"
func (h *SessionsHandler) EndUserSessions(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	if err := h.guard.CheckManage(ctx, id, ActionSessionsEnd); err != nil {
		return err
	}
	n, err := h.svc.EndUserSessions(ctx, id)
	if err != nil {
		return err
	}
	if p := authz.FromEcho(c); p != nil && p.UserID == id && p.SessionID != "" {
		h.svc.setSessionCookie(c, "", -1) // the caller ended their own session too
	}
	return c.JSON(http.StatusOK, SessionsEnded{Ended: n})
}

// renameField maps a validation error's field from to the name this endpoint uses.
func renameField(err error, from, to string) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]apperr.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field == from {
			f.Field = to
		}
		out.Fields[i] = f
	}
	if len(out.Fields) == 1 {
		out.Message = out.Fields[0].Field + ": " + out.Fields[0].Message
	}
	return &out
}
