package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
)

// AdminPIN is a device's admin PIN, released for one operation of the agent on it.
type AdminPIN struct {
	AdminPIN string `json:"admin_pin"`
	// Source says where it comes from: the PIN the device was initialised with at its
	// issuance ("device") or its type's default for the area ("type_default").
	Source string `json:"source" enums:"device,type_default"`
} //	@name	DeviceAdminPIN

var errNoAdminPIN = apperr.New(apperr.KindNotFound, "device.noAdminPIN",
	"No admin PIN is known for this device: neither one recorded at its issuance nor a default of its type.")

// ReleaseAdminPIN opens the admin PIN of device id (of userID when not empty: a person's
// own device) for an agent operation on it (unblock the user PIN): the one recorded at its
// issuance, else the type's default of its first PIN area. A revoked device has none to
// give. The release is audited; the PIN never is.
func (s *Service) ReleaseAdminPIN(ctx context.Context, id, userID string) (AdminPIN, error) {
	d, err := s.store.getDevice(ctx, id, false)
	if err != nil {
		return AdminPIN{}, err
	}
	if userID != "" && d.UserID != userID {
		return AdminPIN{}, apperr.NotFound("device")
	}
	if d.Status == DeviceRevoked {
		return AdminPIN{}, errDeviceState(d.Status)
	}
	out := AdminPIN{Source: "device"}
	if d.AdminPIN != "" {
		if out.AdminPIN, err = s.box.Open(d.AdminPIN); err != nil {
			return AdminPIN{}, err
		}
	} else {
		t, err := s.cat.GetType(ctx, d.DeviceTypeID)
		if err != nil {
			return AdminPIN{}, err
		}
		if len(t.PinAreas) > 0 {
			if out.AdminPIN, _, err = s.cat.DefaultPINs(ctx, t.ID, t.PinAreas[0].Code); err != nil {
				return AdminPIN{}, err
			}
		}
		out.Source = "type_default"
	}
	if out.AdminPIN == "" {
		return AdminPIN{}, errNoAdminPIN
	}
	err = audit.RecordAlone(ctx, s.db, audit.Entry{Action: "release_admin_pin", ResourceType: ResourceDevice, ResourceID: d.ID,
		ResourceName: d.UserLogin + " · " + d.Serial, After: map[string]any{"source": out.Source}})
	return out, err
}

// MyAdminPIN godoc
//
//	@Summary				Release your device's admin PIN to your agent
//	@Description			For an operation of the paired agent on the caller's own device (unblocking its user PIN): the admin PIN recorded at the device's issuance, else the default of its type. Answered with Cache-Control: no-store; the release is audited (never the PIN). A revoked device is 409, another person's 404, a device with no known admin PIN 404 device.noAdminPIN. Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					id	path		string	true	"device id"
//	@Success				200	{object}	AdminPIN
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/me/devices/{id}/admin-pin [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MyAdminPIN(c echo.Context) error {
	uid, err := me(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	v, err := h.svc.ReleaseAdminPIN(c.Request().Context(), c.Param("id"), uid)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// DeviceAdminPIN godoc
//
//	@Summary				Release a device's admin PIN to the operator's agent
//	@Description			As for the owner's own release, for an operator's agent operation on the device (unblocking its user PIN). Audited. Required permission: devices.write.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"device id"
//	@Success				200	{object}	AdminPIN
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/devices/{id}/admin-pin [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *Handler) DeviceAdminPIN(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v, err := h.svc.ReleaseAdminPIN(c.Request().Context(), c.Param("id"), "")
	return httpx.Respond(c, http.StatusOK, v, err)
}
