package session

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
)

// SecondFactor is what sign-in needs of people's second factors (package mfa); nil
// signs everybody in with the password alone.
type SecondFactor interface {
	// Enrolled reports whether user id must give a second factor after the password.
	Enrolled(ctx context.Context, userID string) (bool, error)
	// Factors lists the second factors user id can give ("totp", "webauthn").
	Factors(ctx context.Context, userID string) ([]string, error)
	// Challenge records, in ctx's transaction, a sign-in waiting for the second factor
	// and answers its opaque single-use id.
	Challenge(ctx context.Context, userID, login, provider string, rememberMe bool) (string, error)
	// Pending reads an open challenge: its user, login, provider and remember_me.
	Pending(ctx context.Context, challenge string) (userID, login, provider string, rememberMe bool, err error)
	// Complete checks the code, recovery code or passkey assertion in ctx's transaction
	// and closes the challenge; it answers how the factor was given. origin is the
	// request's (the passkeys' relying party unless CUSTOS_PUBLIC_URL names it).
	Complete(ctx context.Context, challenge, code, recoveryCode string, assertion json.RawMessage, origin string) (string, error)
	// SecondFactorOptions starts a passkey assertion for an open challenge: the
	// navigator.credentials.get options.
	SecondFactorOptions(ctx context.Context, origin, challenge string) (string, json.RawMessage, error)
	Passkeys
}

// SetSecondFactor connects second factors (the composition root wires it).
func (s *Service) SetSecondFactor(f SecondFactor) { s.mfa = f }

// SecondFactorDue is the answer to a right password of an account with a second factor:
// no session yet, a challenge to complete with POST /auth/login/second-factor.
type SecondFactorDue struct {
	// SecondFactor is the factor to ask first: "totp" when an authenticator app is set
	// up, else "webauthn" (kept for the clients that know only TOTP).
	SecondFactor string `json:"second_factor" enums:"totp,webauthn"`
	// SecondFactors lists every factor the account can give: "totp", "webauthn".
	SecondFactors []string `json:"second_factors"`
	Challenge     string   `json:"challenge"`
} //	@name	SecondFactorChallenge

func (e *SecondFactorDue) Error() string { return "auth: second factor due" }

// SecondFactorInput completes a sign-in: the challenge and a code, a recovery code or a
// passkey's assertion (AuthenticationResponseJSON).
type SecondFactorInput struct {
	Challenge    string          `json:"challenge"`
	Code         string          `json:"code" validate:"optional"`
	RecoveryCode string          `json:"recovery_code" validate:"optional"`
	Credential   json.RawMessage `json:"credential" validate:"optional" swaggertype:"object"`
} //	@name	SecondFactorInput

// dueSecondFactor answers a *SecondFactorDue (as the error) when user id has a second
// factor: the password attempt is given back (it proved the password only; the codes
// are what the throttling counts from here) and a challenge is recorded. nil otherwise.
func (s *Service) dueSecondFactor(ctx context.Context, userID, login, provider, ip string, remember, settle bool) error {
	if s.mfa == nil {
		return nil
	}
	factors, err := s.mfa.Factors(ctx, userID)
	if err != nil || len(factors) == 0 {
		return err
	}
	var due SecondFactorDue
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if due.Challenge, err = s.mfa.Challenge(ctx, userID, login, provider, remember); err != nil {
			return err
		}
		if settle {
			if err := s.settle(ctx, login, ip, false); err != nil {
				return err
			}
		}
		return audit.Record(ctx, audit.Entry{Action: "login.challenge", ResourceType: "session", ResourceID: userID,
			ResourceName: login, After: map[string]any{"provider": provider, "ip": ip, "second_factor": factors[0],
				"second_factors": factors}})
	})
	if err != nil {
		return err
	}
	due.SecondFactor, due.SecondFactors = factors[0], factors
	return &due
}

// CompleteSecondFactor checks the second factor of a challenge and opens the session the
// password step would have opened; it answers the cookie value and remember_me. Wrong
// and reused codes count toward the lock-out like wrong passwords.
func (s *Service) CompleteSecondFactor(ctx context.Context, in SecondFactorInput, origin, ip, userAgent string) (string, bool, error) {
	if s.mfa == nil {
		return "", false, apperr.NotFound("challenge")
	}
	uid, login, provider, remember, err := s.mfa.Pending(ctx, in.Challenge)
	if err != nil {
		return "", false, err
	}
	if err := s.reserve(ctx, provider, login, ip); err != nil {
		return "", false, err
	}
	var token string
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		method, err := s.mfa.Complete(ctx, in.Challenge, in.Code, in.RecoveryCode, in.Credential, origin)
		if err != nil {
			return err
		}
		httpx.SetActor(ctx, "user", uid, login)
		if token, err = s.OpenSession(ctx, uid, login, ip, userAgent); err != nil {
			return err
		}
		if err := s.markFactor(ctx, token); err != nil {
			return err
		}
		if err := s.settle(ctx, login, ip, true); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: uid,
			ResourceName: login, After: map[string]any{"provider": provider, "ip": ip, "second_factor": method}})
	})
	if e, ok := apperr.As(err); ok && countsAsFailure(e.Code) {
		return "", false, s.failVia(ctx, provider, login, ip, uid, e.Code, e)
	}
	if err != nil {
		return "", false, s.giveBack(context.WithoutCancel(ctx), login, ip, err)
	}
	return token, remember, nil
}

