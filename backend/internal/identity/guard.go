package identity

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
)

// The refusals of the escalation guard. Each is a 403 with its own code, and each is
// written to the audit log as an access.denied event (after the refused transaction
// rolled back, so nothing else of the request is kept).
var (
	errGrantNotHeld = apperr.New(apperr.KindDenied, "authz.grantNotHeld",
		"You cannot give a permission you do not hold yourself.")
	errTechAdminOnly = apperr.New(apperr.KindDenied, "authz.techAdminOnly",
		"Only members of tech_admins change the tech_admins group and the tech_admin account.")
	errTargetOutranks = apperr.New(apperr.KindDenied, "authz.targetOutranksCaller",
		"This account holds permissions you do not hold, so you cannot change it.")
	errGroupOutranks = apperr.New(apperr.KindDenied, "authz.groupOutranksCaller",
		"This group holds permissions you do not hold, so you cannot change it.")
)

// Refusal is a guard refusal with the audit entry that records it.
type Refusal struct {
	Err   *apperr.Error
	Entry audit.Entry
}

func (r *Refusal) Error() string { return r.Err.Error() }
func (r *Refusal) Unwrap() error { return r.Err }

// refuse builds a refusal of action on a resource, naming the permissions that were
// missing (if any) in the error's fields and in the audit diff.
func refuse(base *apperr.Error, action, resType, resID, resName, field string, missing []string) *Refusal {
	e := *base
	for _, p := range missing {
		e.Fields = append(e.Fields, apperr.Field(field, "notHeld", "you do not hold "+p+" yourself"))
	}
	after := map[string]any{"attempted": action}
	if len(missing) > 0 {
		after["missing"] = missing
	}
	return &Refusal{Err: &e, Entry: audit.Entry{Action: audit.ActionDenied, ResourceType: resType, ResourceID: resID,
		ResourceName: resName, Reason: e.Code, After: after}}
}

// caller is what the guard knows of the principal acting: the permissions it holds
// right now (a token's scopes narrow them) and whether it acts as a tech_admins member.
// A nil caller is the system itself (bootstrap, provisioning at sign-in): it holds all.
type caller struct {
	held map[string]bool
	tech bool
	// ctx and d read the permissions of groups, in the transaction ctx carries if any.
	ctx context.Context
	d   *db.DB
}

func (s *Service) callerOf(ctx context.Context) *caller {
	p := authz.FromContext(ctx)
	if p == nil {
		return nil
	}
	c := &caller{held: map[string]bool{}, ctx: ctx, d: s.db}
	for _, perm := range s.authz.Effective(p) {
		c.held[perm] = true
	}
	// An organisation token acts for nobody, so it is never a tech_admins member.
	c.tech = p.UserID != "" && slices.Contains(p.Groups, TechAdminGroup)
	return c
}

func (c *caller) missing(perms []string) []string {
	var out []string
	for _, p := range perms {
		if !c.held[p] {
			out = append(out, p)
		}
	}
	return out
}

// checkGrant refuses a group change that gives the group permissions the caller lacks.
func (c *caller) checkGrant(action, groupID, code, field string, perms []string) error {
	if c == nil {
		return nil
	}
	if code == TechAdminGroup && !c.tech {
		return refuse(errTechAdminOnly, action, "group", groupID, code, field, nil)
	}
	if m := c.missing(perms); len(m) > 0 {
		return refuse(errGrantNotHeld, action, "group", groupID, code, field, m)
	}
	return nil
}

// checkGroupChange refuses changing or deleting a group that holds more than the caller.
func (s *Service) checkGroupChange(c *caller, action string, g Group) error {
	if c == nil {
		return nil
	}
	if g.Code == TechAdminGroup && !c.tech {
		return refuse(errTechAdminOnly, action, "group", g.ID, g.Code, "", nil)
	}
	if m := c.missing(g.Permissions); len(m) > 0 {
		return refuse(errGroupOutranks, action, "group", g.ID, g.Code, "", m)
	}
	return nil
}

