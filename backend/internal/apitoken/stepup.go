package apitoken

import (
	"context"
	"strings"
)

// StepUp asks the caller in ctx for a fresh second factor before operation (package
// session's RequireFreshFactor); it answers nil when none is due.
type StepUp func(ctx context.Context, operation string) error

// SetStepUp connects step-up (the composition root wires it): creating a token with
// write scopes, or adding write scopes to one, asks for it.
func (s *Service) SetStepUp(f StepUp) { s.stepUp = f }

// writeScopes reports whether scopes hold anything beyond reading.
func writeScopes(scopes []string) bool {
	for _, sc := range scopes {
		if !strings.HasSuffix(sc, ".read") {
			return true
		}
	}
	return false
}

// askStepUp runs the step-up check when scopes grant writing; it runs outside any
// transaction (a refusal is audited on its own).
func (s *Service) askStepUp(ctx context.Context, sc Scope, action string, scopes []string) error {
	if s.stepUp == nil || !writeScopes(scopes) {
		return nil
	}
	return s.stepUp(ctx, sc.resource()+"."+action)
}

// stepUpForUpdate asks for step-up when a change of scopes adds write scopes to token id.
func (s *Service) stepUpForUpdate(ctx context.Context, sc Scope, id string, scopes []string) error {
	if s.stepUp == nil || scopes == nil || !writeScopes(scopes) {
		return nil
	}
	r, err := s.store.get(ctx, sc, id, false)
	if err != nil {
		return nil // the update itself answers the missing token
	}
	return s.askStepUp(ctx, sc, "update", added(r.toAPI(s.now()).Scopes, scopes))
}
