package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Input creates a provider.
type Input struct {
	Name   string `json:"name"`
	Type   string `json:"type" enums:"oidc,oidc_token,oidc_cookie,ldap,ldap_kerberos,rest,local"`
	Active bool   `json:"active" validate:"optional"`
	// ButtonLabel is the sign-in button caption; oidc only.
	ButtonLabel  string   `json:"button_label" validate:"optional"`
	BaseGroupIDs []string `json:"base_group_ids" validate:"optional"`
	// AllowUserCreation lets sign-in create unknown users; refused under a cloud licence.
	AllowUserCreation bool `json:"allow_user_creation" validate:"optional"`
	// UserTypeID is given to created users; only with allow_user_creation.
	UserTypeID *string      `json:"user_type_id" validate:"optional"`
	Params     *ParamsInput `json:"params" validate:"optional"`
	Mappings   []Mapping    `json:"mappings" validate:"optional"`
} //	@name	ProviderInput

// Patch changes a provider; absent fields stay as they are.
type Patch struct {
	Version int     `json:"version"`
	Name    *string `json:"name" validate:"optional"`
	// Type cannot change; it is accepted only when equal to the current type.
	Type              *string   `json:"type" enums:"local,oidc,oidc_token,oidc_cookie,ldap,ldap_kerberos,rest" validate:"optional"`
	Active            *bool     `json:"active" validate:"optional"`
	ButtonLabel       *string   `json:"button_label" validate:"optional"`
	BaseGroupIDs      *[]string `json:"base_group_ids" validate:"optional"`
	AllowUserCreation *bool     `json:"allow_user_creation" validate:"optional"`
	// UserTypeID: "" clears it. Turning allow_user_creation off clears it too.
	UserTypeID *string `json:"user_type_id" validate:"optional"`
	// Params are merged over the stored parameters.
	Params   *ParamsInput `json:"params" validate:"optional"`
	Mappings *[]Mapping   `json:"mappings" validate:"optional"`
} //	@name	ProviderPatch

// Create creates a provider.
func (s *Service) Create(ctx context.Context, in Input) (Provider, error) {
	if err := s.dir.CheckGroupGrant(ctx, "base_group_ids", in.BaseGroupIDs, nil); err != nil {
		return Provider{}, err
	}
	var out Provider
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.createTx(ctx, in)
		return err
	})
	return out, err
}

// createTx creates a provider in the transaction ctx carries.
func (s *Service) createTx(ctx context.Context, in Input) (Provider, error) {
	if in.Type == TypeLocal {
		return Provider{}, errLocalExists
	}
	groups := in.BaseGroupIDs
	if groups == nil {
		groups = []string{}
	}
	mappings := in.Mappings
	if mappings == nil {
		mappings = []Mapping{}
	}
	p := Patch{Name: &in.Name, Active: &in.Active, ButtonLabel: &in.ButtonLabel, BaseGroupIDs: &groups,
		AllowUserCreation: &in.AllowUserCreation, UserTypeID: in.UserTypeID, Params: in.Params, Mappings: &mappings}
	base := row{Type: in.Type, Params: "{}", Mappings: "[]"}
	next, sec, err := s.prepare(ctx, &base, p, true)
	if err != nil {
		return Provider{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	next.ID, next.Version, next.CreatedAt, next.UpdatedAt = uuid.Must(uuid.NewV7()).String(), 1, now, now
	if err := s.st.lock(ctx); err != nil {
		return Provider{}, err
	}
	if err := s.checkUnique(ctx, next); err != nil {
		return Provider{}, err
	}
	if err := s.seal(next, sec); err != nil {
		return Provider{}, err
	}
	if err := s.st.insert(ctx, next); err != nil {
		return Provider{}, s.duplicate(err, next)
	}
	if err := s.st.setGroups(ctx, next.ID, *p.BaseGroupIDs); err != nil {
		return Provider{}, s.duplicate(err, next)
	}
	r, g, err := s.st.load(ctx, next.ID)
	if err != nil {
		return Provider{}, err
	}
	out := r.toAPI(g)
	return out, audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "provider", ResourceID: out.ID,
		ResourceName: out.Name, After: snapshot(out, sec)})
}