// checkMemberships refuses making the user a member of groups whose permissions the
// caller lacks (only the groups added count: keeping a membership grants nothing new).
func (s *Service) checkMemberships(ctx context.Context, c *caller, action, userID, login string, before, after []string) error {
	if c == nil {
		return nil
	}
	var added []string
	for _, g := range after {
		if !slices.Contains(before, g) && !slices.Contains(added, g) {
			added = append(added, g)
		}
	}
	if len(added) == 0 {
		return nil
	}
	codes, err := s.groups.codesOf(ctx, added)
	if err != nil {
		return err
	}
	return c.checkGroups(codes, action, "user", userID, login, "group_ids")
}

// checkGroups refuses handing out the groups codes (to a user, or to whoever a provider
// signs in later) when one is tech_admins and the caller no member, or one holds a
// permission the caller lacks. The refusal names the resource acted on.
func (c *caller) checkGroups(codes []string, action, resType, resID, resName, field string) error {
	if slices.Contains(codes, TechAdminGroup) && !c.tech {
		return refuse(errTechAdminOnly, action, resType, resID, resName, field, nil)
	}
	all, err := permissionsOf(c.ctx, c.d, codes)
	if err != nil {
		return err
	}
	if m := c.missing(all); len(m) > 0 {
		return refuse(errGrantNotHeld, action, resType, resID, resName, field, m)
	}
	return nil
}

// checkTarget refuses changing, resetting, deactivating or deleting an account that
// holds a permission the caller lacks, and anyone but tech_admins members touching
// tech_admin or a tech_admins member.
func (s *Service) checkTarget(ctx context.Context, c *caller, action, userID, login string) error {
	if c == nil {
		return nil
	}
	codes, err := s.groups.codesOfUser(ctx, userID)
	if err != nil {
		return err
	}
	if (login == TechAdminLogin || slices.Contains(codes, TechAdminGroup)) && !c.tech {
		return refuse(errTechAdminOnly, action, "user", userID, login, "", nil)
	}
	all, err := permissionsOf(c.ctx, c.d, codes)
	if err != nil {
		return err
	}
	if m := c.missing(all); len(m) > 0 {
		return refuse(errTargetOutranks, action, "user", userID, login, "", m)
	}
	return nil
}

// CheckManage refuses (403, audited) when the caller in ctx may not act on the account
// userID: it is tech_admin or a tech_admins member and the caller is not, or it holds
// a permission the caller lacks. Other features (ending sessions, revoking a user's
// tokens) ask it before acting on someone's account. An unknown id is a 404.
func (s *Service) CheckManage(ctx context.Context, userID, action string) error {
	u, err := s.users.get(ctx, userID)
	if err != nil {
		return err
	}
	err = s.checkTarget(ctx, s.callerOf(ctx), action, userID, u.Login)
	return s.audited(ctx, err)
}

// audited records a guard refusal in the audit log (in its own transaction: the
// refused one rolled back) and returns the refusal's error; other errors pass through.
func (s *Service) audited(ctx context.Context, err error) error {
	var r *Refusal
	if !errors.As(err, &r) {
		return err
	}
	if aerr := audit.RecordAlone(ctx, s.db, r.Entry); aerr != nil {
		return aerr
	}
	return r.Err
}

// permissionsOf returns the sorted union of the groups' permissions, read in tx (a
// change being made in it counts).
func permissionsOf(ctx context.Context, d *db.DB, codes []string) ([]string, error) {
	perms, err := authz.GroupPermissions(ctx, d, codes)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, ps := range perms {
		all = append(all, ps...)
	}
	slices.Sort(all)
	return slices.Compact(all), nil
}

// CheckGroupGrant refuses (403, audited) when the caller in ctx may not hand out the
// groups named by ids or codes through something that grants them later, such as a
// provider's base groups: it lacks one of their permissions, or a group is tech_admins
// and the caller is no member. Unknown groups are left to the caller's own checks.
func (s *Service) CheckGroupGrant(ctx context.Context, field string, ids, codes []string) error {
	c := s.callerOf(ctx)
	if c == nil || len(ids)+len(codes) == 0 {
		return nil
	}
	known, err := s.groups.codesNamed(ctx, validIDs(ids), append([]string{}, codes...))
	if err != nil {
		return err
	}
	return s.audited(ctx, c.checkGroups(known, "grant", "group", "", "", field))
}

// validIDs keeps the well-formed UUIDs (a malformed one cannot name a group, and
// PostgreSQL would refuse to compare it).
func validIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if _, err := uuid.Parse(id); err == nil {
			out = append(out, id)
		}
	}
	return out
}
