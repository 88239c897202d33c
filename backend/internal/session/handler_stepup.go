package session

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/authz"
	"custos/internal/platform/httpx"
)

// RequireStepUp is the middleware of the routes routes.go marks as mattering: it runs
// after the permission check and refuses, with 401 auth.stepUpRequired, a session whose
// last second-factor proof is older than CUSTOS_STEP_UP_AGE (RequireFreshFactor).
func (s *Service) RequireStepUp() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := authz.FromEcho(c); p == nil || p.Kind != "session" {
				return next(c)
			}
			if err := s.RequireFreshFactor(c.Request().Context(), c.Request().Method+" "+c.Path()); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// StepUp godoc
//
//	@Summary				Prove your second factor again (step-up)
//	@Description			The operations that matter (changing groups' permissions or memberships, importing a CA, creating an API token with write scopes, approving issuances) answer 401 auth.stepUpRequired, with the accepted `methods`, when the session's last second-factor proof is older than CUSTOS_STEP_UP_AGE (default 10 minutes). This proves it again with the current code of the authenticator app (one step of clock skew either way; each code once: 401 mfa.codeReused) or one of the recovery codes (each once); the session's proof time becomes now and the refused request can be repeated. Wrong and reused codes are a 401 mfa.invalidCode / mfa.codeReused naming `code`, audited as step_up.failure and counted toward the sign-in lock-out like wrong passwords (429 auth.tooManyAttempts); success is audited as step_up.success. An API token caller is refused (403 auth.sessionRequired). Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		StepUpInput	true	"a current code or a recovery code"
//	@Success				200		{object}	StepUpResult
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/step-up [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) StepUp(c echo.Context) error {
	var in StepUpInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.StepUp(c.Request().Context(), in, c.RealIP())
	return httpx.Respond(c, http.StatusOK, out, err)
}

// StepUpPasskeyBegin godoc
//
//	@Summary				Start a step-up with a passkey
//	@Description			Answers the options for navigator.credentials.get (the caller's passkeys) and a single-use ceremony id that lasts 5 minutes; the browser's assertion goes to POST /auth/step-up/passkey/finish. An account without passkeys is a 422 webauthn.noPasskey; an API token caller a 403 auth.sessionRequired. Required permission: a signed-in session.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	PasskeyRequest
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				422	{object}	httpx.Problem
//	@Router					/auth/step-up/passkey/begin [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) StepUpPasskeyBegin(c echo.Context) error {
	id, opts, err := h.svc.BeginStepUpPasskey(c.Request().Context(), h.svc.origin(c))
	return httpx.Respond(c, http.StatusOK, PasskeyRequest{Ceremony: id, Options: opts}, err)
}

// StepUpPasskeyFinish godoc
//
//	@Summary				Prove your second factor again with a passkey
//	@Description			Verifies the browser's assertion (AuthenticationResponseJSON) for the ceremony of POST /auth/step-up/passkey/begin; the session's proof time becomes now. A ceremony answered twice, expired or another person's is a 401 webauthn.ceremonyInvalid; an assertion that does not verify (garbage, another origin or relying party, a removed passkey) a 401 webauthn.invalidAssertion, a signature counter that went backwards a 401 webauthn.signCountRegressed: these are audited as step_up.failure and counted toward the sign-in lock-out (429 auth.tooManyAttempts). Required permission: a signed-in session.
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		StepUpPasskeyInput	true	"the ceremony and the assertion"
//	@Success				200		{object}	StepUpResult
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/step-up/passkey/finish [post]
//	@Security				SessionCookie
//	@x-required-permission	"authenticated"
func (h *Handler) StepUpPasskeyFinish(c echo.Context) error {
	var in StepUpPasskeyInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.StepUpPasskey(c.Request().Context(), in, h.svc.origin(c), c.RealIP())
	return httpx.Respond(c, http.StatusOK, out, err)
}
