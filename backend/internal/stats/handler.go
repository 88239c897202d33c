package stats

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
)

// Handler serves the stats endpoints of systems and tokens.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// System godoc
//
//	@Summary				Request statistics of an integrated system
//	@Description			Requests made with the system's client certificates, per UTC day and status code: rows `{day, status, count}`, or with `group_by` the sums per day, per status or per credential (`credential_id`, `credential_type`), and their total. `from` and `to` are inclusive UTC days `YYYY-MM-DD`; `to` defaults to today, `from` to 29 days before `to`. 400 names the field: a bad date, `from` after `to`, a range longer than the retention (CUSTOS_STATS_RETENTION_DAYS), an unknown `group_by`. Figures reach the table within a few seconds (they are counted in memory and flushed). Required permission: stats.read.
//	@Tags					stats
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					from		query		string	false	"first day, YYYY-MM-DD (UTC)"
//	@Param					to			query		string	false	"last day, YYYY-MM-DD (UTC)"
//	@Param					group_by	query		string	false	"grouping"	Enums(day, status, credential)
//	@Success				200			{object}	Report
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/systems/{id}/stats [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"stats.read"
func (h *Handler) System(c echo.Context) error {
	v, err := h.svc.ForSystem(c.Request().Context(), c.Param("id"), c.QueryParams())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Token godoc
//
//	@Summary				Request statistics of an API token
//	@Description			Requests made with the organisation API token, per UTC day and status code, as for a system's statistics (`group_by` day, status or credential; `from`/`to` inclusive UTC days, default the last 30). Required permission: stats.read.
//	@Tags					stats
//	@Produce				json
//	@Param					id			path		string	true	"token id"
//	@Param					from		query		string	false	"first day, YYYY-MM-DD (UTC)"
//	@Param					to			query		string	false	"last day, YYYY-MM-DD (UTC)"
//	@Param					group_by	query		string	false	"grouping"	Enums(day, status, credential)
//	@Success				200			{object}	Report
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/tokens/{id}/stats [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"stats.read"
func (h *Handler) Token(c echo.Context) error {
	v, err := h.svc.ForToken(c.Request().Context(), c.Param("id"), c.QueryParams())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// MyToken godoc
//
//	@Summary				Request statistics of one of your personal access tokens
//	@Description			Requests made with the caller's own personal access token, per UTC day and status code, as for an organisation token (`group_by` day, status or credential; `from`/`to` inclusive UTC days, default the last 30). Another person's token is 404. Required permission: selfservice.
//	@Tags					stats
//	@Produce				json
//	@Param					id			path		string	true	"token id"
//	@Param					from		query		string	false	"first day, YYYY-MM-DD (UTC)"
//	@Param					to			query		string	false	"last day, YYYY-MM-DD (UTC)"
//	@Param					group_by	query		string	false	"grouping"	Enums(day, status, credential)
//	@Success				200			{object}	Report
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/me/tokens/{id}/stats [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MyToken(c echo.Context) error {
	p := authz.FromEcho(c)
	if p == nil || p.UserID == "" {
		return apperr.NotFound("token")
	}
	v, err := h.svc.ForPersonalToken(c.Request().Context(), p.UserID, c.Param("id"), c.QueryParams())
	return httpx.Respond(c, http.StatusOK, v, err)
}
