package identity

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// GroupInput creates a group.
type GroupInput struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Permissions []string `json:"permissions" validate:"optional"`
	// SecondFactorRequired: members must have a second factor (default false).
	SecondFactorRequired bool `json:"second_factor_required" validate:"optional"`
	// SecondFactorGraceDays: days a member without a factor may still sign in, counted
	// from their first sign-in while it is required (0–365, default 7).
	SecondFactorGraceDays *int `json:"second_factor_grace_days" validate:"optional"`
} //	@name	GroupInput

// GroupPatch changes a group.
type GroupPatch struct {
	Version               int       `json:"version"`
	Code                  *string   `json:"code" validate:"optional"`
	Name                  *string   `json:"name" validate:"optional"`
	Permissions           *[]string `json:"permissions" validate:"optional"`
	SecondFactorRequired  *bool     `json:"second_factor_required" validate:"optional"`
	SecondFactorGraceDays *int      `json:"second_factor_grace_days" validate:"optional"`
} //	@name	GroupPatch

// GroupSpec is the list whitelist of groups.
var GroupSpec = list.Spec{
	Sorts: map[string]list.SortField{"code": {Column: "code"}, "name": {Column: "name"},
		"system": {Column: "system", Type: list.Bool}, "created_at": {Column: "created_at", Type: list.Time}},
	Filters:      map[string]list.FilterField{"system": {Column: "system", Type: list.Bool}},
	SearchColumn: "search_text", DefaultSort: "code", DefaultOrder: "asc",
}

var errSystemGroup = apperr.New(apperr.KindUnprocessable, "group.systemCannotBeDeleted", "System groups cannot be deleted.")

