package session

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// CertificateLoginInput is the body of POST /auth/login/certificate.
type CertificateLoginInput struct {
	RememberMe bool `json:"remember_me" validate:"optional"`
} //	@name	CertificateLoginInput

// CertificateChallengeInput names the second-factor challenge the certificate answers.
type CertificateChallengeInput struct {
	Challenge string `json:"challenge"`
} //	@name	CertificateChallengeInput

// PresentedCertificate godoc
//
//	@Summary				The client certificate this browser presented
//	@Description			On the mTLS listener: the subject, common name, SHA-256 fingerprint and end of validity of the client certificate presented, and whether it would sign someone in now (usable) or, if not, why (code: auth.certificateUnknown, auth.certificateRevoked, auth.certificateExpired, auth.deviceBlocked, auth.accountDisabled). Signs nobody in and names no account. Elsewhere, or without a certificate, presented is false. The login page offers «Sign in with certificate» from it. Required permission: none (public).
//	@Tags					auth
//	@Produce				json
//	@Success				200	{object}	CertificateInfo
//	@Router					/auth/certificate [get]
//	@x-required-permission	"public"
func (h *Handler) PresentedCertificate(c echo.Context) error {
	info, err := h.svc.Certificate(c.Request().Context(), peerLeaf(c))
	return httpx.Respond(c, http.StatusOK, info, err)
}

// CertificateLogin godoc
//
//	@Summary				Sign in with the client certificate
//	@Description			On the mTLS listener, signs in without a password the person whose certificate the browser presented: one Custos wrote on their device, or one an administrator bound to their account. It is a strong sign-in (possession of the device's key): no second factor is asked. Opens the session as POST /auth/login does; the session is marked sign_in_method "certificate". Refused at once, audited as login.failure, no session: no certificate (401 auth.certificateMissing), bound to nobody (401 auth.certificateUnknown), revoked by our CA or its device revoked (401 auth.certificateRevoked), outside its validity (401 auth.certificateExpired), its device blocked (401 auth.deviceBlocked), the account deactivated (403 auth.accountDisabled). Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		CertificateLoginInput	false	"remember_me"
//	@Success				200		{object}	Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/auth/login/certificate [post]
//	@x-required-permission	"public"
func (h *Handler) CertificateLogin(c echo.Context) error {
	var in CertificateLoginInput
	if c.Request().ContentLength != 0 {
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
	}
	token, err := h.svc.CertificateLogin(c.Request().Context(), peerLeaf(c), c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	return h.answerSession(c, token, in.RememberMe)
}

// SecondFactorCertificate godoc
//
//	@Summary				Complete a sign-in with the client certificate as the second factor
//	@Description			Completes a password sign-in made on the mTLS listener whose answer listed "certificate" among second_factors: the certificate the browser presents must be the same person's and usable. Opens the session as POST /auth/login/second-factor does, marked sign_in_method "password+certificate"; audited as login.success with second_factor "certificate". A certificate of another account is a 401 auth.certificateNotYours; the refusals of POST /auth/login/certificate apply; each counts toward the lock-out like a wrong code. The challenge is single use (401 mfa.challengeInvalid). Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		CertificateChallengeInput	true	"the challenge"
//	@Success				200		{object}	Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/login/second-factor/certificate [post]
//	@x-required-permission	"public"
func (h *Handler) SecondFactorCertificate(c echo.Context) error {
	var in CertificateChallengeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	token, remember, err := h.svc.CompleteWithCertificate(c.Request().Context(), in.Challenge, peerLeaf(c), c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	return h.answerSession(c, token, remember)
}
