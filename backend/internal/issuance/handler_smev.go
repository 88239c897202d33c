package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// MySMEVForm godoc
//
//	@Summary				Your SMEV check form
//	@Description			The SMEV check form prefilled from the directory (user attributes last_name, first_name, middle_name, birth_date, snils, inn, passport_series, passport_number, and the e-mail address), whether the caller's usage policy checks qualified templates in SMEV (`required`), whether the caller may change the prefilled data (`editable`; missing data may always be added, see `editable_fields`) and whether the server has an SMEV service (`configured`). Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Success				200	{object}	SMEVForm
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/smev-form [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MySMEVForm(c echo.Context) error {
	v, err := h.svc.MySMEVForm(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// MailPINMine godoc
//
//	@Summary				E-mail the random user PIN of your device
//	@Description			After the agent set a random user PIN on the device (issuance `writing` or `issued`, 409 otherwise), the self-service page sends it here when the issuance's usage policy e-mails it (422 issuance.pinMailOff otherwise): it is mailed at once to the user and/or their manager (user attribute manager_email) in the user's language, and never stored, logged or audited (the audit event names the recipients). The PIN must have the policy's length and follow the device type's PIN rules (400 on `pin`). 422 notify.notConfigured without an SMTP server, notify.noRecipient without an address; 503 notify.sendFailed when the SMTP server refuses (try again). Another person's issuance is 404. Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string			true	"issuance id"
//	@Param					body	body		PINMailInput	true	"the PIN set on the device"
//	@Success				200		{object}	PINMailResult
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Failure				503		{object}	httpx.Problem
//	@Router					/me/issuances/{id}/pin-mail [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MailPINMine(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return httpx.Update(c, func(ctx context.Context, id string, in PINMailInput) (PINMailResult, error) {
		return h.svc.MailPIN(ctx, id, in)
	})
}