// Update applies a patch guarded by the version the client saw.
func (s *Service) Update(ctx context.Context, id string, p Patch) (Provider, error) {
	if p.Version < 1 {
		return Provider{}, apperr.Invalid(apperr.Field("version", "required", "is required (the version you edited)"))
	}
	if p.BaseGroupIDs != nil {
		if err := s.dir.CheckGroupGrant(ctx, "base_group_ids", *p.BaseGroupIDs, nil); err != nil {
			return Provider{}, err
		}
	}
	var out Provider
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.updateTx(ctx, id, p)
		return err
	})
	return out, err
}

// updateTx applies a patch in the transaction ctx carries.
func (s *Service) updateTx(ctx context.Context, id string, p Patch) (Provider, error) {
	before, groups, err := s.st.load(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	if before.Version != p.Version {
		return Provider{}, apperr.Conflict(before.toAPI(groups))
	}
	next, sec, err := s.prepare(ctx, &before, p, false)
	if err != nil {
		return Provider{}, err
	}
	next.Version, next.UpdatedAt = before.Version+1, time.Now().UTC().Truncate(time.Microsecond)
	if err := s.st.lock(ctx); err != nil { // a competitor that commits meanwhile fails the version guard below
		return Provider{}, err
	}
	if err := s.checkUnique(ctx, next); err != nil {
		return Provider{}, err
	}
	if err := s.seal(next, sec); err != nil {
		return Provider{}, err
	}
	ok, err := s.st.update(ctx, next, p.Version)
	if err != nil {
		return Provider{}, s.duplicate(err, next)
	}
	if !ok {
		return Provider{}, apperr.Conflict(before.toAPI(groups))
	}
	if p.BaseGroupIDs != nil {
		if err := s.st.setGroups(ctx, id, *p.BaseGroupIDs); err != nil {
			return Provider{}, err
		}
	}
	r, g, err := s.st.load(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	out := r.toAPI(g)
	action := "update"
	if before.Active != out.Active {
		action = map[bool]string{true: "activate", false: "deactivate"}[out.Active]
	}
	return out, audit.Record(ctx, audit.Entry{Action: action, ResourceType: "provider", ResourceID: id,
		ResourceName: out.Name, Before: snapshot(before.toAPI(groups), secrets{}), After: snapshot(out, sec)})
}

// checkUnique enforces the unique name and the single active provider of a type.
// The provider lock makes the check race-free; the indexes back it up.
func (s *Service) checkUnique(ctx context.Context, next *row) error {
	other, err := s.st.byNameKey(ctx, next.NameKey)
	if err != nil {
		return err
	}
	if other != nil && other.ID != next.ID {
		return apperr.Invalid(apperr.Field("name", "taken", "another provider has this name"))
	}
	if next.Active && SingleActive(next.Type) {
		act, err := s.st.activeOfType(ctx, next.Type, next.ID)
		if err != nil {
			return err
		}
		if act != nil {
			return errActiveTypeExists(next.Type, act.Name)
		}
	}
	return nil
}

// duplicate names the rule a unique index enforced when the checks were bypassed.
func (s *Service) duplicate(err error, next *row) error {
	if err != errDuplicate {
		return err
	}
	switch {
	case next.Type == TypeLocal:
		return errLocalExists
	case next.Active && SingleActive(next.Type):
		return errActiveTypeExists(next.Type, "another provider")
	}
	return apperr.Invalid(apperr.Field("name", "taken", "another provider has this name"))
}

// seal encrypts the secrets a write sets ("" clears one).
func (s *Service) seal(r *row, sec secrets) error {
	for _, it := range []struct {
		plain *string
		dst   *string
	}{{sec.ClientSecret, &r.ClientSecretSealed}, {sec.BindPassword, &r.BindPasswordSealed}} {
		if it.plain == nil {
			continue
		}
		*it.dst = ""
		if *it.plain != "" {
			sealed, err := s.box.Seal(*it.plain)
			if err != nil {
				return err
			}
			*it.dst = sealed
		}
	}
	return nil
}

// prepare applies p over base and checks every rule that does not depend on other
// providers. It returns the next row and the secrets the write sets.
func (s *Service) prepare(ctx context.Context, base *row, p Patch, creating bool) (*row, secrets, error) {
	next := *base
	var c validate.Checks
	validType := slices.Contains(Types, next.Type)
	switch {
	case creating:
		c.OneOf("type", next.Type, Types...)
	case p.Type != nil && *p.Type != base.Type:
		c.Add("type", "typeImmutable", "the type cannot be changed after creation")
	}
	if p.Name != nil {
		next.Name = strings.TrimSpace(*p.Name)
		c.Text("name", next.Name, true, maxName)
		next.NameKey, next.SearchText = strings.ToLower(next.Name), list.SearchText(next.Name)
	}
	if p.Active != nil {
		next.Active = *p.Active
	}
	if p.ButtonLabel != nil {
		next.ButtonLabel = *p.ButtonLabel
		c.Text("button_label", next.ButtonLabel, false, maxButtonLabel)
	}
	if next.ButtonLabel != "" && next.Type != TypeOIDC && validType {
		c.Add("button_label", "buttonLabelOnlyOidc", "only OpenID (oidc) providers have a sign-in button")
	}
	s.applyCreation(&c, &next, p)
	if p.BaseGroupIDs != nil {
		*p.BaseGroupIDs = checkGroupIDs(&c, *p.BaseGroupIDs)
	}
	var sec secrets
	if validType {
		sec = applyParams(&c, base, &next, p.Params, creating)
	}
	var mappings []Mapping
	if p.Mappings != nil {
		mappings = checkMappings(&c, *p.Mappings)
		b, _ := json.Marshal(mappings)
		next.Mappings = string(b)
	}
	if err := invalid(fieldsOf(&c)); err != nil {
		return nil, sec, err
	}
	if err := s.checkRefs(ctx, &next, p, mappings); err != nil {
		return nil, sec, err
	}
	return &next, sec, s.checkLicence(ctx, base, p, creating)
}

// applyCreation sets allow_user_creation and the user type, which needs it.
func (s *Service) applyCreation(c *validate.Checks, next *row, p Patch) {
	if p.AllowUserCreation != nil {
		next.AllowUserCreation = *p.AllowUserCreation
	}
	explicit := false
	if p.UserTypeID != nil {
		c.UUID("user_type_id", *p.UserTypeID)
		next.UserTypeID, explicit = nil, *p.UserTypeID != ""
		if explicit {
			v := *p.UserTypeID
			next.UserTypeID = &v
		}
	}
	if !next.AllowUserCreation && next.UserTypeID != nil {
		if explicit {
			c.Add("user_type_id", "userTypeNeedsCreation", "a user type needs allow_user_creation")
		} else {
			next.UserTypeID = nil // creation was switched off: the type goes with it
		}
	}
}

func checkGroupIDs(c *validate.Checks, ids []string) []string {
	if len(ids) > maxGroups {
		c.Add("base_group_ids", "tooLong", "at most 200 groups")
		return ids
	}
	out := []string{}
	for _, id := range ids {
		c.UUID("base_group_ids", id)
		if id == "" {
			c.Add("base_group_ids", "invalidFormat", "must be a UUID")
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// applyParams merges the parameters, applies the bind-password rule and checks them.
func applyParams(c *validate.Checks, base, next *row, in *ParamsInput, creating bool) secrets {
	cur := base.params()
	merged, errs := merge(next.Type, cur, in)
	for _, e := range errs {
		c.Add(e.Field, e.Code, e.Message)
	}
	if len(errs) > 0 {
		return secrets{}
	}
	var sec secrets
	if in.has("client_secret") {
		v := str(in.ClientSecret)
		sec.ClientSecret = &v
	}
	if in.has("bind_password") {
		v := str(in.BindPassword)
		sec.BindPassword = &v
	} else if !creating && next.Type == TypeLDAP && (merged.Host != cur.Host || merged.BindDN != cur.BindDN) &&
		base.BindPasswordSealed != "" {
		empty := "" // a password meant for another server or account must not follow the change
		sec.BindPassword = &empty
	}
	checkParams(c, next.Type, merged, sec, secretFlags{ClientSecret: base.ClientSecretSealed != "",
		BindPassword: base.BindPasswordSealed != ""})
	b, _ := json.Marshal(merged)
	next.Params = string(b)
	return sec
}