func checkPerms(c *validate.Checks, perms []string) []string {
	out := []string{}
	for _, p := range perms {
		if !authz.Valid(p) {
			c.Add("permissions", "unknown", "unknown permission "+p)
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// ListGroups lists groups.
func (s *Service) ListGroups(ctx context.Context, p list.Params) (list.Page[Group], error) {
	page, err := s.groups.list(ctx, p)
	if err != nil {
		return list.Page[Group]{}, err
	}
	codes := make([]string, len(page.Items))
	for i, r := range page.Items {
		codes[i] = r.Code
	}
	perms, err := authz.GroupPermissions(ctx, s.db, codes)
	if err != nil {
		return list.Page[Group]{}, err
	}
	return list.Map(page, func(r groupRow) Group { return groupAPI(&r, perms[r.Code]) }), nil
}

func groupAPI(r *groupRow, perms []string) Group {
	if perms == nil {
		perms = []string{}
	}
	sort.Strings(perms)
	return Group{ID: r.ID, Code: r.Code, Name: r.Name, System: r.System, Permissions: perms,
		SecondFactorRequired: r.SecondFactorRequired, SecondFactorGraceDays: r.SecondFactorGraceDays, MemberCount: r.MemberCount,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// GetGroup returns one group.
func (s *Service) GetGroup(ctx context.Context, id string) (Group, error) {
	return s.loadGroup(ctx, id)
}

// loadGroup reads a group with its permissions (in the transaction ctx carries, if any).
func (s *Service) loadGroup(ctx context.Context, id string) (Group, error) {
	r, err := s.groups.get(ctx, id)
	if err != nil {
		return Group{}, err
	}
	perms, err := authz.GroupPermissions(ctx, s.db, []string{r.Code})
	if err != nil {
		return Group{}, err
	}
	return groupAPI(&r, perms[r.Code]), nil
}

// CreateGroup creates a custom group with its permissions.
func (s *Service) CreateGroup(ctx context.Context, in GroupInput) (Group, error) {
	var c validate.Checks
	c.Code("code", in.Code, 100)
	c.Text("name", in.Name, true, 200)
	perms := checkPerms(&c, in.Permissions)
	grace := DefaultGraceDays
	if in.SecondFactorGraceDays != nil {
		grace = *in.SecondFactorGraceDays
	}
	checkGrace(&c, grace)
	if err := c.Err(); err != nil {
		return Group{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	row := groupRow{ID: uuid.Must(uuid.NewV7()).String(), Code: in.Code, Name: in.Name,
		SecondFactorRequired: in.SecondFactorRequired, SecondFactorGraceDays: grace,
		SearchText: list.SearchText(in.Code, in.Name), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.callerOf(ctx).checkGrant("create", "", in.Code, "permissions", perms); err != nil {
		return Group{}, s.audited(ctx, err)
	}
	var out Group
	err := s.tx(ctx, func(ctx context.Context) error {
		if err := s.groups.create(ctx, &row); err != nil {
			return err
		}
		if err := s.authz.ReplaceGroupPolicies(ctx, row.Code, perms); err != nil {
			return err
		}
		var err error
		if out, err = s.loadGroup(ctx, row.ID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "group", ResourceID: row.ID,
			ResourceName: row.Code, After: out})
	})
	if err == nil {
		err = s.authz.Reload(ctx)
	}
	return out, err
}

// UpdateGroup changes a group. System groups keep their code and permissions.
func (s *Service) UpdateGroup(ctx context.Context, id string, in GroupPatch) (Group, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Code != nil {
		c.Code("code", *in.Code, 100)
	}
	if in.Name != nil {
		c.Text("name", *in.Name, true, 200)
	}
	var perms []string
	if in.Permissions != nil {
		perms = checkPerms(&c, *in.Permissions)
	}
	if in.SecondFactorGraceDays != nil {
		checkGrace(&c, *in.SecondFactorGraceDays)
	}
	if err := c.Err(); err != nil {
		return Group{}, err
	}
	var out Group
	err := s.tx(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.updateGroupTx(ctx, id, in, perms)
		return err
	})
	if err == nil {
		err = s.authz.Reload(ctx)
	}
	return out, err
}

// updateGroupTx is the body of UpdateGroup inside its transaction; perms are the
// checked permissions of in (when it sets them).
func (s *Service) updateGroupTx(ctx context.Context, id string, in GroupPatch, perms []string) (Group, error) {
	before, err := s.loadGroup(ctx, id)
	if err != nil {
		return Group{}, err
	}
	if before.Version != in.Version {
		return Group{}, apperr.Conflict(before)
	}
	who := s.callerOf(ctx)
	if err := s.checkGroupChange(who, "update", before); err != nil {
		return Group{}, err
	}
	if in.Permissions != nil {
		if err := who.checkGrant("update", id, before.Code, "permissions", perms); err != nil {
			return Group{}, err
		}
	}
	code, name := before.Code, before.Name
	if in.Code != nil {
		code = *in.Code
	}
	if in.Name != nil {
		name = *in.Name
	}
	if before.System && (code != before.Code || (in.Permissions != nil && !slices.Equal(perms, before.Permissions))) {
		return Group{}, apperr.New(apperr.KindUnprocessable, "group.systemReadOnly",
			"The code and permissions of a system group cannot be changed; only its name and second-factor policy can.")
	}
	if err := s.groups.update(ctx, id, in.Version, code, name, factorPolicy(in, before), before); err != nil {
		return Group{}, err
	}
	if code != before.Code || in.Permissions != nil {
		if in.Permissions == nil {
			perms = before.Permissions
		}
		if err := s.authz.ReplaceGroupPolicies(ctx, before.Code, nil); err != nil {
			return Group{}, err
		}
		if err := s.authz.ReplaceGroupPolicies(ctx, code, perms); err != nil {
			return Group{}, err
		}
	}
	out, err := s.loadGroup(ctx, id)
	if err != nil {
		return Group{}, err
	}
	return out, audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "group", ResourceID: id,
		ResourceName: out.Code, Before: before, After: out})
}

// DeleteGroup deletes a custom group.
func (s *Service) DeleteGroup(ctx context.Context, id string) error {
	err := s.tx(ctx, func(ctx context.Context) error { return s.deleteGroup(ctx, id) })
	if err == nil {
		err = s.authz.Reload(ctx)
	}
	return err
}

func (s *Service) deleteGroup(ctx context.Context, id string) error {
	before, err := s.loadGroup(ctx, id)
	if err != nil {
		return err
	}
	if before.System {
		return errSystemGroup
	}
	if err := s.checkGroupChange(s.callerOf(ctx), "delete", before); err != nil {
		return err
	}
	if err := s.groups.delete(ctx, id); err != nil {
		return err
	}
	if err := s.authz.ReplaceGroupPolicies(ctx, before.Code, nil); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "group", ResourceID: id,
		ResourceName: before.Code, Before: before})
}

// BulkDeleteGroups deletes each id, reporting refusals per id.
func (s *Service) BulkDeleteGroups(ctx context.Context, ids []string) (bulk.Response, error) {
	out, err := bulk.Run(ctx, ids, s.tx, s.deleteGroup)
	if err == nil {
		err = s.authz.Reload(ctx)
	}
	return out, err
}
