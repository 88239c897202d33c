package session

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
)

// Passkeys is what a passwordless sign-in needs of package mfa.
type Passkeys interface {
	// BeginPasswordless answers a ceremony id and the navigator.credentials.get options
	// of a sign-in with a discoverable credential.
	BeginPasswordless(ctx context.Context, origin string) (string, json.RawMessage, error)
	// PasskeyUser names the account an assertion claims, unverified ("" when none).
	PasskeyUser(ctx context.Context, assertion json.RawMessage) (userID, login string, err error)
	// TakePasswordless spends a ceremony and answers its opaque state.
	TakePasswordless(ctx context.Context, ceremony string) (string, error)
	// Passwordless verifies an assertion in ctx's transaction: its user, login and
	// whether the account is active.
	Passwordless(ctx context.Context, origin, state string, assertion json.RawMessage) (userID, login string, active bool, err error)
}

// unknownPasskey is the login an assertion naming no account is throttled under.
const unknownPasskey = "(unknown passkey)"

// countsAsFailure tells the second-factor and passkey errors that count toward the
// lock-out like a wrong password.
func countsAsFailure(code string) bool {
	switch code {
	case "mfa.invalidCode", "mfa.codeReused", "webauthn.invalidAssertion", "webauthn.signCountRegressed", "auth.accountDisabled":
		return true
	}
	return false
}

// PasskeyRequest starts a passkey sign-in: the options for navigator.credentials.get
// (PublicKeyCredentialRequestOptionsJSON) and the single-use id to answer with.
type PasskeyRequest struct {
	Ceremony string          `json:"ceremony"`
	Options  json.RawMessage `json:"options" swaggertype:"object"`
} //	@name	PasskeyRequest

// PasskeyChallengeInput names the second-factor challenge a passkey answers.
type PasskeyChallengeInput struct {
	Challenge string `json:"challenge"`
} //	@name	PasskeyChallengeInput

// PasskeyLoginInput finishes a passwordless sign-in.
type PasskeyLoginInput struct {
	Ceremony   string          `json:"ceremony"`
	Credential json.RawMessage `json:"credential" swaggertype:"object"`
	RememberMe bool            `json:"remember_me" validate:"optional"`
} //	@name	PasskeyLoginInput

var errDisabled = apperr.New(apperr.KindDenied, "auth.accountDisabled", "This account is deactivated; ask an administrator.")

func (s *Service) passkeys() (Passkeys, error) {
	if s.mfa == nil {
		return nil, apperr.NotFound("passkey")
	}
	return s.mfa, nil
}

// PasskeyLogin verifies a discoverable credential's assertion and opens a session like a
// password sign-in; it answers the cookie value. The attempt is throttled under the login
// the assertion claims; assertions that do not verify count toward the lock-out.
func (s *Service) PasskeyLogin(ctx context.Context, in PasskeyLoginInput, origin, ip, userAgent string) (string, error) {
	pk, err := s.passkeys()
	if err != nil {
		return "", err
	}
	if len(in.Credential) == 0 || string(in.Credential) == "null" {
		return "", apperr.Invalid(apperr.Field("credential", "required", "the passkey's answer is missing"))
	}
	uid, login, err := pk.PasskeyUser(ctx, in.Credential)
	if err != nil {
		return "", err
	}
	key := login
	if key == "" {
		key = unknownPasskey
	}
	state, err := pk.TakePasswordless(ctx, in.Ceremony)
	if err != nil {
		code := "error"
		if e, ok := apperr.As(err); ok {
			code = e.Code
		}
		if aerr := audit.RecordAlone(ctx, s.db, audit.Entry{Action: "login.failure", ResourceType: "session",
			ResourceID: uid, ResourceName: key, Reason: code, After: map[string]any{"provider": "passkey", "ip": ip}}); aerr != nil {
			return "", aerr
		}
		return "", err
	}
	if err := s.reserve(ctx, "passkey", key, ip); err != nil {
		return "", err
	}
	var token string
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		id, name, active, err := pk.Passwordless(ctx, origin, state, in.Credential)
		if id != "" {
			uid = id
		}
		if err != nil {
			return err
		}
		if !active {
			return errDisabled
		}
		httpx.SetActor(ctx, "user", id, name)
		if token, err = s.OpenSession(ctx, id, name, ip, userAgent); err != nil {
			return err
		}
		if err := s.markFactor(ctx, token); err != nil {
			return err
		}
		if err := s.settle(ctx, key, ip, true); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: id,
			ResourceName: name, After: map[string]any{"provider": "passkey", "ip": ip}})
	})
	if e, ok := apperr.As(err); ok && countsAsFailure(e.Code) {
		return "", s.failVia(ctx, "passkey", key, ip, uid, e.Code, e)
	}
	if err != nil {
		return "", s.giveBack(context.WithoutCancel(ctx), key, ip, err)
	}
	return token, nil
}

