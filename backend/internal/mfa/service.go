package mfa

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// Mine answers the caller's second-factor state.
func (s *Service) Mine(ctx context.Context) (Status, error) {
	p, err := caller(ctx)
	if err != nil {
		return Status{}, err
	}
	return s.status(ctx, p.UserID)
}

func (s *Service) status(ctx context.Context, userID string) (Status, error) {
	pol, _, err := s.PolicyOf(ctx, userID)
	if err != nil {
		return Status{}, err
	}
	n, err := s.passkeyCount(ctx, userID)
	if err != nil {
		return Status{}, err
	}
	f, ok, err := s.store.factor(ctx, userID, false)
	if err != nil || !ok {
		return Status{Passkeys: int(n), Policy: pol}, err
	}
	out := Status{TOTP: f.Active, TOTPPending: !f.Active, ConfirmedAt: f.ConfirmedAt, Passkeys: int(n), Policy: pol}
	if f.Active {
		codes, err := s.store.unusedCodes(ctx, userID)
		if err != nil {
			return Status{}, err
		}
		out.RecoveryCodesLeft = len(codes)
	}
	return out, nil
}

// StartTOTP makes a new key for the caller and keeps it pending until Confirm; a pending
// key started before is replaced. An active factor must be removed first.
func (s *Service) StartTOTP(ctx context.Context) (Enrolment, error) {
	p, err := caller(ctx)
	if err != nil {
		return Enrolment{}, err
	}
	key, err := newKey(p.Login)
	if err != nil {
		return Enrolment{}, err
	}
	sealed, err := s.box.Seal(key.Secret())
	if err != nil {
		return Enrolment{}, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		f, ok, err := s.store.factor(ctx, p.UserID, true)
		if err != nil {
			return err
		}
		if ok && f.Active {
			return ErrAlreadyEnrolled
		}
		if err := s.store.putFactor(ctx, &factorRow{UserID: p.UserID, Kind: KindTOTP, Secret: sealed, CreatedAt: s.now()}); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "totp.enrol", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, After: map[string]any{"kind": KindTOTP, "active": false}})
	})
	if err != nil {
		return Enrolment{}, err
	}
	qr, err := qrDataURL(key)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{URL: key.URL(), Secret: key.Secret(), QR: qr, Issuer: issuer, Account: p.Login, Digits: 6, Period: period}, nil
}

// Confirm activates the caller's pending key with a first code and answers the recovery
// codes, once.
func (s *Service) Confirm(ctx context.Context, in CodeInput) (RecoveryCodesOut, error) {
	p, err := caller(ctx)
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	if err := requireCode(in.Code); err != nil {
		return RecoveryCodesOut{}, err
	}
	plain, rows, err := s.newCodes(ctx, p.UserID)
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		f, ok, err := s.store.factor(ctx, p.UserID, true)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case ok && f.Active:
			return ErrAlreadyEnrolled
		case !ok || now.Sub(f.CreatedAt) > enrolmentTTL:
			return ErrNoPendingKey
		}
		secret, err := s.box.Open(f.Secret)
		if err != nil {
			return err
		}
		step, match := matchStep(secret, in.Code, now)
		if !match {
			return codeField(ErrInvalidCode)
		}
		f.Active, f.LastStep, f.ConfirmedAt = true, step, &now
		if err := s.store.putFactor(ctx, &f); err != nil {
			return err
		}
		if err := s.store.replaceCodes(ctx, p.UserID, rows); err != nil {
			return err
		}
		if err := s.enrolled(ctx, p, KindTOTP); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "totp.confirm", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, After: map[string]any{"kind": KindTOTP, "active": true, "recovery_codes": len(rows)}})
	})
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	return RecoveryCodesOut{RecoveryCodes: plain}, nil
}

// Remove deletes the caller's factor and recovery codes after a current code or the
// password proves them; wrong codes count toward the sign-in lock-out.
func (s *Service) Remove(ctx context.Context, in RemoveInput, ip string) error {
	p, err := caller(ctx)
	if err != nil {
		return err
	}
	if in.Code == "" && in.Password == "" {
		return apperr.Invalid(apperr.Field("code", "required", "enter a current code or your password"))
	}
	if err := s.wouldLoseLast(ctx, p.UserID, KindTOTP); err != nil {
		return err
	}
	if in.Code != "" {
		err = s.proveCode(ctx, p.UserID, p.Login, in.Code, ip, true)
	} else {
		err = s.th.CheckOwnPassword(ctx, p, in.Password, ip, "totp.remove")
	}
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		had, err := s.store.deleteAll(ctx, p.UserID)
		if err != nil {
			return err
		}
		if !had {
			return ErrNotEnrolled
		}
		if err := s.keepsRequiredFactor(ctx, p.UserID); err != nil {
			return err
		}
		how := "password"
		if in.Code != "" {
			how = "code"
		}
		return audit.Record(ctx, audit.Entry{Action: "totp.remove", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, After: map[string]any{"kind": KindTOTP, "proved_with": how}})
	})
}

