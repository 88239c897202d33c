package provider

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// Exported is a provider as exported: no ids, no secrets; groups and the user type
// by code so the file can be imported into another installation.
type Exported struct {
	Name              string    `json:"name"`
	Type              string    `json:"type" enums:"local,oidc,oidc_token,oidc_cookie,ldap,ldap_kerberos,rest"`
	Active            bool      `json:"active"`
	ButtonLabel       string    `json:"button_label"`
	BaseGroups        []string  `json:"base_groups"`
	AllowUserCreation bool      `json:"allow_user_creation"`
	UserType          *string   `json:"user_type" extensions:"x-nullable"`
	Params            Params    `json:"params"`
	Mappings          []Mapping `json:"mappings"`
} //	@name	ProviderExport

// ImportItem is one provider of an import file: the export's shape. Params may add
// the secrets, which an export never holds (a new OpenID provider needs its
// client_secret).
type ImportItem struct {
	Name              string       `json:"name"`
	Type              string       `json:"type" enums:"local,oidc,oidc_token,oidc_cookie,ldap,ldap_kerberos,rest"`
	Active            bool         `json:"active" validate:"optional"`
	ButtonLabel       string       `json:"button_label" validate:"optional"`
	BaseGroups        []string     `json:"base_groups" validate:"optional"`
	AllowUserCreation bool         `json:"allow_user_creation" validate:"optional"`
	UserType          *string      `json:"user_type" validate:"optional"`
	Params            *ParamsInput `json:"params" validate:"optional"`
	Mappings          []Mapping    `json:"mappings" validate:"optional"`
} //	@name	ProviderImportItem

// ImportResult is what an import did (or, in a dry run, would do) with one item.
type ImportResult struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	// Action: create, update, unchanged, or conflict (nothing written; see code).
	Action  string              `json:"action" enums:"create,update,unchanged,conflict"`
	ID      string              `json:"id,omitempty"`
	Changes []string            `json:"changes,omitempty"`
	Code    string              `json:"code,omitempty"`
	Message string              `json:"message,omitempty"`
	Errors  []apperr.FieldError `json:"errors,omitempty"`
} //	@name	ProviderImportResult

// ImportResponse lists the outcome per item.
type ImportResponse struct {
	DryRun  bool           `json:"dry_run"`
	Results []ImportResult `json:"results"`
} //	@name	ProviderImportResponse

// MaxImport is the most providers one import may hold.
const MaxImport = 500

