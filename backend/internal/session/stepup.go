package session

import (
	"context"
	"encoding/json"
	"time"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
)

// StepUpFactors is what a step-up needs of package mfa.
type StepUpFactors interface {
	// Methods lists how user id can prove a second factor ("totp", "recovery_code",
	// "webauthn"); empty when they have none.
	Methods(ctx context.Context, userID string) ([]string, error)
	// VerifyStepUp checks a code or a recovery code in ctx's transaction: "totp" or "recovery_code".
	VerifyStepUp(ctx context.Context, userID, code, recovery string) (string, error)
	// BeginStepUp answers a ceremony id and the navigator.credentials.get options.
	BeginStepUp(ctx context.Context, origin, userID string) (string, json.RawMessage, error)
	// FinishStepUp spends the ceremony and verifies the assertion in ctx's transaction.
	FinishStepUp(ctx context.Context, origin, ceremony, userID string, assertion json.RawMessage) error
}

// stepUp is the step-up set-up: the factors and how old their last proof may be.
type stepUp struct {
	f   StepUpFactors
	age time.Duration
}

// DefaultStepUpAge is CUSTOS_STEP_UP_AGE's default.
const DefaultStepUpAge = 10 * time.Minute

// SetStepUp connects step-up (the composition root wires it): the operations that matter
// ask for a second factor when the session's last proof is older than age (0: the default).
func (s *Service) SetStepUp(f StepUpFactors, age time.Duration) {
	if age <= 0 {
		age = DefaultStepUpAge
	}
	s.up = &stepUp{f: f, age: age}
}

// ErrStepUpRequired answers an operation that matters asked for with a second factor
// proved too long ago; Methods lists how to prove it again.
var ErrStepUpRequired = apperr.New(apperr.KindUnauthenticated, "auth.stepUpRequired",
	"This operation needs your second factor again: confirm it with POST /api/v1/auth/step-up and repeat the request.")

var errSessionOnly = apperr.New(apperr.KindDenied, "auth.sessionRequired",
	"A step-up proves a second factor for a signed-in browser session, not for an API token.")

// RequireFreshFactor refuses the operation of the caller in ctx, audited, when they are
// signed in with a session, have a second factor, and last proved it more than the
// step-up age ago (or never in this session). API tokens, bearer and system callers are
// not asked, nor is a person without a second factor (the group policy makes them enrol).
func (s *Service) RequireFreshFactor(ctx context.Context, operation string) error {
	p := authz.FromContext(ctx)
	if s.up == nil || p == nil || p.Kind != "session" || p.SessionID == "" || p.UserID == "" {
		return nil
	}
	methods, err := s.up.f.Methods(ctx, p.UserID)
	if err != nil || len(methods) == 0 {
		return err
	}
	at, err := s.store.factorAt(ctx, p.SessionID)
	if err != nil {
		return err
	}
	if at != nil && !s.now().After(at.Add(s.up.age)) {
		return nil
	}
	after := map[string]any{"operation": operation, "step_up_age_s": int(s.up.age / time.Second), "methods": methods}
	if at != nil {
		after["factor_at"] = at.UTC().Format(time.RFC3339)
	}
	if err := audit.RecordAlone(ctx, s.db, audit.Entry{Action: audit.ActionDenied, ResourceType: "session",
		ResourceID: p.UserID, ResourceName: p.Login, Reason: ErrStepUpRequired.Code, After: after}); err != nil {
		return err
	}
	e := *ErrStepUpRequired
	e.Methods = methods
	return &e
}

// markFactor records, in ctx's transaction, that the session of token proved a second
// factor now (the sign-in's second step, a passkey sign-in).
func (s *Service) markFactor(ctx context.Context, token string) error {
	return s.store.setFactorAt(ctx, hashToken(token), s.now())
}

// StepUpInput proves the second factor again: a current code or a recovery code.
type StepUpInput struct {
	Code         string `json:"code" validate:"optional"`
	RecoveryCode string `json:"recovery_code" validate:"optional"`
} //	@name	StepUpInput

// StepUpPasskeyInput answers a step-up's passkey ceremony.
type StepUpPasskeyInput struct {
	Ceremony   string          `json:"ceremony"`
	Credential json.RawMessage `json:"credential" swaggertype:"object"`
} //	@name	StepUpPasskeyInput