// RegenerateCodes replaces the caller's recovery codes after a current code proves them.
func (s *Service) RegenerateCodes(ctx context.Context, in CodeInput, ip string) (RecoveryCodesOut, error) {
	p, err := caller(ctx)
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	if err := requireCode(in.Code); err != nil {
		return RecoveryCodesOut{}, err
	}
	plain, rows, err := s.newCodes(ctx, p.UserID)
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	if err := s.proveCode(ctx, p.UserID, p.Login, in.Code, ip, false); err != nil {
		return RecoveryCodesOut{}, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.replaceCodes(ctx, p.UserID, rows); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "recovery_codes.regenerate", ResourceType: ResourceType,
			ResourceID: p.UserID, ResourceName: p.Login, After: map[string]any{"recovery_codes": len(rows)}})
	})
	if err != nil {
		return RecoveryCodesOut{}, err
	}
	return RecoveryCodesOut{RecoveryCodes: plain}, nil
}

// proveCode checks a current code of user id's active factor, counted by the sign-in
// throttling like a password. pendingOK accepts no factor at all (a pending enrolment
// is removed by the password or any code).
func (s *Service) proveCode(ctx context.Context, userID, login, code, ip string, pendingOK bool) error {
	f, ok, err := s.store.factor(ctx, userID, false)
	if err != nil {
		return err
	}
	if !ok || (!f.Active && !pendingOK) {
		return ErrNotEnrolled
	}
	if !f.Active {
		return apperr.Invalid(apperr.Field("password", "required", "a setup not yet confirmed is removed with your password"))
	}
	if err := s.th.CheckThrottle(ctx, login, ip); err != nil {
		return err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error { return s.checkTOTP(ctx, userID, code) })
	if err != nil {
		if e, ok := apperr.As(err); ok && (e.Code == ErrInvalidCode.Code || e.Code == ErrCodeReused.Code) {
			return s.th.Fail(ctx, "local", login, ip, userID, e.Code, codeField(e))
		}
		return errorsGiveBack(ctx, s.th, login, ip, err)
	}
	return s.th.Succeeded(ctx, login, ip)
}

func errorsGiveBack(ctx context.Context, th Throttle, login, ip string, err error) error {
	_ = th.Release(context.WithoutCancel(ctx), login, ip)
	return err
}

// checkTOTP checks a code against user id's active factor in ctx's transaction: it
// locks the factor, refuses a step already used, and records the step.
func (s *Service) checkTOTP(ctx context.Context, userID, code string) error {
	f, ok, err := s.store.factor(ctx, userID, true)
	if err != nil {
		return err
	}
	if !ok || !f.Active {
		return ErrInvalidCode
	}
	secret, err := s.box.Open(f.Secret)
	if err != nil {
		return err
	}
	step, match := matchStep(secret, code, s.now())
	switch {
	case !match:
		return ErrInvalidCode
	case step <= f.LastStep:
		return ErrCodeReused
	}
	return s.store.saveStep(ctx, userID, step)
}

// newCodes makes fresh recovery codes: the plain ones for the owner and their hashed rows.
func (s *Service) newCodes(ctx context.Context, userID string) ([]string, []codeRow, error) {
	plain := make([]string, RecoveryCodes)
	rows := make([]codeRow, RecoveryCodes)
	now := s.now()
	for i := range plain {
		plain[i] = newRecoveryCode()
		h, err := s.hasher.Hash(ctx, normaliseRecovery(plain[i]))
		if err != nil {
			return nil, nil, err
		}
		rows[i] = codeRow{ID: uuid.NewString(), UserID: userID, CodeHash: h, CreatedAt: now}
	}
	return plain, rows, nil
}

func requireCode(code string) error {
	if strings.TrimSpace(code) == "" || len(code) > 20 {
		return apperr.Invalid(apperr.Field("code", "required", "enter the 6-digit code from your authenticator app"))
	}
	return nil
}

// codeField names the field of a wrong code so the form can mark it.
func codeField(e *apperr.Error) *apperr.Error {
	c := *e
	c.Fields = []apperr.FieldError{apperr.Field("code", e.Code, validate.CleanText(e.Message, 200))}
	return &c
}
