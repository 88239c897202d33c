package federation

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"custos/internal/audit"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
	"custos/internal/provider"
)

// attempt is one successful authentication at an external provider, to be turned into
// an account and a session.
type attempt struct {
	prov provider.Provider
	// claims are cleaned where the peer's answer is decoded (validate.CleanClaims).
	claims provider.Claims
	ip, ua string
	// login overrides the mapped login (LDAP: what the user typed and the directory
	// accepted; Kerberos: the proxy's user).
	login string
}

// Outcome is a signed-in account.
type Outcome struct {
	Token   string // the session cookie value ("" for bearer sign-ins, which open none)
	UserID  string
	Login   string
	Created bool
}

// complete provisions the account (SPEC §5.3) and, when session is true, opens its
// session, in one transaction with the audit events. Refusals are audited too; a
// refusal that created something (an inactive account over quota) commits it.
func (s *Service) complete(ctx context.Context, a attempt, session bool) (Outcome, error) {
	res, err := s.prov.Resolve(ctx, a.prov, a.claims)
	if err != nil {
		return Outcome{}, err
	}
	login := identity.NormLogin(res.Login)
	if a.login != "" {
		login = identity.NormLogin(a.login)
	}
	switch {
	// U+FFFD is what cleaning left of a byte that cannot be stored (see attempt).
	case login == "" || !identity.ValidLogin(login) || strings.ContainsRune(login, utf8.RuneError):
		return Outcome{}, s.refuse(ctx, a.prov, login, "", a.ip, errBadLogin)
	case login == identity.TechAdminLogin:
		return Outcome{}, s.refuse(ctx, a.prov, login, "", a.ip, errTechAdmin)
	}
	lic, err := s.dir.GetLicence(ctx)
	if err != nil {
		return Outcome{}, err
	}
	if strings.ContainsRune(res.Email, utf8.RuneError) { // an address cleaning had to repair is none
		res.Email = ""
	}
	isLDAP := a.prov.Type == provider.TypeLDAP
	in := identity.Provision{Login: login, Email: res.Email, DisplayName: res.DisplayName,
		SourceProviderID: a.prov.ID, SourceProviderName: a.prov.Name, LDAPPrecheck: isLDAP,
		ReplaceGroups: !isLDAP, Attributes: res.Attributes, Extra: res.ExtraAttributes}
	for _, g := range res.Groups {
		in.GroupIDs = append(in.GroupIDs, g.ID)
	}
	// Every provider's form, LDAP's included, says its user type "is given to new users,
	// within the licence quotas" (seed 004); §5.3's LDAP list names login, e-mail and
	// base groups, and the type comes from that form setting.
	in.UserTypeID = a.prov.UserTypeID
	canCreate := a.prov.AllowUserCreation && lic.AccessType != identity.Cloud
	var out Outcome
	for try := 0; ; try++ {
		out, err = s.provisionTx(ctx, a, in, canCreate, session)
		if !errors.Is(err, identity.ErrLoginRace) || try > 0 {
			break
		}
	}
	return out, err
}

// provisionTx is one try of complete's transaction.
func (s *Service) provisionTx(ctx context.Context, a attempt, in identity.Provision, canCreate, session bool) (Outcome, error) {
	var out Outcome
	var refusal error
	httpx.SetActor(ctx, "provider", a.prov.ID, a.prov.Name)
	err := s.st.tx(ctx, func(ctx context.Context) error {
		refusal = nil
		u, err := s.dir.LockUserByLogin(ctx, in.Login)
		if err != nil {
			return err
		}
		switch {
		case u == nil && !canCreate:
			refusal = errNotProvisioned
		case u == nil:
			nu, quotaOK, err := s.dir.ProvisionCreate(ctx, in)
			if err != nil {
				return err
			}
			u, out.Created = &nu, true
			if !quotaOK {
				refusal = errQuota
			}
		case !u.Active:
			refusal = errDisabled
		case in.LDAPPrecheck && !u.LDAPPrecheck: // a local account is not the directory's to sign in
			refusal = errNotLDAPAccount
		default:
			in.UserTypeID = nil // a known account keeps its type
			nu, err := s.dir.ProvisionUpdate(ctx, *u, in)
			if err != nil {
				return err
			}
			u = &nu
		}
		uid := ""
		if u != nil {
			uid = u.ID
		}
		if refusal != nil {
			return s.recordFailure(ctx, a.prov, in.Login, uid, a.ip, refusal, "")
		}
		httpx.SetActor(ctx, "user", u.ID, u.Login)
		out.UserID, out.Login = u.ID, u.Login
		if session {
			if out.Token, err = s.sess.OpenSession(ctx, u.ID, u.Login, a.ip, a.ua); err != nil {
				return err
			}
		}
		return audit.Record(ctx, audit.Entry{Action: "login.success", ResourceType: "session", ResourceID: u.ID,
			ResourceName: u.Login, After: map[string]any{"provider": a.prov.Name, "provider_type": a.prov.Type,
				"ip": a.ip, "created": out.Created}})
	})
	if err != nil {
		return Outcome{}, err
	}
	if refusal != nil {
		return Outcome{}, refusal
	}
	return out, nil
}

// recordFailure writes the audit event of a refused sign-in, in the transaction ctx
// carries: provider, login, IP, the reason code and what went wrong (detail), never a
// credential.
func (s *Service) recordFailure(ctx context.Context, p provider.Provider, login, userID, ip string,
	why error, detail string) error {
	reason := "failed"
	if e, ok := apperr.As(why); ok {
		reason = e.Code
	}
	after := map[string]any{"provider": p.Name, "provider_type": p.Type, "ip": ip}
	if detail != "" {
		after["detail"] = validate.CleanText(detail, 500)
	}
	return audit.Record(ctx, audit.Entry{Action: "login.failure", ResourceType: "session", ResourceID: userID,
		ResourceName: validate.CleanText(login, 200), Reason: reason, After: after})
}

// refuse audits a refusal in its own transaction and returns why.
func (s *Service) refuse(ctx context.Context, p provider.Provider, login, userID, ip string, why error) error {
	return s.audited(ctx, p, login, userID, ip, why, "")
}

// refuseDetail audits a refusal of an unnamed user with what went wrong.
func (s *Service) refuseDetail(ctx context.Context, p provider.Provider, ip string, why error, detail string) error {
	return s.audited(ctx, p, "", "", ip, why, detail)
}

func (s *Service) audited(ctx context.Context, p provider.Provider, login, userID, ip string, why error, detail string) error {
	err := s.st.tx(ctx, func(ctx context.Context) error {
		return s.recordFailure(ctx, p, login, userID, ip, why, detail)
	})
	if err != nil {
		return err
	}
	return why
}
