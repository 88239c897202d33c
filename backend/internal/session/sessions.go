package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/list"
)

// Session is one open browser session of a user. ID is a reference derived from the
// stored key, never the key or the cookie.
type Session struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	// SignInMethod is how the session was signed in when it was by a certificate
	// ("certificate", or "password+certificate" for one as the second factor); else "".
	SignInMethod string `json:"sign_in_method"`
	// Current marks the session the request was made with.
	Current bool `json:"current"`
} //	@name	Session

// SessionsEnded reports how many sessions a request ended.
type SessionsEnded struct {
	Ended int64 `json:"ended"`
} //	@name	SessionsEnded

// ChangePasswordInput is the body of POST /auth/password.
type ChangePasswordInput struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
} //	@name	ChangePasswordInput

// SessionSpec is the list whitelist of a user's sessions.
var SessionSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"created_at":   {Column: "created_at", Type: list.Time},
		"last_seen_at": {Column: "last_seen_at", Type: list.Time},
	},
	DefaultSort: "last_seen_at", DefaultOrder: "desc",
}

// Audit actions of this file.
const (
	ActionLogoutAll      = "logout.all"
	ActionSessionsEnd    = "sessions.end"
	ActionPasswordChange = "password.change"
)

var (
	errSessionRequired = apperr.New(apperr.KindDenied, "auth.sessionRequired",
		"This needs a signed-in browser session; an API token cannot do it.")
	errWrongCurrent = &apperr.Error{Kind: apperr.KindInvalid, Code: "auth.wrongCurrentPassword",
		Message: "current_password: the current password is wrong",
		Fields:  []apperr.FieldError{apperr.Field("current_password", "wrong", "the current password is wrong")}}
	errNoLocalPassword = &apperr.Error{Kind: apperr.KindUnprocessable, Code: "auth.noLocalPassword",
		Message: "current_password: this account has no Custos password; it signs in through a provider",
		Fields:  []apperr.FieldError{apperr.Field("current_password", "noLocalPassword", "this account has no Custos password")}}
)

// PasswordWriter stores a person's new password once the current one is proved: it
// applies the password policy (field "password"), ends every other session of the user
// but keepSessionID, and records the change. The directory implements it.
type PasswordWriter interface {
	ChangeOwnPassword(ctx context.Context, userID, newPassword, keepSessionID string) error
}

// requireSession refuses a caller that is not a browser session (an API token, a
// bearer JWT): what is asked of the account's sessions or password needs one. The
// refusal is audited as access.denied naming the attempted action: a token trying to
// change a password is worth seeing.
func (s *Service) requireSession(ctx context.Context, p *authz.Principal, action string) error {
	if p == nil {
		return apperr.Unauthenticated()
	}
	if p.Kind == "session" && p.SessionID != "" {
		return nil
	}
	err := audit.RecordAlone(ctx, s.db, audit.Entry{Action: audit.ActionDenied, ResourceType: "session",
		ResourceID: p.UserID, ResourceName: p.Login, Reason: errSessionRequired.Code, After: map[string]any{"attempted": action}})
	if err != nil {
		return err
	}
	return errSessionRequired
}

// LogoutAll ends every session of the caller, the current one too ("sign out
// everywhere"), and reports how many it ended.
func (s *Service) LogoutAll(ctx context.Context, p *authz.Principal) (int64, error) {
	if err := s.requireSession(ctx, p, ActionLogoutAll); err != nil {
		return 0, err
	}
	return s.endSessions(ctx, p.UserID, "", audit.Entry{Action: ActionLogoutAll, ResourceType: "session",
		ResourceID: p.UserID, ResourceName: p.Login})
}

// EndUserSessions ends every session of the user id (an administrator's "End
// sessions"); the caller has already been checked against the account. An unknown id
// is a 404.
func (s *Service) EndUserSessions(ctx context.Context, id string) (int64, error) {
	login, err := s.loginOf(ctx, id)
	if err != nil {
		return 0, err
	}
	return s.endSessions(ctx, id, "", audit.Entry{Action: ActionSessionsEnd, ResourceType: "user",
		ResourceID: id, ResourceName: login})
}

