package session

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
)

// FactorPolicy is the groups' second-factor policy (package mfa), asked whenever a
// session opens, whatever the provider: a person whose group requires a factor they
// lack signs in normally during a grace period, and afterwards gets a session that may
// only set one up.
type FactorPolicy interface {
	// AtSignIn decides in ctx's transaction: it starts user id's grace the first time
	// and reports its end and whether it is over.
	AtSignIn(ctx context.Context, userID string) (deadline *time.Time, enrolmentOnly bool, err error)
	// SecondFactorPolicy reports whether a factor is required of user id and, while
	// they lack one, the grace deadline.
	SecondFactorPolicy(ctx context.Context, userID string) (required bool, deadline *time.Time, err error)
}

// ErrEnrolmentRequired refuses what an enrolment-only session may not do.
var ErrEnrolmentRequired = apperr.New(apperr.KindDenied, "auth.enrolmentRequired",
	"Your group requires a second factor: set one up (Security) before doing anything else.")

// MeSecondFactor is the caller's standing under the second-factor policy.
type MeSecondFactor struct {
	// Required is true when one of the caller's groups requires a second factor.
	Required bool `json:"required"`
	// Deadline is the end of the grace to set one up, while the caller has none.
	Deadline *time.Time `json:"deadline,omitempty"`
	// EnrolmentRequired is true for a session that may only set up a second factor
	// (the grace is over): everything else answers 403 auth.enrolmentRequired.
	EnrolmentRequired bool `json:"enrolment_required"`
} //	@name	MeSecondFactor

func (s *Service) factorPolicy() FactorPolicy {
	fp, _ := s.mfa.(FactorPolicy)
	return fp
}

// enrolmentOnly decides, in the transaction opening user id's session, whether it may
// only set up a second factor; such a sign-in is audited as login.enrolmentRequired.
func (s *Service) enrolmentOnly(ctx context.Context, userID, login, ip string) (bool, error) {
	fp := s.factorPolicy()
	if fp == nil {
		return false, nil
	}
	deadline, only, err := fp.AtSignIn(ctx, userID)
	if err != nil || !only {
		return false, err
	}
	return true, audit.Record(ctx, audit.Entry{Action: "login.enrolmentRequired", ResourceType: "session",
		ResourceID: userID, ResourceName: login, Reason: ErrEnrolmentRequired.Code,
		After: map[string]any{"ip": ip, "deadline": deadline}})
}

// GrantFullSession lifts the enrolment-only mark of session id (its user just set up a
// factor), in ctx's transaction; false when it had none.
func (s *Service) GrantFullSession(ctx context.Context, id string) (bool, error) {
	return s.store.grantFull(ctx, id)
}

// mePolicy is the caller's standing for Me (nil for a caller with no user).
func (s *Service) mePolicy(ctx context.Context, p *authz.Principal) (*MeSecondFactor, error) {
	fp := s.factorPolicy()
	if fp == nil || p.UserID == "" {
		return nil, nil
	}
	req, deadline, err := fp.SecondFactorPolicy(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return &MeSecondFactor{Required: req, Deadline: deadline, EnrolmentRequired: p.EnrolmentOnly}, nil
}

// EnrolmentGate refuses an enrolment-only session (403 auth.enrolmentRequired) on a
// route that is not allowed for it; allowed routes (and every other caller) pass.
func EnrolmentGate(allowed bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if allowed {
			return next
		}
		return func(c echo.Context) error {
			if p := authz.FromEcho(c); p != nil && p.EnrolmentOnly {
				return ErrEnrolmentRequired
			}
			return next(c)
		}
	}
}