// Export returns the providers with ids (all when none are given), secrets removed.
func (s *Service) Export(ctx context.Context, ids []string) ([]Exported, error) {
	for _, id := range ids {
		if !validUUID(id) {
			return nil, apperr.Invalid(apperr.Field("ids", "invalidFormat", "must be UUIDs: "+id))
		}
	}
	rows, err := s.st.all(ctx, ids)
	if err != nil {
		return nil, err
	}
	pids := make([]string, len(rows))
	for i, r := range rows {
		pids[i] = r.ID
	}
	links, err := s.st.groupsOf(ctx, pids)
	if err != nil {
		return nil, err
	}
	out := make([]Exported, 0, len(rows))
	for _, r := range rows {
		e, err := s.exported(ctx, r.toAPI(links[r.ID]))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (s *Service) exported(ctx context.Context, p Provider) (Exported, error) {
	refs, err := s.dir.GroupRefsByIDs(ctx, p.BaseGroupIDs)
	if err != nil {
		return Exported{}, err
	}
	codes := make([]string, 0, len(refs))
	for _, g := range refs {
		codes = append(codes, g.Code)
	}
	sort.Strings(codes)
	var ut *string
	if p.UserTypeID != nil {
		t, err := s.dir.GetUserType(ctx, *p.UserTypeID)
		if err != nil {
			return Exported{}, err
		}
		ut = &t.Code
	}
	params := p.Params
	params.ClientSecretSet, params.BindPasswordSet = nil, nil
	return Exported{Name: p.Name, Type: p.Type, Active: p.Active, ButtonLabel: p.ButtonLabel, BaseGroups: codes,
		AllowUserCreation: p.AllowUserCreation, UserType: ut, Params: params, Mappings: p.Mappings}, nil
}

var errRollback = errors.New("provider: dry run")

// Import creates or updates providers from an export, matching by name and type
// (the local provider matches the local one whatever its name). Each item is
// applied in its own savepoint, so a conflict leaves the others alone; a dry run
// rolls everything back and reports what would happen.
func (s *Service) Import(ctx context.Context, items []ImportItem, dryRun bool) (ImportResponse, error) {
	switch {
	case len(items) == 0:
		return ImportResponse{}, apperr.Invalid(apperr.Field("body", "required", "the file holds no providers"))
	case len(items) > MaxImport:
		return ImportResponse{}, apperr.Invalid(apperr.Field("body", "tooLong", "at most 500 providers at once"))
	}
	if err := checkImportText(items); err != nil {
		return ImportResponse{}, err
	}
	var codes []string
	for _, it := range items {
		codes = append(codes, it.BaseGroups...)
	}
	if err := s.dir.CheckGroupGrant(ctx, "base_groups", nil, codes); err != nil {
		return ImportResponse{}, err
	}
	out := ImportResponse{DryRun: dryRun, Results: make([]ImportResult, 0, len(items))}
	err := s.tx(ctx, func(ctx context.Context) error {
		if err := s.st.lock(ctx); err != nil {
			return err
		}
		for i, it := range items {
			res := ImportResult{Index: i, Name: it.Name, Type: it.Type}
			err := s.tx(ctx, func(ctx context.Context) error { return s.importOne(ctx, it, &res) })
			if err != nil {
				e, ok := apperr.As(err)
				if !ok {
					return err
				}
				res.Action, res.Code, res.Message, res.Errors, res.ID, res.Changes = "conflict", e.Code, e.Message, e.Fields, "", nil
			}
			out.Results = append(out.Results, res)
		}
		if dryRun {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return out, err
}

// importOne applies one item in the savepoint ctx carries.
func (s *Service) importOne(ctx context.Context, it ImportItem, res *ImportResult) error {
	var c validate.Checks
	c.Text("name", it.Name, true, maxName)
	c.OneOf("type", it.Type, Types...)
	if err := c.Err(); err != nil {
		return err
	}
	groups, typeID, err := s.importRefs(ctx, it)
	if err != nil {
		return err
	}
	in := Input{Name: it.Name, Type: it.Type, Active: it.Active, ButtonLabel: it.ButtonLabel, BaseGroupIDs: groups,
		AllowUserCreation: it.AllowUserCreation, UserTypeID: typeID, Params: it.Params, Mappings: it.Mappings}
	existing, err := s.importMatch(ctx, it)
	if err != nil {
		return err
	}
	if existing == nil {
		p, err := s.createTx(ctx, in)
		res.Action, res.ID = "create", p.ID
		return err
	}
	before, g, err := s.st.load(ctx, existing.ID)
	if err != nil {
		return err
	}
	patch := Patch{Version: before.Version, Name: &in.Name, Active: &in.Active, ButtonLabel: &in.ButtonLabel,
		BaseGroupIDs: &groups, AllowUserCreation: &in.AllowUserCreation, UserTypeID: emptyIfNil(typeID),
		Params: in.Params, Mappings: &in.Mappings}
	if patch.Mappings == nil || *patch.Mappings == nil {
		patch.Mappings = &[]Mapping{}
	}
	next, sec, err := s.prepare(ctx, &before, patch, false)
	if err != nil {
		return err
	}
	res.ID = before.ID
	res.Changes = changes(before.toAPI(g), next, groups, sec)
	if len(res.Changes) == 0 {
		res.Action = "unchanged"
		return nil
	}
	res.Action = "update"
	_, err = s.updateTx(ctx, before.ID, patch)
	return err
}

// importRefs resolves the group codes and the user type code of an item.
func (s *Service) importRefs(ctx context.Context, it ImportItem) ([]string, *string, error) {
	ids := []string{}
	var errs []apperr.FieldError
	if len(it.BaseGroups) > 0 {
		refs, err := s.dir.GroupRefsByCodes(ctx, it.BaseGroups)
		if err != nil {
			return nil, nil, err
		}
		for _, code := range it.BaseGroups {
			i := indexOf(refs, code)
			if i < 0 {
				errs = append(errs, apperr.Field("base_groups", "notFound", "no group with code "+code))
				continue
			}
			ids = append(ids, refs[i].ID)
		}
	}
	var typeID *string
	if it.UserType != nil && *it.UserType != "" {
		t, err := s.dir.UserTypeByCode(ctx, *it.UserType)
		switch {
		case apperr.Is(err, "resource.notFound"):
			errs = append(errs, apperr.Field("user_type", "notFound", "no user type with code "+*it.UserType))
		case err != nil:
			return nil, nil, err
		default:
			typeID = &t.ID
		}
	}
	return ids, typeID, invalid(errs)
}

func indexOf(refs []identity.GroupRef, code string) int {
	for i, g := range refs {
		if g.Code == code {
			return i
		}
	}
	return -1
}

// importMatch finds the provider an item updates: the local provider for a local
// item, else the one with the same name — which must have the same type.
func (s *Service) importMatch(ctx context.Context, it ImportItem) (*row, error) {
	if it.Type == TypeLocal {
		return s.st.local(ctx)
	}
	r, err := s.st.byNameKey(ctx, strings.ToLower(strings.TrimSpace(it.Name)))
	if err != nil || r == nil {
		return nil, err
	}
	if r.Type != it.Type {
		return nil, &apperr.Error{Kind: apperr.KindConflict, Code: "provider.importTypeMismatch",
			Message: "A provider named " + r.Name + " exists with type " + r.Type + "; the type cannot change.",
			Fields:  []apperr.FieldError{apperr.Field("type", "typeImmutable", "differs from the existing provider's")}}
	}
	return r, nil
}

func emptyIfNil(s *string) *string {
	if s == nil {
		e := ""
		return &e
	}
	return s
}

// changes names the fields an import would change.
func changes(before Provider, next *row, groups []string, sec secrets) []string {
	after := next.toAPI(groups)
	var out []string
	add := func(name string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			out = append(out, name)
		}
	}
	add("name", before.Name, after.Name)
	add("active", before.Active, after.Active)
	add("button_label", before.ButtonLabel, after.ButtonLabel)
	bg, ag := append([]string{}, before.BaseGroupIDs...), append([]string{}, after.BaseGroupIDs...)
	sort.Strings(bg)
	sort.Strings(ag)
	add("base_group_ids", bg, ag)
	add("allow_user_creation", before.AllowUserCreation, after.AllowUserCreation)
	add("user_type_id", before.UserTypeID, after.UserTypeID)
	add("params", before.Params, after.Params)
	add("mappings", before.Mappings, after.Mappings)
	if sec.ClientSecret != nil {
		out = append(out, "params.client_secret")
	}
	if sec.BindPassword != nil {
		out = append(out, "params.bind_password")
	}
	return out
}