// SecondFactor godoc
//
//	@Summary				Complete a sign-in with the second factor
//	@Description			Completes a sign-in whose password step answered {second_factor, second_factors, challenge}: with the current code of the authenticator app (one step of clock skew either way, each code once: 401 mfa.codeReused), one of the recovery codes (each once), or a passkey's assertion in `credential` (AuthenticationResponseJSON answering the options of POST /auth/login/second-factor/passkey; one that does not verify is a 401 webauthn.invalidAssertion, a signature counter that went backwards a 401 webauthn.signCountRegressed, both counted and audited). Opens the session exactly as the password step does without a second factor (cookies, CSRF token, remember_me from the password step). The challenge lasts 5 minutes and is single use (401 mfa.challengeInvalid). Wrong codes count toward the sign-in lock-out like wrong passwords (429 auth.tooManyAttempts). Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		SecondFactorInput	true	"the challenge and a code"
//	@Success				200		{object}	Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/login/second-factor [post]
//	@x-required-permission	"public"
func (h *Handler) SecondFactor(c echo.Context) error {
	var in SecondFactorInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	token, remember, err := h.svc.CompleteSecondFactor(c.Request().Context(), in, h.svc.origin(c), c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	return h.answerSession(c, token, remember)
}

// answerSession hands the browser a new session's cookies and answers the caller.
func (h *Handler) answerSession(c echo.Context, token string, remember bool) error {
	maxAge := 0 // a browser-session cookie unless the user asked to be remembered
	if remember {
		maxAge = int(h.svc.opts.AbsoluteTimeout.Seconds())
	}
	if err := h.svc.startBrowserSession(c, token, maxAge); err != nil {
		return err
	}
	p, err := h.svc.Resolve(c.Request().Context(), token)
	if err != nil || p == nil {
		return apperr.Unauthenticated()
	}
	return h.writeMe(c, p)
}

// answerDue answers a password step that needs a second factor; false for other errors.
func answerDue(c echo.Context, err error) (bool, error) {
	var due *SecondFactorDue
	if !errors.As(err, &due) {
		return false, nil
	}
	return true, c.JSON(http.StatusOK, due)
}

// principalUser is the user a session token belongs to ("" when none).
func (s *Service) principalUser(ctx context.Context, token string) (string, string, error) {
	r, ok, err := s.store.principal(ctx, hashToken(token))
	if err != nil || !ok {
		return "", "", err
	}
	return r.UserID, r.Login, nil
}

// externalSecondFactor turns the session an external provider just opened into a
// challenge when its account has a second factor: the provider provisioned the account
// and opened the session in one transaction, so the session is ended here at once and
// the browser never receives it.
func (s *Service) externalSecondFactor(ctx context.Context, token, formLogin, ip string, remember, settle bool) error {
	if s.mfa == nil || token == "" {
		return nil
	}
	uid, _, err := s.principalUser(ctx, token)
	if err != nil || uid == "" {
		return err
	}
	need, err := s.mfa.Enrolled(ctx, uid)
	if err != nil || !need {
		return err
	}
	if err := s.store.deleteSession(ctx, hashToken(token)); err != nil {
		return err
	}
	return s.dueSecondFactor(ctx, uid, formLogin, "external", ip, remember, settle)
}

// ChallengeInstead turns a session a provider's password sign-in just opened (the REST
// provider's endpoint) into a challenge when its account has a second factor, and then
// answers the *SecondFactorDue; nil when no second factor is due. login is the login the
// attempt was throttled under; the caller has settled that attempt already.
func (s *Service) ChallengeInstead(ctx context.Context, token, login, ip string) error {
	return s.externalSecondFactor(ctx, token, login, ip, false, false)
}

// AnswerDue writes the answer of a password step that needs a second factor and
// reports true; false (nothing written) for any other err.
func AnswerDue(c echo.Context, err error) (bool, error) { return answerDue(c, err) }
