package mfa

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/worker"
)

// Pending is a sign-in waiting for its second factor.
type Pending struct {
	UserID, Login, Provider string
	RememberMe              bool
}

// Enrolled reports whether user id must give a second factor at sign-in.
func (s *Service) Enrolled(ctx context.Context, userID string) (bool, error) {
	kinds, err := s.Factors(ctx, userID)
	return len(kinds) > 0, err
}

// Factors lists the second factors user id can give at sign-in: "totp" (an active
// authenticator app) and "webauthn" (a passkey), in that order.
func (s *Service) Factors(ctx context.Context, userID string) ([]string, error) {
	var out []string
	f, ok, err := s.store.factor(ctx, userID, false)
	if err != nil {
		return nil, err
	}
	if ok && f.Active {
		out = append(out, KindTOTP)
	}
	n, err := s.passkeyCount(ctx, userID)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		out = append(out, KindWebAuthn)
	}
	return out, nil
}

// Challenge records, in ctx's transaction, a sign-in whose password was right and answers
// the opaque id the browser completes it with (ChallengeTTL, single use).
func (s *Service) Challenge(ctx context.Context, userID, login, provider string, rememberMe bool) (string, error) {
	p := Pending{UserID: userID, Login: login, Provider: provider, RememberMe: rememberMe}
	token := crypto.RandomToken(32)
	err := s.store.putChallenge(ctx, &challengeRow{ID: hashID(token), UserID: p.UserID, Login: p.Login,
		Provider: p.Provider, RememberMe: p.RememberMe, ExpiresAt: s.now().Add(ChallengeTTL)})
	return token, err
}

// Pending reads a challenge that is still open: its user, login, provider and remember_me.
func (s *Service) Pending(ctx context.Context, challenge string) (userID, login, provider string, rememberMe bool, err error) {
	p, err := s.pending(ctx, challenge)
	return p.UserID, p.Login, p.Provider, p.RememberMe, err
}

func (s *Service) pending(ctx context.Context, challenge string) (Pending, error) {
	if challenge == "" || len(challenge) > 100 {
		return Pending{}, ErrChallenge
	}
	r, ok, err := s.store.challenge(ctx, hashID(challenge), s.now())
	if err != nil {
		return Pending{}, err
	}
	if !ok {
		return Pending{}, ErrChallenge
	}
	return Pending{UserID: r.UserID, Login: r.Login, Provider: r.Provider, RememberMe: r.RememberMe}, nil
}

// Complete checks a challenge's code, recovery code or passkey assertion in ctx's
// transaction and closes the challenge; it answers how the factor was given ("totp",
// "recovery_code" or "webauthn"). origin is the request's (the passkey's relying party).
func (s *Service) Complete(ctx context.Context, challenge, code, recovery string, assertion json.RawMessage, origin string) (string, error) {
	code, recovery = strings.TrimSpace(code), strings.TrimSpace(recovery)
	if len(assertion) > 0 && string(assertion) != "null" {
		if code != "" || recovery != "" {
			return "", apperr.Invalid(apperr.Field("credential", "exclusive", "give a passkey or a code, not both"))
		}
		p, err := s.pending(ctx, challenge)
		if err != nil {
			return "", err
		}
		if err := s.checkAssertion(ctx, origin, challenge, purposeSecondFactor, p.UserID, assertion); err != nil {
			return "", err
		}
		taken, err := s.store.takeChallenge(ctx, hashID(challenge))
		if err == nil && !taken {
			err = ErrChallenge
		}
		return KindWebAuthn, err
	}
	if (code == "") == (recovery == "") || len(code) > 20 || len(recovery) > 40 {
		return "", apperr.Invalid(apperr.Field("code", "required", "enter the code from your authenticator app or one recovery code"))
	}
	p, err := s.pending(ctx, challenge)
	if err != nil {
		return "", err
	}
	method := KindTOTP
	if code != "" {
		err = s.checkTOTP(ctx, p.UserID, code)
	} else {
		method = "recovery_code"
		err = s.useRecovery(ctx, p.UserID, recovery)
	}
	if err != nil {
		return "", err
	}
	taken, err := s.store.takeChallenge(ctx, hashID(challenge))
	if err == nil && !taken {
		err = ErrChallenge // completed by a parallel request
	}
	return method, err
}

// useRecovery spends one of user id's unused recovery codes.
func (s *Service) useRecovery(ctx context.Context, userID, code string) error {
	rows, err := s.store.unusedCodes(ctx, userID)
	if err != nil {
		return err
	}
	norm := normaliseRecovery(code)
	for _, r := range rows {
		ok, err := s.hasher.Verify(ctx, r.CodeHash, norm)
		if err != nil {
			return err
		}
		if ok {
			used, err := s.store.useCode(ctx, r.ID, s.now())
			if err == nil && !used {
				err = ErrInvalidCode
			}
			return err
		}
	}
	return ErrInvalidCode
}

// Reset deletes user id's factors and recovery codes and ends their sessions (an
// administrator's reset, or `custos user reset-factors`); by names who asked.
func (s *Service) Reset(ctx context.Context, id, login, by string) (int64, error) {
	if (id == "") == (login == "") {
		return 0, errUnknownUserLogin
	}
	uid, name, ok, err := s.store.user(ctx, id, login)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errUnknownUserLogin
	}
	var ended int64
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		had, err := s.store.deleteAll(ctx, uid)
		if err != nil {
			return err
		}
		keys, err := s.store.deletePasskeys(ctx, uid)
		if err != nil {
			return err
		}
		if err := s.store.clearGrace(ctx, uid); err != nil { // a new grace, as GitLab's reset gives
			return err
		}
		had = had || keys > 0
		if ended, err = s.th.EndSessions(ctx, uid, ""); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "factors.reset", ResourceType: ResourceType, ResourceID: uid,
			ResourceName: name, After: map[string]any{"had_factor": had, "sessions_ended": ended, "by": by}})
	})
	return ended, err
}

// SweepJob deletes expired sign-in challenges every five minutes.
func (s *Service) SweepJob() worker.Job {
	return worker.Job{Name: "mfa challenge sweep", Every: 5 * time.Minute, Once: true,
		Run: func(ctx context.Context) error {
			if err := s.store.sweepCeremonies(ctx, s.now()); err != nil {
				return err
			}
			return s.store.sweepChallenges(ctx, s.now())
		}}
}