// PasskeyBegin godoc
//
//	@Summary				Start signing in with a passkey
//	@Description			Answers the options for navigator.credentials.get (no credentials listed: the browser offers its discoverable credentials for this relying party, user verification required) and a single-use ceremony id that lasts 5 minutes. The relying party id and origin are CUSTOS_PUBLIC_URL's host and origin, else this request's. Required permission: none (public).
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	PasskeyRequest
//	@Failure				404	{object}	httpx.Problem
//	@Router					/auth/passkey/begin [post]
//	@x-required-permission	"public"
func (h *Handler) PasskeyBegin(c echo.Context) error {
	pk, err := h.svc.passkeys()
	if err != nil {
		return err
	}
	id, opts, err := pk.BeginPasswordless(c.Request().Context(), h.svc.origin(c))
	return httpx.Respond(c, http.StatusOK, PasskeyRequest{Ceremony: id, Options: opts}, err)
}

// PasskeyFinish godoc
//
//	@Summary				Sign in with a passkey
//	@Description			Verifies the browser's assertion (AuthenticationResponseJSON) for the ceremony of POST /auth/passkey/begin and opens the session exactly as a password sign-in does (cookies, CSRF token, remember_me); a passkey verified by the authenticator is both factors, so no second step follows. The ceremony is single use: answered twice or after 5 minutes it is a 401 webauthn.ceremonyInvalid. An assertion that does not verify (garbage, another origin or relying party, an unknown or removed passkey) is a 401 webauthn.invalidAssertion, a signature counter that went backwards a 401 webauthn.signCountRegressed, a deactivated account a 403 auth.accountDisabled: all audited as login.failure with provider passkey and counted toward the lock-out (429 auth.tooManyAttempts) under the account the passkey names. Success is audited as login.success with provider passkey. Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		PasskeyLoginInput	true	"the ceremony and the assertion"
//	@Success				200		{object}	Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/passkey/finish [post]
//	@x-required-permission	"public"
func (h *Handler) PasskeyFinish(c echo.Context) error {
	var in PasskeyLoginInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	token, err := h.svc.PasskeyLogin(c.Request().Context(), in, h.svc.origin(c), c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	return h.answerSession(c, token, in.RememberMe)
}

// SecondFactorPasskey godoc
//
//	@Summary				Start answering a sign-in challenge with a passkey
//	@Description			For a challenge whose password step listed "webauthn" in second_factors: answers the options for navigator.credentials.get (the account's passkeys); the browser's assertion then goes to POST /auth/login/second-factor as `credential` with the same challenge. Asking again replaces the previous options. An expired or completed challenge is a 401 mfa.challengeInvalid; an account without passkeys a 422 webauthn.noPasskey. Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		PasskeyChallengeInput	true	"the challenge"
//	@Success				200		{object}	PasskeyRequest
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/auth/login/second-factor/passkey [post]
//	@x-required-permission	"public"
func (h *Handler) SecondFactorPasskey(c echo.Context) error {
	var in PasskeyChallengeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	if h.svc.mfa == nil {
		return apperr.NotFound("challenge")
	}
	id, opts, err := h.svc.mfa.SecondFactorOptions(c.Request().Context(), h.svc.origin(c), in.Challenge)
	return httpx.Respond(c, http.StatusOK, PasskeyRequest{Ceremony: id, Options: opts}, err)
}
