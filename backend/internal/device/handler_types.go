package device

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// Handler serves the device catalogue: /device-types, /certificate-templates and
// /device-policies.
// TypeHandler serves /device-types, TemplateHandler /certificate-templates and
// PolicyHandler /device-policies (with a user's effective policy): one handler per noun,
// as the route table names them.
type (
	TypeHandler     struct{ svc *Service }
	TemplateHandler struct{ svc *Service }
	PolicyHandler   struct{ svc *Service }
)

// NewTypeHandler, NewTemplateHandler and NewPolicyHandler make the handlers.
func NewTypeHandler(s *Service) *TypeHandler         { return &TypeHandler{svc: s} }
func NewTemplateHandler(s *Service) *TemplateHandler { return &TemplateHandler{svc: s} }
func NewPolicyHandler(s *Service) *PolicyHandler     { return &PolicyHandler{svc: s} }

// List godoc
//
//	@Summary				List device types
//	@Description			List conventions: q searches name, vendor, model, description. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					q			query		string	false	"search text (name, vendor, model, description)"
//	@Param					sort		query		string	false	"sort field"	Enums(name, vendor, created_at, updated_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[device.DeviceType]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/device-types [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *TypeHandler) List(c echo.Context) error { return httpx.List(c, TypeSpec, h.svc.ListTypes) }

// Get godoc
//
//	@Summary				Get a device type
//	@Description			Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"device type id"
//	@Success				200	{object}	DeviceType
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/device-types/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *TypeHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetType) }

// Create godoc
//
//	@Summary				Create a device type
//	@Description			`name` is required (≤ 200, unique case-insensitively: 409 deviceType.nameTaken); `vendor`, `model` ≤ 200; `pin_areas` 1..8 areas, each a lower-case `code` (pki, gost; unique) and a `name`, with write-only `default_admin_pin` / `default_user_pin` that must satisfy `pin_rules` (sealed with the application key, answered only as has_default_admin_pin / has_default_user_pin, never written to the audit log); `pin_rules` min_length/max_length 4..64, charset digits | alnum | any (default 6..32 any); `retry_counts` admin/user 1..100 (default 10). Audited (resource_type "device_type"). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		DeviceTypeInput	true	"the device type"
//	@Success				201		{object}	DeviceType
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/device-types [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TypeHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreateType) }

// Update godoc
//
//	@Summary				Change a device type
//	@Description			`version` must be the version you edited (409 resource.versionConflict with the current state otherwise). Absent (or null) fields stay. `pin_areas` replaces the list; for an area whose code was there before, an absent PIN keeps the stored one (checked again against the rules), "" removes it. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"device type id"
//	@Param					body	body		DeviceTypePatch	true	"changes"
//	@Success				200		{object}	DeviceType
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/device-types/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TypeHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdateType) }

// Delete godoc
//
//	@Summary				Delete a device type
//	@Description			Deletes the device type. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Param					id	path	string	true	"device type id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/device-types/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TypeHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeleteType) }

// BulkDelete godoc
//
//	@Summary				Delete several device types
//	@Description			Deletes each id in its own transaction and reports each outcome (Deletes the device type.). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/device-types/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TypeHandler) BulkDelete(c echo.Context) error { return httpx.Bulk(c, h.svc.BulkDeleteTypes) }
