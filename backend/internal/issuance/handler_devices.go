package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// ListDevices godoc
//
//	@Summary				The issued devices (and the SKZI accounting register)
//	@Description			Every device with its user, serial number, status and the SKZI accounting document of its issuance (number, date), issued and revoked dates. `q` searches the user's login, the serial and the label. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					q			query		string	false	"search login, serial, label"
//	@Param					status		query		string	false	"filter by status"	Enums(issued, blocked, revoked)
//	@Param					user_id		query		string	false	"filter by user"
//	@Param					sort		query		string	false	"sort field"		Enums(issued_at, serial, status)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[issuance.Device]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/devices [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *Handler) ListDevices(c echo.Context) error {
	return httpx.List(c, DeviceSpec, func(ctx context.Context, p list.Params) (list.Page[Device], error) {
		return h.svc.ListDevices(ctx, "", p)
	})
}

// GetDevice godoc
//
//	@Summary				A device with its certificates and history
//	@Description			The history holds every transition of every issuance written on the device and the operators' acts (block, unblock, revoke). Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"device id"
//	@Success				200	{object}	DeviceDetail
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/devices/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *Handler) GetDevice(c echo.Context) error {
	v, err := h.svc.GetDevice(c.Request().Context(), c.Param("id"), "")
	return httpx.Respond(c, http.StatusOK, v, err)
}

// BlockDevice godoc
//
//	@Summary				Block a device
//	@Description			issued → blocked, with the version read (409 otherwise). Audited and kept in the device's history. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"device id"
//	@Param					body	body		DeviceAction	true	"version and comment"
//	@Success				200		{object}	DeviceDetail
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/devices/{id}/block [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *Handler) BlockDevice(c echo.Context) error { return httpx.Update(c, h.svc.Block) }

// UnblockDevice godoc
//
//	@Summary				Unblock a device
//	@Description			blocked → issued, with the version read. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"device id"
//	@Param					body	body		DeviceAction	true	"version and comment"
//	@Success				200		{object}	DeviceDetail
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/devices/{id}/unblock [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *Handler) UnblockDevice(c echo.Context) error { return httpx.Update(c, h.svc.Unblock) }

// RevokeDevice godoc
//
//	@Summary				Revoke a device
//	@Description			issued or blocked → revoked, for good: every certificate on it is revoked at the CA (cessationOfOperation; the CRL and OCSP answer so at once) and its serial may be issued again. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"device id"
//	@Param					body	body		DeviceAction	true	"version and comment"
//	@Success				200		{object}	DeviceDetail
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/devices/{id}/revoke [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *Handler) RevokeDevice(c echo.Context) error { return httpx.Update(c, h.svc.Revoke) }
