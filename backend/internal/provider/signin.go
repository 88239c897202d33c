package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

// What the sign-in feature needs of the providers: the active ones, the decrypted
// client secret of an OpenID provider, and the LDAP directory checks.

// ErrLDAPRejected reports an unknown login or a wrong password at the directory.
var ErrLDAPRejected = errors.New("the directory refused the login or the password")

// LDAPUnavailableError reports a directory that could not be asked (connection, TLS,
// service bind or search failed, or timed out). The message names the failed step.
type LDAPUnavailableError struct{ Detail string }

func (e *LDAPUnavailableError) Error() string {
	return "the directory could not be reached: " + e.Detail
}

// Active returns the active providers of typ, ordered by name.
func (s *Service) Active(ctx context.Context, typ string) ([]Provider, error) {
	rs, err := s.st.active(ctx, typ)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	groups, err := s.st.groupsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Provider, len(rs))
	for i := range rs {
		out[i] = rs[i].toAPI(groups[rs[i].ID])
	}
	return out, nil
}

// LocalActive reports whether the local provider is active (SPEC §5.4).
func (s *Service) LocalActive(ctx context.Context) (bool, error) {
	r, err := s.st.local(ctx)
	if err != nil {
		return false, err
	}
	return r != nil && r.Active, nil
}

// LocalBaseGroupIDs returns the local provider's base groups (none without one): users
// created by hand start in them (SPEC §5.3).
func (s *Service) LocalBaseGroupIDs(ctx context.Context) ([]string, error) {
	r, err := s.st.local(ctx)
	if err != nil || r == nil {
		return nil, err
	}
	g, err := s.st.groupsOf(ctx, []string{r.ID})
	return g[r.ID], err
}

// ClientSecret returns the decrypted client secret of an OpenID provider.
func (s *Service) ClientSecret(ctx context.Context, id string) (string, error) {
	r, _, err := s.st.load(ctx, id)
	if err != nil {
		return "", err
	}
	return s.open(r.ClientSecretSealed)
}

// LDAPAuthenticate signs a user in at the directory of LDAP provider id (SPEC §5.2):
// bind with the service account (or anonymously), search the login under the base DN
// with the filter and the username attribute (the login escaped, so `*)(uid=*` is a
// literal), then bind as the entry found with the password. It returns the entry as
// claims. A wrong login or password is ErrLDAPRejected; a directory that cannot be
// asked is an *LDAPUnavailableError. Every step has a timeout.
func (s *Service) LDAPAuthenticate(ctx context.Context, id, login, password string) (Claims, error) {
	if login == "" || password == "" { // an empty password would be an unauthenticated bind
		return nil, ErrLDAPRejected
	}
	return s.ldapEntry(ctx, id, login, func(conn *ldap.Conn, dn string) error {
		if err := conn.Bind(dn, password); err != nil {
			if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
				return ErrLDAPRejected
			}
			return &LDAPUnavailableError{Detail: "bind as " + dn + ": " + err.Error()}
		}
		return nil
	})
}

// LDAPLookup finds the login's entry with the service bind only (Kerberos sign-in,
// where the reverse proxy has authenticated the user already).
func (s *Service) LDAPLookup(ctx context.Context, id, login string) (Claims, error) {
	return s.ldapEntry(ctx, id, login, nil)
}

func (s *Service) ldapEntry(ctx context.Context, id, login string, then func(*ldap.Conn, string) error) (Claims, error) {
	r, _, err := s.st.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Type != TypeLDAP {
		return nil, fmt.Errorf("provider %s is not an LDAP provider", r.Name)
	}
	pw, err := s.open(r.BindPasswordSealed)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.SignInTimeout)
	defer cancel()
	t := &tracer{timeout: s.opt.StepTimeout}
	p := r.params()
	conn := dialLDAP(ctx, t, p, pw)
	if conn == nil {
		return nil, &LDAPUnavailableError{Detail: t.failure()}
	}
	defer conn.Close()
	req := ldap.NewSearchRequest(p.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, 10, false,
		loginFilter(p, login), []string{"*"}, nil)
	res, err := conn.Search(req)
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, &LDAPUnavailableError{Detail: "search: " + describe(err, ctx)}
	}
	if res == nil || len(res.Entries) != 1 { // none, or an ambiguous login
		return nil, ErrLDAPRejected
	}
	e := res.Entries[0]
	if then != nil {
		if err := then(conn, e.DN); err != nil {
			return nil, err
		}
	}
	return entryClaims(e), nil
}

// loginFilter is the provider's filter and the username attribute equal to the login,
// always escaped (unlike userFilter, "*" is never a wildcard here).
func loginFilter(p stored, login string) string {
	f := "(" + p.UsernameAttribute + "=" + ldap.EscapeFilter(login) + ")"
	if p.Filter != "" {
		f = "(&" + p.Filter + f + ")"
	}
	return f
}
