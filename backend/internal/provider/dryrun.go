package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// DryRunInput is a sample of what a provider would send. Give exactly one of claims,
// token or login.
type DryRunInput struct {
	// Claims as an ID token or REST answer would carry them (or an LDAP entry's
	// attributes for LDAP providers).
	Claims map[string]any `json:"claims" validate:"optional"`
	// Token is a sample ID token (JWT); its payload is read without verification.
	Token string `json:"token" validate:"optional"`
	// Login makes an LDAP provider fetch that user's entry from the directory.
	Login string `json:"login" validate:"optional"`
} //	@name	ProviderDryRunInput

// DryRunResult is the user the sample would make.
type DryRunResult struct {
	Login       string `json:"login"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	// Groups are the groups whose codes the provider sent as roles for this system,
	// plus the provider's base groups.
	Groups []identity.GroupRef `json:"groups"`
	// Roles are the role codes the provider sent for this system.
	Roles []string `json:"roles"`
	// UnmatchedRoles are roles no group has as its code (they give no group).
	UnmatchedRoles []string `json:"unmatched_roles"`
	// Attributes are the access-schema attributes after the mapping and its rules.
	Attributes map[string]any `json:"attributes"`
	// ExtraAttributes are the claims the schema does not know (soft mapping).
	ExtraAttributes map[string]any `json:"extra_attributes"`
	// Claims are the input as mapped (for login: the fetched LDAP entry).
	Claims map[string]any `json:"claims"`
	// Steps trace the directory look-up of a login.
	Steps []Step `json:"steps,omitempty"`
} //	@name	ProviderDryRunResult

const maxLogin = 256

// DryRun shows the user a provider would make from a sample, without saving anything.
func (s *Service) DryRun(ctx context.Context, id string, in DryRunInput) (DryRunResult, error) {
	r, groups, err := s.st.load(ctx, id)
	if err != nil {
		return DryRunResult{}, err
	}
	claims, err := checkDryRun(r.Type, in)
	if err != nil {
		return DryRunResult{}, err
	}
	var steps []Step
	if in.Login != "" {
		if claims, steps, err = s.fetchEntry(ctx, &r, in.Login); err != nil {
			return DryRunResult{}, err
		}
	}
	out, err := s.Resolve(ctx, r.toAPI(groups), claims)
	if err != nil {
		return DryRunResult{}, err
	}
	out.Steps = steps
	return out, nil
}

func checkDryRun(typ string, in DryRunInput) (Claims, error) {
	n := 0
	for _, given := range []bool{in.Claims != nil, in.Token != "", in.Login != ""} {
		if given {
			n++
		}
	}
	var c validate.Checks
	switch {
	case n == 0:
		c.Add("claims", "required", "give claims, a token or (LDAP) a login")
	case n > 1:
		c.Add("claims", "exclusive", "give only one of claims, token and login")
	case in.Login != "":
		c.Text("login", in.Login, true, maxLogin)
		if typ != TypeLDAP && !c.Has("login") {
			c.Add("login", "notForType", "only LDAP providers look a login up; give claims instead")
		}
	case in.Token != "":
		claims, ok := jwtClaims(in.Token)
		if !ok {
			c.Add("token", "invalidFormat", "is not a JWT (header.payload.signature with a JSON payload)")
		}
		return validate.CleanClaims(claims), c.Err()
	}
	// A sample is what a peer would send: cleaned as sign-in cleans the peer's answer.
	return validate.CleanClaims(in.Claims), c.Err()
}

// jwtClaims reads a JWT's payload without verifying it.
func jwtClaims(tok string) (Claims, bool) {
	parts := strings.Split(strings.TrimSpace(tok), ".")
	if len(parts) != 3 {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, false
	}
	var c Claims
	if json.Unmarshal(b, &c) != nil || c == nil {
		return nil, false
	}
	return c, true
}

// fetchEntry looks a user up in the provider's directory.
func (s *Service) fetchEntry(ctx context.Context, r *row, login string) (Claims, []Step, error) {
	pw, err := s.open(r.BindPasswordSealed)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.TestTimeout)
	defer cancel()
	t := &tracer{timeout: s.opt.StepTimeout}
	p := r.params()
	conn := dialLDAP(ctx, t, p, pw)
	if conn == nil {
		return nil, t.steps, apperr.New(apperr.KindUnprocessable, "provider.connectionFailed",
			"The directory could not be reached: "+t.failure())
	}
	defer conn.Close()
	var claims Claims
	t.run(ctx, "search", func(context.Context) (string, error) {
		e, err := findEntry(conn, p, login)
		if err != nil || e == nil {
			return "", err
		}
		claims = entryClaims(e)
		return "found " + e.DN, nil
	})
	if t.failed {
		return nil, t.steps, apperr.New(apperr.KindUnprocessable, "provider.connectionFailed",
			"The directory search failed: "+t.failure())
	}
	if claims == nil {
		return nil, t.steps, apperr.New(apperr.KindUnprocessable, "provider.entryNotFound",
			"No entry under "+p.BaseDN+" matches "+userFilter(p, login)+".")
	}
	return claims, t.steps, nil
}

// Resolve maps claims into the user that signing in through p would make or
// refresh, with groups resolved against the directory (SPEC §5.3).
func (s *Service) Resolve(ctx context.Context, p Provider, claims Claims) (DryRunResult, error) {
	spec := MapSpec{Type: p.Type, Mappings: p.Mappings}
	if p.Params.ClientID != nil {
		spec.ClientID = *p.Params.ClientID
	}
	if p.Params.UsernameAttribute != nil {
		spec.UsernameAttribute = *p.Params.UsernameAttribute
	}
	codes := []string{}
	for _, m := range p.Mappings {
		codes = append(codes, m.Attribute)
	}
	for k := range claims {
		codes = append(codes, k)
	}
	attrs, err := s.dir.AttributesByCodes(ctx, codes)
	if err != nil {
		return DryRunResult{}, err
	}
	spec.Schema = map[string]string{}
	for _, a := range attrs {
		spec.Schema[a.Code] = a.Type
	}
	m := MapClaims(spec, claims)
	if spec.ClientID == "" && (p.Type == TypeREST || p.Type == TypeLDAPKerberos) {
		m.Roles = flat(claims["roles"])
		delete(m.ExtraAttributes, "roles") // consumed as the roles, like resource_access
	}
	if p.Type == TypeLDAP || p.Type == TypeLocal {
		m.Roles = nil // these providers give base groups only (SPEC §5.3)
	}
	out := DryRunResult{Login: m.Login, Email: m.Email, DisplayName: m.DisplayName, Roles: nonNil(m.Roles),
		UnmatchedRoles: []string{}, Attributes: m.Attributes, ExtraAttributes: m.ExtraAttributes, Claims: claims}
	byRole, err := s.dir.GroupRefsByCodes(ctx, m.Roles)
	if err != nil {
		return DryRunResult{}, err
	}
	// A peer's role never makes anyone a tech_admins member: that membership is given
	// by hand, by a member (the role is reported as unmatched).
	byRole = slices.DeleteFunc(byRole, func(g identity.GroupRef) bool { return g.Code == identity.TechAdminGroup })
	base, err := s.dir.GroupRefsByIDs(ctx, p.BaseGroupIDs)
	if err != nil {
		return DryRunResult{}, err
	}
	for _, r := range m.Roles {
		if !slices.ContainsFunc(byRole, func(g identity.GroupRef) bool { return g.Code == r }) {
			out.UnmatchedRoles = append(out.UnmatchedRoles, r)
		}
	}
	out.Groups = byRole
	for _, g := range base {
		if !slices.ContainsFunc(out.Groups, func(x identity.GroupRef) bool { return x.ID == g.ID }) {
			out.Groups = append(out.Groups, g)
		}
	}
	slices.SortFunc(out.Groups, func(a, b identity.GroupRef) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