// StepUpResult says until when the operations that matter are open to the session.
type StepUpResult struct {
	Method     string    `json:"method" enums:"totp,recovery_code,webauthn"`
	FactorAt   time.Time `json:"factor_at"`
	ValidUntil time.Time `json:"valid_until"`
} //	@name	StepUpResult

// stepUpCaller is the session caller of a step-up.
func (s *Service) stepUpCaller(ctx context.Context) (*authz.Principal, error) {
	p := authz.FromContext(ctx)
	if p == nil {
		return nil, apperr.Unauthenticated()
	}
	if p.Kind != "session" || p.SessionID == "" || p.UserID == "" {
		return nil, errSessionOnly
	}
	if s.up == nil {
		return nil, apperr.NotFound("step-up")
	}
	return p, nil
}

// StepUp proves the caller's second factor again with a code or a recovery code: the
// session's proof time becomes now. Wrong and reused codes count toward the sign-in
// lock-out like at sign-in; every outcome is audited.
func (s *Service) StepUp(ctx context.Context, in StepUpInput, ip string) (StepUpResult, error) {
	return s.proveAgain(ctx, ip, func(ctx context.Context, p *authz.Principal) (string, error) {
		return s.up.f.VerifyStepUp(ctx, p.UserID, in.Code, in.RecoveryCode)
	})
}

// StepUpPasskey proves the caller's second factor again with a passkey's assertion.
func (s *Service) StepUpPasskey(ctx context.Context, in StepUpPasskeyInput, origin, ip string) (StepUpResult, error) {
	return s.proveAgain(ctx, ip, func(ctx context.Context, p *authz.Principal) (string, error) {
		return "webauthn", s.up.f.FinishStepUp(ctx, origin, in.Ceremony, p.UserID, in.Credential)
	})
}

// BeginStepUpPasskey starts a step-up with one of the caller's passkeys.
func (s *Service) BeginStepUpPasskey(ctx context.Context, origin string) (string, json.RawMessage, error) {
	p, err := s.stepUpCaller(ctx)
	if err != nil {
		return "", nil, err
	}
	return s.up.f.BeginStepUp(ctx, origin, p.UserID)
}

// proveAgain runs verify (in a transaction, counted by the sign-in throttling under the
// caller's login) and records the session's new proof time.
func (s *Service) proveAgain(ctx context.Context, ip string, verify func(context.Context, *authz.Principal) (string, error)) (StepUpResult, error) {
	p, err := s.stepUpCaller(ctx)
	if err != nil {
		return StepUpResult{}, err
	}
	if err := s.reserve(ctx, "step_up", p.Login, ip); err != nil {
		return StepUpResult{}, err
	}
	var out StepUpResult
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		method, err := verify(ctx, p)
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.store.setFactorAt(ctx, p.SessionID, now); err != nil {
			return err
		}
		if err := s.settle(ctx, p.Login, ip, true); err != nil {
			return err
		}
		out = StepUpResult{Method: method, FactorAt: now, ValidUntil: now.Add(s.up.age)}
		return audit.Record(ctx, audit.Entry{Action: "step_up.success", ResourceType: "session", ResourceID: p.UserID,
			ResourceName: p.Login, After: map[string]any{"method": method, "ip": ip}})
	})
	if e, ok := apperr.As(err); ok && countsAsFailure(e.Code) {
		return StepUpResult{}, s.stepUpFailed(ctx, p, ip, e)
	}
	if err != nil {
		return StepUpResult{}, s.giveBack(context.WithoutCancel(ctx), p.Login, ip, err)
	}
	return out, nil
}

// stepUpFailed audits a wrong, reused or unverifiable factor; its reservation stays
// counted and locks the account+IP pair or the IP once they reach their limit.
func (s *Service) stepUpFailed(ctx context.Context, p *authz.Principal, ip string, e *apperr.Error) error {
	txErr := s.db.Tx(context.WithoutCancel(ctx), func(ctx context.Context) error {
		if err := s.lockIfOver(ctx, p.Login, ip, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "step_up.failure", ResourceType: "session", ResourceID: p.UserID,
			ResourceName: p.Login, Reason: e.Code, After: map[string]any{"ip": ip}})
	})
	if txErr != nil {
		return txErr
	}
	return e
}
