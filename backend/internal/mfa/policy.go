package mfa

import (
	"context"
	"slices"
	"time"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
)

// ErrLastFactorRequired refuses removing the last second factor of a person whose group
// requires one.
var ErrLastFactorRequired = apperr.New(apperr.KindConflict, "mfa.lastFactorRequired",
	"Your group requires a second factor: set up another one before removing this one.")

// Policy is where a person stands under their groups' second-factor policy.
type Policy struct {
	// Required is true when a group of theirs requires a second factor.
	Required bool `json:"required"`
	// RequiredBy are the codes of those groups.
	RequiredBy []string `json:"required_by"`
	// GraceDays is the shortest grace period of those groups.
	GraceDays int `json:"grace_days"`
	// GraceStartedAt is their first sign-in while required without a factor.
	GraceStartedAt *time.Time `json:"grace_started_at,omitempty"`
	// Deadline is when the grace ends (set while required, without a factor, once
	// the grace began); from then on a sign-in may only set up a factor.
	Deadline *time.Time `json:"deadline,omitempty"`
} //	@name	SecondFactorPolicy

// PolicyOf reads user id's standing; enrolled says whether they have a factor.
func (s *Service) PolicyOf(ctx context.Context, userID string) (Policy, bool, error) {
	groups, err := s.store.requiringGroups(ctx, userID)
	if err != nil {
		return Policy{}, false, err
	}
	kinds, err := s.Factors(ctx, userID)
	if err != nil {
		return Policy{}, false, err
	}
	out := Policy{RequiredBy: []string{}}
	for i, g := range groups {
		out.Required = true
		out.RequiredBy = append(out.RequiredBy, g.Code)
		if i == 0 || g.GraceDays < out.GraceDays {
			out.GraceDays = g.GraceDays
		}
	}
	if !out.Required || len(kinds) > 0 {
		return out, len(kinds) > 0, nil
	}
	start, ok, err := s.store.grace(ctx, userID)
	if err != nil || !ok {
		return out, false, err
	}
	end := start.Add(time.Duration(out.GraceDays) * 24 * time.Hour)
	out.GraceStartedAt, out.Deadline = &start, &end
	return out, false, nil
}

// AtSignIn decides, in the transaction ctx carries, a session being opened for user id:
// when a group requires a second factor they lack, their grace begins (the first
// time) and enrolmentOnly is true once it is over. deadline is the grace's end (nil
// when nothing is due).
func (s *Service) AtSignIn(ctx context.Context, userID string) (deadline *time.Time, enrolmentOnly bool, err error) {
	pol, enrolled, err := s.PolicyOf(ctx, userID)
	if err != nil || !pol.Required || enrolled {
		return nil, false, err
	}
	now := s.now()
	if pol.Deadline == nil {
		if err := s.store.startGrace(ctx, userID, now); err != nil {
			return nil, false, err
		}
		end := now.Add(time.Duration(pol.GraceDays) * 24 * time.Hour)
		pol.Deadline = &end
	}
	return pol.Deadline, !now.Before(*pol.Deadline), nil
}

// SecondFactorPolicy answers user id's standing for the signed-in caller (session.Me):
// whether a factor is required, and the grace deadline while they lack one.
func (s *Service) SecondFactorPolicy(ctx context.Context, userID string) (bool, *time.Time, error) {
	pol, _, err := s.PolicyOf(ctx, userID)
	return pol.Required, pol.Deadline, err
}

// keepsRequiredFactor refuses, inside the removal's transaction (after the delete), a
// removal that left user id without a factor while a group requires one.
func (s *Service) keepsRequiredFactor(ctx context.Context, userID string) error {
	pol, enrolled, err := s.PolicyOf(ctx, userID)
	if err != nil {
		return err
	}
	if pol.Required && !enrolled {
		return ErrLastFactorRequired
	}
	return nil
}

// wouldLoseLast is keepsRequiredFactor asked before a removal of kind (so no code is
// spent proving a removal that will be refused).
func (s *Service) wouldLoseLast(ctx context.Context, userID, kind string) error {
	pol, _, err := s.PolicyOf(ctx, userID)
	if err != nil || !pol.Required {
		return err
	}
	kinds, err := s.Factors(ctx, userID)
	if err != nil {
		return err
	}
	if slices.Equal(kinds, []string{kind}) {
		return ErrLastFactorRequired
	}
	return nil
}

// SessionGrant turns an enrolment-only session into a full one (package session).
type SessionGrant interface {
	GrantFullSession(ctx context.Context, sessionID string) (bool, error)
}

// enrolled runs in the transaction of a factor's confirmation: the caller's grace is
// over with, and an enrolment-only session becomes a full one (audited).
func (s *Service) enrolled(ctx context.Context, p *authz.Principal, kind string) error {
	if err := s.store.clearGrace(ctx, p.UserID); err != nil {
		return err
	}
	g, ok := s.th.(SessionGrant)
	if !p.EnrolmentOnly || !ok {
		return nil
	}
	granted, err := g.GrantFullSession(ctx, p.SessionID)
	if err != nil || !granted {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "login.enrolmentCompleted", ResourceType: "session",
		ResourceID: p.UserID, ResourceName: p.Login, After: map[string]any{"second_factor": kind}})
}
