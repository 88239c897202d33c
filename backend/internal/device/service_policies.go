package device

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// ListPolicies lists the usage policies with the list conventions (by priority unless asked).
func (s *Service) ListPolicies(ctx context.Context, p list.Params) (list.Page[Policy], error) {
	page, err := listRows[policyRow](s.store, ctx, p, PolicySpec)
	if err != nil {
		return list.Page[Policy]{}, err
	}
	ids := make([]string, 0, len(page.Items))
	for _, r := range page.Items {
		ids = append(ids, r.ID)
	}
	ls, err := s.store.linksOf(ctx, ids)
	return list.Map(page, func(r policyRow) Policy { return r.toAPI(ls[r.ID]) }), err
}

// GetPolicy returns one usage policy.
func (s *Service) GetPolicy(ctx context.Context, id string) (Policy, error) {
	r, err := getRow[policyRow](s.store, ctx, id, "usage policy", false)
	if err != nil {
		return Policy{}, err
	}
	return s.withLinks(ctx, r)
}

func (s *Service) withLinks(ctx context.Context, r policyRow) (Policy, error) {
	ls, err := s.store.linksOf(ctx, []string{r.ID})
	return r.toAPI(ls[r.ID]), err
}

// checkRefs refuses group and template ids that name nothing, naming each by its index.
func (s *Service) checkRefs(ctx context.Context, c *validate.Checks, p Policy) error {
	if len(p.GroupIDs) > 0 && !c.Has("group_ids") {
		refs, err := s.dir.GroupRefsByIDs(ctx, p.GroupIDs)
		if err != nil {
			return err
		}
		missing(c, "group_ids", "group", p.GroupIDs, func(id string) bool {
			return slices.ContainsFunc(refs, func(g identity.GroupRef) bool { return g.ID == id })
		})
	}
	if len(p.TemplateIDs) > 0 && !c.Has("template_ids") {
		refs, err := s.store.templateRefs(ctx, p.TemplateIDs)
		if err != nil {
			return err
		}
		missing(c, "template_ids", "certificate template", p.TemplateIDs, func(id string) bool {
			return slices.ContainsFunc(refs, func(t Ref) bool { return t.ID == id })
		})
	}
	return nil
}

func missing(c *validate.Checks, field, what string, ids []string, exists func(string) bool) {
	for i, id := range ids {
		if !exists(id) {
			c.Add(field+"."+strconv.Itoa(i), "notFound", "no such "+what)
		}
	}
}

// validatePolicy checks p whole (own fields, then references) and the unique name and priority.
func (s *Service) validatePolicy(ctx context.Context, p *Policy) error {
	var c validate.Checks
	checkPolicy(&c, p)
	if err := s.checkRefs(ctx, &c, *p); err != nil {
		return err
	}
	if err := c.Err(); err != nil {
		return err
	}
	if taken, err := nameTaken[policyRow](s.store, ctx, p.Name, p.ID); err != nil || taken {
		return firstErr(err, errPolicyNameTaken)
	}
	if taken, err := s.store.priorityTaken(ctx, p.Priority, p.ID); err != nil || taken {
		return firstErr(err, errPriorityTaken)
	}
	return nil
}

func (s *Service) savePolicy(ctx context.Context, p Policy, insert bool, oldVersion int) (bool, error) {
	r := rowOf(p, strings.ToLower(p.Name), list.SearchText(p.Name, p.Description))
	if insert {
		if err := insertRow(s.store, ctx, &r, errPriorityTaken); err != nil {
			return false, err
		}
	} else {
		fields := map[string]any{"name": r.Name, "name_key": r.NameKey, "search_text": r.SearchText,
			"description": r.Description, "priority": r.Priority, "self_issuance_allowed": r.SelfIssuanceAllowed,
			"initialise_before_issuance": r.InitialiseBeforeIssuance, "random_pin_enabled": r.RandomPinEnabled,
			"random_pin_length": r.RandomPinLength, "random_pin_show_once": r.RandomPinShowOnce,
			"random_pin_email_user": r.RandomPinEmailUser, "random_pin_email_manager": r.RandomPinEmailManager,
			"secret_questions_required": r.SecretQuestionsRequired, "skzi_accounting": r.SkziAccounting,
			"approval_required": r.ApprovalRequired, "smev_check": r.SmevCheck, "smev_form_editable": r.SmevFormEditable,
			"user_may_choose_templates": r.UserMayChooseTemplates, "version": r.Version, "updated_at": r.UpdatedAt}
		ok, err := updateRow[policyRow](s.store, ctx, p.ID, oldVersion, fields, errPriorityTaken)
		if err != nil || !ok {
			return ok, err
		}
	}
	return true, s.store.setLinks(ctx, p.ID, p.GroupIDs, p.TemplateIDs)
}

