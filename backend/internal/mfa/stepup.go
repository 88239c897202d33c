package mfa

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"custos/internal/platform/apperr"
)

// purposeStepUp marks the passkey ceremonies of a step-up (a signed-in person proving a
// second factor again before an operation that matters).
const purposeStepUp = "step_up"

// Methods lists how user id can prove a second factor again: "totp" and "recovery_code"
// with an active authenticator app, "webauthn" with a passkey; empty when they have none.
func (s *Service) Methods(ctx context.Context, userID string) ([]string, error) {
	kinds, err := s.Factors(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range kinds {
		if k == KindTOTP {
			out = append(out, KindTOTP, "recovery_code")
		} else {
			out = append(out, k)
		}
	}
	return out, nil
}

// VerifyStepUp checks, in ctx's transaction, a current code of user id's authenticator
// app or one of their recovery codes, and answers which it was ("totp" or
// "recovery_code"). A code is accepted once, whatever it was used for.
func (s *Service) VerifyStepUp(ctx context.Context, userID, code, recovery string) (string, error) {
	code, recovery = strings.TrimSpace(code), strings.TrimSpace(recovery)
	if (code == "") == (recovery == "") || len(code) > 20 || len(recovery) > 40 {
		return "", apperr.Invalid(apperr.Field("code", "required", "enter the code from your authenticator app or one recovery code"))
	}
	if code != "" {
		if err := s.checkTOTP(ctx, userID, code); err != nil {
			return "", codeErr(err)
		}
		return KindTOTP, nil
	}
	if err := s.useRecovery(ctx, userID, recovery); err != nil {
		return "", codeErr(err)
	}
	return "recovery_code", nil
}

// codeErr names the field of a wrong code on coded errors.
func codeErr(err error) error {
	if e, ok := apperr.As(err); ok && (e.Code == ErrInvalidCode.Code || e.Code == ErrCodeReused.Code) {
		return codeField(e)
	}
	return err
}

// BeginStepUp starts a passkey assertion of user id's passkeys for a step-up: a
// single-use ceremony id (ChallengeTTL) and the navigator.credentials.get options.
func (s *Service) BeginStepUp(ctx context.Context, origin, userID string) (string, json.RawMessage, error) {
	wa, err := s.relyingParty(origin)
	if err != nil {
		return "", nil, err
	}
	u, _, _, ok, err := s.loadUser(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	if !ok || len(u.creds) == 0 {
		return "", nil, apperr.New(apperr.KindUnprocessable, "webauthn.noPasskey", "This account has no passkey.")
	}
	assertion, sess, err := wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return "", nil, err
	}
	token, err := s.keep(ctx, "", userID, purposeStepUp, sess)
	if err != nil {
		return "", nil, err
	}
	opts, err := json.Marshal(assertion.Response)
	return token, opts, err
}

// FinishStepUp spends a step-up ceremony of user id and verifies its assertion in ctx's
// transaction, recording the passkey's use. A ceremony of another person, another
// purpose, answered twice or expired is webauthn.ceremonyInvalid.
func (s *Service) FinishStepUp(ctx context.Context, origin, ceremony, userID string, assertion json.RawMessage) error {
	if len(assertion) == 0 || string(assertion) == "null" {
		return apperr.Invalid(apperr.Field("credential", "required", "the passkey's answer is missing"))
	}
	return s.checkAssertion(ctx, origin, ceremony, purposeStepUp, userID, assertion)
}
