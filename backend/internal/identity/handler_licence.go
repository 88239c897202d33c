package identity

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// LicenceHandler serves /settings/licence: the installation's access type.
type LicenceHandler struct{ svc *Service }

// NewLicenceHandler makes the licence handler.
func NewLicenceHandler(s *Service) *LicenceHandler { return &LicenceHandler{svc: s} }

// Get godoc
//
//	@Summary				Get the licence
//	@Description			The access type of the installation (on_premise or cloud). Required permission: users.read.
//	@Tags					settings
//	@Produce				json
//	@Success				200	{object}	Licence
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/settings/licence [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"users.read"
func (h *LicenceHandler) Get(c echo.Context) error {
	l, err := h.svc.GetLicence(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, l, err)
}

// Set godoc
//
//	@Summary				Change the licence
//	@Description			Under a cloud licence providers may not create users. Required permission: settings.write.
//	@Tags					settings
//	@Accept					json
//	@Produce				json
//	@Param					body	body		LicenceInput	true	"access type and version"
//	@Success				200		{object}	Licence
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/settings/licence [put]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *LicenceHandler) Set(c echo.Context) error {
	var in LicenceInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	l, err := h.svc.SetLicence(c.Request().Context(), in)
	return httpx.Respond(c, http.StatusOK, l, err)
}
