package audit

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// EventView is the API shape of an audit event.
type EventView struct {
	ID           string         `json:"id"`
	Seq          *int64         `json:"seq" extensions:"x-nullable"`
	At           time.Time      `json:"at"`
	ActorType    string         `json:"actor_type"`
	ActorID      string         `json:"actor_id"`
	ActorName    string         `json:"actor_name"`
	IP           string         `json:"ip"`
	RequestID    string         `json:"request_id"`
	Action       string         `json:"action"`
	ResourceType string         `json:"resource_type"`
	ResourceID   string         `json:"resource_id"`
	ResourceName string         `json:"resource_name"`
	Diff         map[string]any `json:"diff" extensions:"x-nullable"`
	PrevHash     string         `json:"prev_hash"`
	Hash         string         `json:"hash"`
} //	@name	AuditEvent

// Spec is the list whitelist of the audit log.
var Spec = list.Spec{
	Sorts: map[string]list.SortField{"at": {Column: "at", Type: list.Time}, "action": {Column: "action"},
		"resource_type": {Column: "resource_type"}, "actor_name": {Column: "actor_name"}},
	Filters: map[string]list.FilterField{
		"resource_type": {Column: "resource_type"}, "resource_id": {Column: "resource_id"},
		"action": {Column: "action"}, "actor": {},
		"from": {Column: "at", Type: list.Time, Op: ">="}, "to": {Column: "at", Type: list.Time, Op: "<="},
	},
	DefaultSort: "at", DefaultOrder: "desc",
}

func view(e Event) EventView {
	d := map[string]any{}
	_ = json.Unmarshal([]byte(e.Diff), &d)
	return EventView{ID: e.ID, Seq: e.Seq, At: e.At, ActorType: e.ActorType, ActorID: e.ActorID, ActorName: e.ActorName,
		IP: e.IP, RequestID: e.RequestID, Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID,
		ResourceName: e.ResourceName, Diff: d, PrevHash: e.PrevHash, Hash: e.Hash}
}

// Handler serves /audit.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// List godoc
//
//	@Summary				List audit events
//	@Description			Append-only, hash-chained log of every change and sign-in. Required permission: audit.read.
//	@Tags					audit
//	@Produce				json
//	@Param					resource_type	query		string	false	"user, group, user_type, attribute, licence, session, ..."
//	@Param					resource_id		query		string	false	"resource id"
//	@Param					actor			query		string	false	"actor id or login"
//	@Param					action			query		string	false	"create, update, delete, activate, deactivate, password.set, password.change, login.success, login.failure, logout, logout.all, sessions.end, revoke, access.denied"
//	@Param					from			query		string	false	"RFC 3339 lower bound of at"
//	@Param					to				query		string	false	"RFC 3339 upper bound of at"
//	@Param					sort			query		string	false	"sort field"	Enums(at, action, resource_type, actor_name)
//	@Param					order			query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page			query		int		false	"page (1-based)"
//	@Param					page_size		query		int		false	"page size (max 200)"
//	@Param					cursor			query		string	false	"cursor from the previous page for seek paging"
//	@Success				200				{object}	list.Page[audit.EventView]
//	@Failure				400				{object}	httpx.Problem
//	@Failure				401				{object}	httpx.Problem
//	@Failure				403				{object}	httpx.Problem
//	@Router					/audit [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"audit.read"
func (h *Handler) List(c echo.Context) error { return httpx.List(c, Spec, h.svc.List) }

// Verify godoc
//
//	@Summary				Verify the audit hash chain
//	@Description			Chains pending events, then recomputes every link and reports the first broken one. Required permission: audit.read.
//	@Tags					audit
//	@Produce				json
//	@Success				200	{object}	Verification
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/audit/verify [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"audit.read"
func (h *Handler) Verify(c echo.Context) error {
	v, err := h.svc.Verify(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}
