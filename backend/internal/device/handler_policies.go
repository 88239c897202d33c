package device

import (
	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// List godoc
//
//	@Summary				List device usage policies
//	@Description			List conventions: q searches name, description. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					q			query		string	false	"search text (name, description)"
//	@Param					sort		query		string	false	"sort field"	Enums(name, priority, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[device.Policy]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/device-policies [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *PolicyHandler) List(c echo.Context) error {
	return httpx.List(c, PolicySpec, h.svc.ListPolicies)
}

// Get godoc
//
//	@Summary				Get a device usage policy
//	@Description			Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"device usage policy id"
//	@Success				200	{object}	Policy
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/device-policies/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *PolicyHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetPolicy) }

// Create godoc
//
//	@Summary				Create a device usage policy
//	@Description			`name` is required (≤ 200, unique case-insensitively: 409 devicePolicy.nameTaken); `priority` 1..1000000, unique (409 devicePolicy.priorityTaken) — a user's policy is the one with the lowest priority number among the policies of their groups; `group_ids` existing groups; `template_ids` existing certificate templates (at least one when self_issuance_allowed); `random_user_pin.length` 4..64 when enabled, and then shown once and/or e-mailed; `secret_questions_required` 0..10; `smev_form_editable` only with `smev_check`. A group deleted later simply drops out of its policies. Audited (resource_type "device_policy"). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		PolicyInput	true	"the device usage policy"
//	@Success				201		{object}	Policy
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/device-policies [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *PolicyHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreatePolicy) }

// Update godoc
//
//	@Summary				Change a device usage policy
//	@Description			`version` must be the version you edited (409 resource.versionConflict with the current state otherwise). Absent (or null) fields stay. `group_ids` and `template_ids` replace the lists. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"device usage policy id"
//	@Param					body	body		PolicyPatch	true	"changes"
//	@Success				200		{object}	Policy
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/device-policies/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *PolicyHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdatePolicy) }

// Delete godoc
//
//	@Summary				Delete a device usage policy
//	@Description			Deletes the policy; its users fall back to the next policy of their groups. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Param					id	path	string	true	"device usage policy id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/device-policies/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *PolicyHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeletePolicy) }

// BulkDelete godoc
//
//	@Summary				Delete several device usage policies
//	@Description			Deletes each id in its own transaction and reports each outcome (Deletes the policy; its users fall back to the next policy of their groups.). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/device-policies/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *PolicyHandler) BulkDelete(c echo.Context) error {
	return httpx.Bulk(c, h.svc.BulkDeletePolicies)
}

// Effective godoc
//
//	@Summary				The usage policy that applies to a user
//	@Description			Of the usage policies assigned to the user's groups, the one with the lowest priority number, and the group it comes from (the first by code of the user's groups it is assigned to). `{"policy": null, "group": null}` when none applies. Computed at each call, so it follows membership and policy changes at once. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"user id"
//	@Success				200	{object}	EffectivePolicy
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/users/{id}/device-policy [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *PolicyHandler) Effective(c echo.Context) error { return httpx.Get(c, h.svc.EffectivePolicy) }