// ListSessions lists the open sessions of user id; current is the caller's session key.
func (s *Service) ListSessions(ctx context.Context, id, current string, p list.Params) (list.Page[Session], error) {
	if _, err := s.loginOf(ctx, id); err != nil {
		return list.Page[Session]{}, err
	}
	now := s.now()
	page, err := s.store.listSessions(ctx, id, now, now.Add(-s.opts.IdleTimeout), p)
	if err != nil {
		return list.Page[Session]{}, err
	}
	return list.Map(page, func(r sessionRow) Session {
		return Session{ID: sessionRef(r.ID), CreatedAt: r.CreatedAt, LastSeenAt: r.LastSeenAt, ExpiresAt: r.ExpiresAt,
			IP: r.IP, UserAgent: r.UserAgent, SignInMethod: r.SignInMethod, Current: current != "" && r.ID == current}
	}), nil
}

// VerifyOwnPassword proves the caller's current password before a change. The attempt
// is counted by the sign-in throttling before the password is checked, and a wrong one
// stays counted (and is audited) like a failed sign-in, so the form is no way around the
// lock-out; while the account or address is locked out it is refused unchecked.
func (s *Service) VerifyOwnPassword(ctx context.Context, p *authz.Principal, in ChangePasswordInput, ip string) error {
	if err := s.requireSession(ctx, p, ActionPasswordChange); err != nil {
		return err
	}
	var f []apperr.FieldError
	if in.CurrentPassword == "" || len(in.CurrentPassword) > 1024 {
		f = append(f, apperr.Field("current_password", "required", "enter your current password (at most 1024 bytes)"))
	}
	if in.NewPassword == "" {
		f = append(f, apperr.Field("new_password", "required", "enter a new password"))
	} else if in.NewPassword == in.CurrentPassword {
		f = append(f, apperr.Field("new_password", "sameAsCurrent", "the new password must differ from the current one"))
	}
	if len(f) > 0 {
		return apperr.Invalid(f...)
	}
	return s.checkPassword(ctx, p, in.CurrentPassword, ip, "wrongCurrentPassword")
}

// CheckOwnPassword proves the caller's password before a sensitive change (removing a
// second factor), counted and audited like VerifyOwnPassword; action names the change.
func (s *Service) CheckOwnPassword(ctx context.Context, p *authz.Principal, password, ip, action string) error {
	if err := s.requireSession(ctx, p, action); err != nil {
		return err
	}
	if password == "" || len(password) > 1024 {
		return apperr.Invalid(apperr.Field("password", "required", "enter your password (at most 1024 bytes)"))
	}
	return renameField(s.checkPassword(ctx, p, password, ip, "wrongPassword"), "current_password", "password")
}

func (s *Service) checkPassword(ctx context.Context, p *authz.Principal, password, ip, reason string) error {
	hash, err := s.store.passwordHash(ctx, p.UserID)
	if err != nil {
		return err
	}
	if hash == "" {
		return errNoLocalPassword // no password to guess: nothing to count
	}
	if err := s.CheckThrottle(ctx, p.Login, ip); err != nil {
		return err
	}
	ok, err := s.hasher.Verify(ctx, hash, password)
	switch {
	case err != nil && ctx.Err() != nil:
		_ = s.Release(ctx, p.Login, ip)
		return ctx.Err()
	case !ok:
		return s.Fail(ctx, "local", p.Login, ip, p.UserID, reason, errWrongCurrent)
	}
	return s.Succeeded(ctx, p.Login, ip)
}

// EndSessions deletes every session of userID but keep ("" keeps none) inside the
// transaction ctx carries and
// reports how many it deleted. The directory calls it when a password is set, so the
// new password and the ended sessions commit together.
func (s *Service) EndSessions(ctx context.Context, userID, keep string) (int64, error) {
	return s.store.endSessions(ctx, userID, keep)
}

// endSessions ends userID's sessions (all but keep, when set) and records e with the
// count, in one transaction.
func (s *Service) endSessions(ctx context.Context, userID, keep string, e audit.Entry) (int64, error) {
	var n int64
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.EndSessions(ctx, userID, keep); err != nil {
			return err
		}
		e.After = map[string]any{"sessions_ended": n}
		return audit.Record(ctx, e)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// loginOf returns the login of user id, or a 404.
func (s *Service) loginOf(ctx context.Context, id string) (string, error) {
	if _, err := uuid.Parse(id); err != nil {
		return "", apperr.NotFound("user")
	}
	login, ok, err := s.store.login(ctx, id)
	if err == nil && !ok {
		return "", apperr.NotFound("user")
	}
	return login, err
}

// sessionRef is a session's public reference: stable, unguessable, useless as a key.
func sessionRef(key string) string {
	h := sha256.Sum256([]byte("session-ref:" + key))
	return hex.EncodeToString(h[:8])
}
