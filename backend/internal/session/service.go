package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"custos/internal/audit"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
	"custos/internal/platform/worker"
)

// Service signs people in.
type Service struct {
	db     *db.DB
	store  store
	authz  *authz.Authorizer
	hasher *crypto.Hasher
	opts   Options
	// publicOrigin is CUSTOS_PUBLIC_URL's scheme and host, parsed once ("" = each request's).
	publicOrigin string
	now          func() time.Time
	ext          External
	mfa          SecondFactor
	up           *stepUp      // step-up (stepup.go); nil asks nothing
	certs        Certificates // certificate.go
}

// NewService wires the sign-in service.
func NewService(d *db.DB, a *authz.Authorizer, h *crypto.Hasher, o Options) *Service {
	return &Service{db: d, store: store{db: d}, authz: a, hasher: h, opts: o, publicOrigin: originOf(o.PublicURL), now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

var errInvalid = apperr.New(apperr.KindUnauthenticated, "auth.invalidCredentials", "The login or password is wrong.")

// CheckCredentials refuses, before any work, credentials no sign-in path accepts:
// an empty or oversized login or password, or a login with a NUL (no account can have
// it, and PostgreSQL cannot even compare it). The login form and the REST provider's
// endpoint share it.
func CheckCredentials(login, password string) error {
	var f []apperr.FieldError
	switch {
	case strings.ContainsRune(login, 0):
		f = append(f, apperr.Field("login", "invalid", "a login has no control characters"))
	case login == "" || len(login) > 200:
		f = append(f, apperr.Field("login", "required", "enter a login of at most 200 characters"))
	}
	if password == "" || len(password) > 1024 {
		f = append(f, apperr.Field("password", "required", "enter a password of at most 1024 bytes"))
	}
	if len(f) > 0 {
		return apperr.Invalid(f...)
	}
	return nil
}

// Login checks a password and opens a session; it returns the raw cookie value. The
// attempt is counted before the password is checked (see reserve). Every attempt verifies
// one argon2id hash, the account's or a dummy, even when an external provider decides, so
// neither the answer nor its timing tells whether a local account exists.
func (s *Service) Login(ctx context.Context, in LoginInput, ip, userAgent string) (string, *authz.Principal, error) {
	login := strings.ToLower(strings.TrimSpace(in.Login))
	if err := CheckCredentials(login, in.Password); err != nil {
		// Audited like every refused sign-in (login cut, password never), not counted:
		// a malformed request proves nothing about the account.
		return "", nil, s.refuse(ctx, validate.CleanText(login, 200), ip, "", "validation.failed", err)
	}
	if err := s.reserve(ctx, "local", login, ip); err != nil {
		return "", nil, err
	}
	u, err := s.store.credentials(ctx, login)
	if err != nil {
		return "", nil, s.giveBack(ctx, login, ip, err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = s.hasher.Dummy()
	}
	ok, verr := s.hasher.Verify(ctx, hash, in.Password)
	if verr != nil && ctx.Err() != nil {
		return "", nil, s.giveBack(context.WithoutCancel(ctx), login, ip, ctx.Err())
	}
	ok = ok && u.ID != "" && u.PasswordHash != ""
	// The local password does not apply to an unknown login or an account checked by
	// LDAP: the external providers (SPEC §5.2) decide. tech_admin is always local.
	if s.ext != nil && (u.ID == "" || u.LDAPPrecheck) && login != identity.TechAdminLogin {
		token, handled, err := s.external(ctx, PasswordAttempt{Login: login, Password: in.Password, IP: ip,
			UserAgent: userAgent, UserID: u.ID}, in.RememberMe)
		if handled {
			return token, nil, err
		}
	}
	if !ok {
		return "", nil, s.fail(ctx, login, ip, u.ID, "invalidCredentials", errInvalid)
	}
	return s.openLocal(ctx, u, login, ip, userAgent, in.RememberMe)
}

// openLocal opens the session of an account whose local password was right.
func (s *Service) openLocal(ctx context.Context, u credRow, login, ip, userAgent string, remember bool) (string, *authz.Principal, error) {
	if !u.Active {
		return "", nil, s.fail(ctx, login, ip, u.ID, "accountDisabled",
			apperr.New(apperr.KindDenied, "auth.accountDisabled", "This account is deactivated; ask an administrator."))
	}
	// SPEC §5.4: with the local provider inactive the form admits only tech_admin and
	// accounts with the LDAP pre-check flag; everyone else uses an external provider.
	if s.ext != nil && login != identity.TechAdminLogin && !u.LDAPPrecheck {
		active, err := s.ext.LocalActive(ctx)
		if err != nil {
			return "", nil, s.giveBack(ctx, login, ip, err)
		}
		if !active {
			return "", nil, s.giveBack(ctx, login, ip, s.refuse(ctx, login, ip, u.ID, "localProviderInactive", errLocalInactive))
		}
	}
	if err := s.dueSecondFactor(ctx, u.ID, login, "local", ip, remember, true); err != nil {
		var due *SecondFactorDue
		if errors.As(err, &due) {
			return "", nil, err
		}
		return "", nil, s.giveBack(ctx, login, ip, err)
	}
	var token string
	httpx.SetActor(ctx, "user", u.ID, u.Login)
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		var err error
		if token, err = s.OpenSession(ctx, u.ID, login, ip, userAgent); err != nil {
			return err
		}
		if err := s.settle(ctx, login, ip, true); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: u.ID,
			ResourceName: u.Login, After: map[string]any{"provider": "local", "ip": ip}})
	})
	if err != nil {
		return "", nil, s.giveBack(ctx, login, ip, err)
	}
	p := &authz.Principal{Kind: "session", UserID: u.ID, Login: u.Login, DisplayName: u.DisplayName, SessionID: hashToken(token)}
	return token, p, nil
}

