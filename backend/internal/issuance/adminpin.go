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

// AreaPINs are the default PINs of one PIN area of a device type.
type AreaPINs struct {
	Code     string `json:"code"`
	AdminPIN string `json:"admin_pin"`
	UserPIN  string `json:"user_pin"`
} //	@name	DeviceAreaPINs

// DefaultPINs are a device type's default PINs, for a device not registered yet.
type DefaultPINs struct {
	Areas []AreaPINs `json:"areas"`
} //	@name	DeviceDefaultPINs

// ReleaseDefaultPINs opens the default PINs of the device type of the caller's issuance,
// for its device steps (approved, writing or failed): «empty = the type's defaults»
// (seed 001). Audited, never the PINs.
func (s *Service) ReleaseDefaultPINs(ctx context.Context, id string) (DefaultPINs, error) {
	uid, _ := actor(ctx)
	r, err := s.store.get(ctx, id, uid, false)
	if err != nil {
		return DefaultPINs{}, err
	}
	if r.State != StateApproved && r.State != StateWriting && r.State != StateFailed {
		cur, _ := s.one(ctx, r)
		return DefaultPINs{}, errWrongState(r.State, cur)
	}
	t, err := s.cat.GetType(ctx, r.DeviceTypeID)
	if err != nil {
		return DefaultPINs{}, err
	}
	out := DefaultPINs{Areas: []AreaPINs{}}
	for _, a := range t.PinAreas {
		admin, user, err := s.cat.DefaultPINs(ctx, t.ID, a.Code)
		if err != nil {
			return DefaultPINs{}, err
		}
		out.Areas = append(out.Areas, AreaPINs{Code: a.Code, AdminPIN: admin, UserPIN: user})
	}
	err = audit.RecordAlone(ctx, s.db, audit.Entry{Action: "release_default_pins", ResourceType: ResourceIssuance, ResourceID: r.ID,
		ResourceName: r.UserLogin, After: map[string]any{"device_type_id": t.ID}})
	return out, err
}

// MyDefaultPINs godoc
//
//	@Summary				The device type's default PINs for your issuance
//	@Description			For the device steps of the caller's own issuance (approved, writing or failed; else 409 issuance.wrongState; another person's is 404): the default admin and user PINs of each PIN area of its device type — what an empty PIN under «Дополнительно» means. Answered with Cache-Control: no-store; audited without the PINs. Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Param					id	path		string	true	"issuance id"
//	@Success				200	{object}	DefaultPINs
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/me/issuances/{id}/default-pins [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MyDefaultPINs(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v, err := h.svc.ReleaseDefaultPINs(c.Request().Context(), c.Param("id"))
	return httpx.Respond(c, http.StatusOK, v, err)
}
