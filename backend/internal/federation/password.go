package federation

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"custos/internal/identity"
	"custos/internal/platform/validate"
	"custos/internal/provider"
	"custos/internal/session"
)

// LocalActive reports whether the local provider is active (session.External).
func (s *Service) LocalActive(ctx context.Context) (bool, error) { return s.prov.LocalActive(ctx) }

// Password checks the login form's credentials with the active LDAP provider
// (session.External): on success the account is provisioned (created with the LDAP
// pre-check flag, or refreshed from the directory) and its session opened.
func (s *Service) Password(ctx context.Context, a session.PasswordAttempt) (string, error) {
	ps, err := s.prov.Active(ctx, provider.TypeLDAP)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "", session.ErrNoExternal
	}
	p := ps[0]
	claims, err := s.prov.LDAPAuthenticate(ctx, p.ID, a.Login, a.Password)
	var down *provider.LDAPUnavailableError
	switch {
	case errors.Is(err, provider.ErrLDAPRejected):
		return "", &session.Rejected{Provider: p.Name, Reason: "invalidCredentials", Err: session.ErrInvalidCredentials}
	case errors.As(err, &down):
		return "", s.audited(ctx, p, a.Login, a.UserID, a.IP, errUnavailable, down.Detail)
	case err != nil:
		return "", err
	}
	out, err := s.complete(ctx, attempt{prov: p, claims: claims, ip: a.IP, ua: a.UserAgent, login: a.Login}, true)
	return out.Token, err
}

// KerberosInput is a request that reached GET /auth/kerberos.
type KerberosInput struct {
	Peer      string // the TCP peer's address (host:port), never X-Forwarded-For
	User      string // the value of the Kerberos header
	IP        string
	UserAgent string
}

// Kerberos signs in the user a trusted reverse proxy authenticated by SPNEGO (SPEC
// §5.2 ldap_kerberos): the header counts only when the TCP peer is a trusted proxy;
// the user is then looked up in the active LDAP provider and provisioned through the
// active LDAP-kerberos provider.
func (s *Service) Kerberos(ctx context.Context, in KerberosInput) (Outcome, error) {
	ps, err := s.prov.Active(ctx, provider.TypeLDAPKerberos)
	if err != nil {
		return Outcome{}, err
	}
	none := provider.Provider{Type: provider.TypeLDAPKerberos}
	if len(ps) == 0 {
		return Outcome{}, s.refuseDetail(ctx, none, in.IP, errProviderNotFound, "no active LDAP kerberos provider")
	}
	p := ps[0]
	if !s.trusted(in.Peer) {
		return Outcome{}, s.refuseDetail(ctx, p, in.IP, errKerberos,
			"the "+s.opt.KerberosHeader+" header came from "+validate.CleanText(in.Peer, 100)+", which is not a trusted proxy")
	}
	login := kerberosLogin(in.User)
	if login == "" {
		return Outcome{}, s.refuseDetail(ctx, p, in.IP, errKerberos,
			"the trusted proxy named no usable user: "+strconv.Quote(validate.CleanText(in.User, 100)))
	}
	ldaps, err := s.prov.Active(ctx, provider.TypeLDAP)
	if err != nil {
		return Outcome{}, err
	}
	if len(ldaps) == 0 {
		return Outcome{}, s.audited(ctx, p, login, "", in.IP, errUnavailable, "no active LDAP provider to look the user up in")
	}
	claims, err := s.prov.LDAPLookup(ctx, ldaps[0].ID, login)
	var down *provider.LDAPUnavailableError
	switch {
	case errors.Is(err, provider.ErrLDAPRejected):
		return Outcome{}, s.audited(ctx, p, login, "", in.IP, errNotProvisioned, "the directory has no entry for the user")
	case errors.As(err, &down):
		return Outcome{}, s.audited(ctx, p, login, "", in.IP, errUnavailable, down.Detail)
	case err != nil:
		return Outcome{}, err
	}
	return s.complete(ctx, attempt{prov: p, claims: claims, ip: in.IP, ua: in.UserAgent, login: login}, true)
}

// trusted reports whether the TCP peer is one of the configured reverse proxies.
func (s *Service) trusted(peer string) bool {
	host, _, err := net.SplitHostPort(peer)
	if err != nil {
		host = peer
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.opt.TrustedProxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// kerberosLogin turns a principal name into a login: "alice@CORP.LOCAL" and
// "CORP\alice" both sign in alice.
func kerberosLogin(v string) string {
	v = strings.TrimSpace(v)
	// Checked before NormLogin, whose lower-casing turns bytes that are not UTF-8
	// into U+FFFD: a header that is not clean text names nobody.
	if len(v) > 256 || !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
		return ""
	}
	if i := strings.LastIndex(v, `\`); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.Index(v, "@"); i >= 0 {
		v = v[:i]
	}
	v = identity.NormLogin(v)
	if !identity.ValidLogin(v) {
		return ""
	}
	return v
}