// CreatePolicy adds a usage policy.
func (s *Service) CreatePolicy(ctx context.Context, in PolicyInput) (Policy, error) {
	now := s.now()
	p := Policy{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, Description: in.Description, Priority: in.Priority,
		GroupIDs: in.GroupIDs, SelfIssuanceAllowed: in.SelfIssuanceAllowed, InitialiseBeforeIssuance: in.InitialiseBeforeIssuance,
		RandomUserPIN: pick(in.RandomUserPIN, RandomUserPIN{}), SecretQuestionsRequired: in.SecretQuestionsRequired,
		SKZIAccounting: in.SKZIAccounting, ApprovalRequired: in.ApprovalRequired, SMEVCheck: in.SMEVCheck,
		SMEVFormEditable: in.SMEVFormEditable, TemplateIDs: in.TemplateIDs, UserMayChooseTemplates: in.UserMayChooseTemplates,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	var out Policy
	err := s.tx(ctx, func(ctx context.Context) error {
		if err := s.validatePolicy(ctx, &p); err != nil {
			return err
		}
		if _, err := s.savePolicy(ctx, p, true, 0); err != nil {
			return err
		}
		var err error
		if out, err = s.GetPolicy(ctx, p.ID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourcePolicy, ResourceID: p.ID,
			ResourceName: p.Name, After: out})
	})
	return out, err
}

// UpdatePolicy changes a usage policy, guarded by the version the client saw.
func (s *Service) UpdatePolicy(ctx context.Context, id string, in PolicyPatch) (Policy, error) {
	if in.Version < 1 {
		return Policy{}, apperr.Invalid(apperr.Field("version", "required", "is required (the version you edited)"))
	}
	var out Policy
	err := s.tx(ctx, func(ctx context.Context) error {
		r, err := getRow[policyRow](s.store, ctx, id, "usage policy", true)
		if err != nil {
			return err
		}
		before, err := s.withLinks(ctx, r)
		if err != nil {
			return err
		}
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		p := applyPatch(before, in)
		p.Version, p.UpdatedAt = before.Version+1, s.now()
		if err := s.validatePolicy(ctx, &p); err != nil {
			return err
		}
		if ok, err := s.savePolicy(ctx, p, false, in.Version); err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		if out, err = s.GetPolicy(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourcePolicy, ResourceID: id,
			ResourceName: out.Name, Before: before, After: out})
	})
	return out, err
}

func applyPatch(p Policy, in PolicyPatch) Policy {
	p.Name, p.Description, p.Priority = pick(in.Name, p.Name), pick(in.Description, p.Description), pick(in.Priority, p.Priority)
	p.GroupIDs, p.TemplateIDs = pick(in.GroupIDs, p.GroupIDs), pick(in.TemplateIDs, p.TemplateIDs)
	p.SelfIssuanceAllowed = pick(in.SelfIssuanceAllowed, p.SelfIssuanceAllowed)
	p.InitialiseBeforeIssuance = pick(in.InitialiseBeforeIssuance, p.InitialiseBeforeIssuance)
	p.RandomUserPIN = pick(in.RandomUserPIN, p.RandomUserPIN)
	p.SecretQuestionsRequired = pick(in.SecretQuestionsRequired, p.SecretQuestionsRequired)
	p.SKZIAccounting, p.ApprovalRequired = pick(in.SKZIAccounting, p.SKZIAccounting), pick(in.ApprovalRequired, p.ApprovalRequired)
	p.SMEVCheck, p.SMEVFormEditable = pick(in.SMEVCheck, p.SMEVCheck), pick(in.SMEVFormEditable, p.SMEVFormEditable)
	p.UserMayChooseTemplates = pick(in.UserMayChooseTemplates, p.UserMayChooseTemplates)
	return p
}

// DeletePolicy removes a usage policy; its users fall back to their next policy.
func (s *Service) DeletePolicy(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.deletePolicy(ctx, id) })
}

func (s *Service) deletePolicy(ctx context.Context, id string) error {
	r, err := getRow[policyRow](s.store, ctx, id, "usage policy", true)
	if err != nil {
		return err
	}
	before, err := s.withLinks(ctx, r)
	if err != nil {
		return err
	}
	if err := deleteRow[policyRow](s.store, ctx, id); err != nil { // links go with it (CASCADE)
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: ResourcePolicy, ResourceID: id,
		ResourceName: r.Name, Before: before})
}

// BulkDeletePolicies deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDeletePolicies(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deletePolicy)
}

// EffectivePolicy is the policy that applies to user id: of the policies assigned to
// the user's groups, the one with the lowest priority number; the group it comes from
// is the first by code of the user's groups it is assigned to.
func (s *Service) EffectivePolicy(ctx context.Context, userID string) (EffectivePolicy, error) {
	u, err := s.dir.GetUser(ctx, userID)
	if err != nil || len(u.GroupIDs) == 0 {
		return EffectivePolicy{}, err
	}
	r, found, err := s.store.effective(ctx, u.GroupIDs)
	if err != nil || !found {
		return EffectivePolicy{}, err
	}
	p, err := s.withLinks(ctx, r)
	if err != nil {
		return EffectivePolicy{}, err
	}
	var via []string
	for _, g := range p.GroupIDs {
		if slices.Contains(u.GroupIDs, g) {
			via = append(via, g)
		}
	}
	refs, err := s.dir.GroupRefsByIDs(ctx, via)
	if err != nil {
		return EffectivePolicy{}, err
	}
	out := EffectivePolicy{Policy: &p}
	if len(refs) > 0 {
		out.Group = &refs[0]
	}
	return out, nil
}
