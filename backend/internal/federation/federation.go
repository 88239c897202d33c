// Package federation signs people in through the providers other than the local one
// (SPEC §5): LDAP behind the login form, OpenID Connect (authorization code with PKCE,
// state and nonce; bearer ID tokens; the silent prompt=none round trip), Kerberos via
// a trusted reverse proxy's header, and an external REST service. Every successful
// authentication goes through one provisioning step (SPEC §5.3, seed 004 «Особенности
// создания новых пользователей и доступов») that creates or refreshes the account,
// audits the outcome and opens the session in one transaction.
package federation

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/provider"
)

// Providers is what sign-in needs of the provider registry (*provider.Service).
type Providers interface {
	Get(ctx context.Context, id string) (provider.Provider, error)
	Active(ctx context.Context, typ string) ([]provider.Provider, error)
	LocalActive(ctx context.Context) (bool, error)
	ClientSecret(ctx context.Context, id string) (string, error)
	Resolve(ctx context.Context, p provider.Provider, claims provider.Claims) (provider.DryRunResult, error)
	LDAPAuthenticate(ctx context.Context, id, login, password string) (provider.Claims, error)
	LDAPLookup(ctx context.Context, id, login string) (provider.Claims, error)
}

// Directory is what sign-in needs of the directory (*identity.Service).
type Directory interface {
	GetLicence(ctx context.Context) (identity.Licence, error)
	GetUser(ctx context.Context, id string) (identity.User, error)
	GroupRefsOf(ctx context.Context, userID string) ([]identity.GroupRef, error)
	// The three below run inside the sign-in's transaction, which ctx carries.
	LockUserByLogin(ctx context.Context, login string) (*identity.User, error)
	ProvisionCreate(ctx context.Context, in identity.Provision) (identity.User, bool, error)
	ProvisionUpdate(ctx context.Context, before identity.User, in identity.Provision) (identity.User, error)
}

// Sessions is what sign-in needs of the session feature (*session.Service).
type Sessions interface {
	OpenSession(ctx context.Context, userID, login, ip, userAgent string) (string, error)
	SetSessionCookie(c echo.Context, token string)
	CheckThrottle(ctx context.Context, login, ip string) error
	Fail(ctx context.Context, provider, login, ip, userID, reason string, err error) error
	Release(ctx context.Context, login, ip string) error
	Resolve(ctx context.Context, token string) (*authz.Principal, error)
	// ChallengeInstead ends a new session whose account has a second factor and answers
	// a *session.SecondFactorDue (nil when none is due).
	ChallengeInstead(ctx context.Context, token, login, ip string) error
}

// Options are the server settings sign-in depends on.
type Options struct {
	// PublicURL is the console's external base URL (redirect URIs are built from it);
	// empty = the scheme and host of the request.
	PublicURL string
	// KerberosHeader names the header with the user a trusted reverse proxy
	// authenticated by SPNEGO.
	KerberosHeader string
	// TrustedProxies are the peers whose Kerberos header is believed; empty = nobody.
	TrustedProxies []*net.IPNet
	SecureCookies  bool
	// HTTPTimeout bounds each call to an identity provider or a REST service (10s).
	HTTPTimeout time.Duration
	// FlowTTL is how long an OpenID round trip may take (10 minutes).
	FlowTTL time.Duration
	// ClockSkew is tolerated on token times (1 minute).
	ClockSkew time.Duration
	// DiscoveryTTL is how long an OpenID discovery document is reused (10 minutes).
	DiscoveryTTL time.Duration
}

// Service is the sign-in feature.
type Service struct {
	st     store
	prov   Providers
	dir    Directory
	sess   Sessions
	opt    Options
	hc     *http.Client
	oidc   *discoveryCache
	bearer *bearerCache
	now    func() time.Time
}

// New wires sign-in.
func New(d *db.DB, p Providers, dir Directory, sess Sessions, opt Options) *Service {
	if opt.HTTPTimeout <= 0 {
		opt.HTTPTimeout = 10 * time.Second
	}
	if opt.FlowTTL <= 0 {
		opt.FlowTTL = 10 * time.Minute
	}
	if opt.ClockSkew <= 0 {
		opt.ClockSkew = time.Minute
	}
	if opt.DiscoveryTTL <= 0 {
		opt.DiscoveryTTL = 10 * time.Minute
	}
	if opt.KerberosHeader == "" {
		opt.KerberosHeader = "X-Remote-User"
	}
	s := &Service{st: store{db: d}, prov: p, dir: dir, sess: sess, opt: opt, hc: newHTTPClient(opt.HTTPTimeout),
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
	s.oidc = &discoveryCache{ttl: opt.DiscoveryTTL, m: map[string]discovered{}}
	s.bearer = &bearerCache{m: map[string]bearerEntry{}}
	return s
}

// The refusals of sign-in, each with its stable code (the SPA translates them; the
// Russian text of accountNotProvisioned is the seed's own).
var (
	errNotProvisioned = apperr.New(apperr.KindDenied, "signin.accountNotProvisioned",
		"No account has been created for the user named in the request. Please contact the System Administrator.")
	errQuota = apperr.New(apperr.KindDenied, "signin.quotaExceeded",
		"Your account has been created but stays inactive: its user type has no free places. Please contact the System Administrator.")
	errDisabled = apperr.New(apperr.KindDenied, "auth.accountDisabled",
		"This account is deactivated; ask an administrator.")
	errTechAdmin = apperr.New(apperr.KindDenied, "signin.techAdminLocalOnly",
		"The built-in tech_admin account signs in with its local password only.")
	errBadLogin = apperr.New(apperr.KindDenied, "signin.invalidProviderLogin",
		"The identity provider did not name a usable login for this user.")
	errNotLDAPAccount = apperr.New(apperr.KindUnauthenticated, "auth.invalidCredentials",
		"The login or password is wrong.")
	errUnavailable = apperr.New(apperr.KindUnauthenticated, "signin.providerUnavailable",
		"The identity provider could not be reached; try again later or ask an administrator.")
	errProviderNotFound = apperr.New(apperr.KindNotFound, "signin.providerNotFound",
		"There is no active provider for this kind of sign-in.")
	errInvalidState = apperr.New(apperr.KindUnauthenticated, "signin.invalidState",
		"The sign-in round trip is unknown, expired or was already used; start again.")
	errIdP = apperr.New(apperr.KindUnauthenticated, "signin.idpError",
		"The identity provider refused the sign-in.")
	errInvalidToken = apperr.New(apperr.KindUnauthenticated, "signin.invalidToken",
		"The bearer token is invalid, expired, or not issued for this console.")
	errKerberos = apperr.New(apperr.KindUnauthenticated, "signin.kerberosNoUser",
		"No user was authenticated by a trusted reverse proxy.")
)