// giveBack releases the reservation of an attempt that ended in err without judging the
// password, and returns err. Should the release itself fail, the attempt stays counted:
// that errs on the side of the lock-out, and err is what the caller must hear.
func (s *Service) giveBack(ctx context.Context, login, ip string, err error) error {
	_ = s.Release(ctx, login, ip)
	return err
}

// fail audits a wrong password; its reservation stays counted and locks the account+IP
// pair or the IP once they reach their limit.
func (s *Service) fail(ctx context.Context, login, ip, userID, reason string, err error) error {
	return s.failVia(ctx, "local", login, ip, userID, reason, err)
}

func (s *Service) failVia(ctx context.Context, provider, login, ip, userID, reason string, err error) error {
	txErr := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.lockIfOver(ctx, login, ip, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "login.failure", ResourceType: "session", ResourceID: userID,
			ResourceName: login, Reason: reason, After: map[string]any{"provider": provider, "ip": ip}})
	})
	if txErr != nil {
		return txErr
	}
	return err
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, p *authz.Principal) error {
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.deleteSession(ctx, p.SessionID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "logout", ResourceType: "session", ResourceID: p.UserID,
			ResourceName: p.Login})
	})
	return err
}

// Resolve turns a session cookie value into a principal, enforcing idle and absolute
// timeouts and the account's active flag.
func (s *Service) Resolve(ctx context.Context, token string) (*authz.Principal, error) {
	if token == "" || len(token) > 100 {
		return nil, nil
	}
	id := hashToken(token)
	r, ok, err := s.store.principal(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	now := s.now()
	if !r.Active || now.After(r.ExpiresAt) || now.Sub(r.LastSeenAt) > s.opts.IdleTimeout {
		_ = s.store.deleteSession(ctx, id)
		return nil, nil
	}
	// Writing last_seen_at at most once a minute spares the database, but an idle timeout
	// of a few minutes or less needs finer steps or busy sessions would expire as idle.
	if now.Sub(r.LastSeenAt) > min(time.Minute, s.opts.IdleTimeout/10) {
		_ = s.store.touchSession(ctx, id, now)
	}
	groups, err := s.store.groupCodes(ctx, r.UserID)
	if err != nil {
		return nil, err
	}
	return &authz.Principal{Kind: "session", UserID: r.UserID, Login: r.Login, DisplayName: r.DisplayName,
		Groups: groups, SessionID: id, EnrolmentOnly: r.EnrolmentOnly}, nil
}

// SweepJob deletes ended sessions and stale throttle rows every five minutes.
func (s *Service) SweepJob() worker.Job {
	return worker.Job{Name: "session sweep", Every: 5 * time.Minute, Run: s.Sweep, Once: true}
}

// Sweep deletes expired sessions and stale throttle rows.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.now()
	if err := s.store.sweepSessions(ctx, now, now.Add(-s.opts.IdleTimeout)); err != nil {
		return err
	}
	return s.store.sweepThrottle(ctx, now, now.Add(-s.opts.Window))
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}
