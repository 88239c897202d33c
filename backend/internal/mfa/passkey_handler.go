package mfa

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// Origin is the request's scheme and host: a passkey's relying party unless
// CUSTOS_PUBLIC_URL names it.
func Origin(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

// ListPasskeys godoc
//
//	@Summary				Your passkeys
//	@Description			The caller's registered passkeys (WebAuthn credentials): name, transports, authenticator model (AAGUID), whether it is synced (backed up), when it was registered and last used. Required permission: a signed-in session (not an API token).
//	@Tags					auth
//	@Produce				json
//	@Success				200	{array}		Passkey
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/factors/passkeys [get]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) ListPasskeys(c echo.Context) error {
	v, err := h.svc.Passkeys(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// BeginPasskey godoc
//
//	@Summary				Start registering a passkey
//	@Description			Answers the options for navigator.credentials.create (PublicKeyCredentialCreationOptionsJSON: a discoverable credential, attestation none, the caller's passkeys excluded) and a single-use ceremony id that lasts 5 minutes. The relying party id and origin are CUSTOS_PUBLIC_URL's host and origin, else this request's. Required permission: a signed-in session.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	PasskeyOptions
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/factors/passkeys/begin [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) BeginPasskey(c echo.Context) error {
	v, err := h.svc.BeginRegistration(c.Request().Context(), Origin(c))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// FinishPasskey godoc
//
//	@Summary				Register a passkey
//	@Description			Verifies the browser's answer (RegistrationResponseJSON) to the ceremony begun with POST /me/factors/passkeys/begin and stores the passkey under name (default "Passkey N"). The ceremony is single use: answered twice or after 5 minutes it is a 422 webauthn.registrationExpired; an answer that does not verify (garbage, another origin or relying party, another challenge) is a 422 webauthn.invalidAttestation on `credential`; an already registered credential is a 409 webauthn.alreadyRegistered. Refusals are audited as passkey.rejected; success as passkey.register. From then on signing in asks for a passkey or code after the password, and the passkey can sign in without one. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		RegisterPasskeyInput	true	"the ceremony, a name and the credential"
//	@Success				201		{object}	Passkey
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/me/factors/passkeys [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) FinishPasskey(c echo.Context) error {
	var in RegisterPasskeyInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.FinishRegistration(c.Request().Context(), Origin(c), in)
	return httpx.Respond(c, http.StatusCreated, v, err)
}

// RenamePasskey godoc
//
//	@Summary				Rename a passkey
//	@Description			Renames one of the caller's passkeys (1-100 characters). Audited as passkey.rename. Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string				true	"passkey id"
//	@Param					body	body		RenamePasskeyInput	true	"the new name"
//	@Success				200		{object}	Passkey
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Router					/me/factors/passkeys/{id} [patch]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) RenamePasskey(c echo.Context) error {
	var in RenamePasskeyInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.RenamePasskey(c.Request().Context(), c.Param("id"), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// RemovePasskey godoc
//
//	@Summary				Remove a passkey
//	@Description			Deletes one of the caller's passkeys; it no longer signs in. No policy requires a second factor yet, so the last one may be removed too. Audited as passkey.remove. Required permission: a signed-in session.
//	@Tags					auth
//	@Param					id	path	string	true	"passkey id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/me/factors/passkeys/{id} [delete]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) RemovePasskey(c echo.Context) error {
	if err := h.svc.RemovePasskey(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return httpx.NoContent(c)
}
