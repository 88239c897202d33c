package device

import (
	"context"
	"time"
)

// policyRow is the store's shape of a usage policy (its groups and templates are links).
type policyRow struct {
	ID                       string `gorm:"primaryKey"`
	Name                     string
	NameKey                  string
	SearchText               string
	Description              string
	Priority                 int
	SelfIssuanceAllowed      bool
	InitialiseBeforeIssuance bool
	RandomPinEnabled         bool `gorm:"column:random_pin_enabled"`
	RandomPinLength          int  `gorm:"column:random_pin_length"`
	RandomPinShowOnce        bool `gorm:"column:random_pin_show_once"`
	RandomPinEmailUser       bool `gorm:"column:random_pin_email_user"`
	RandomPinEmailManager    bool `gorm:"column:random_pin_email_manager"`
	SecretQuestionsRequired  int
	SkziAccounting           bool `gorm:"column:skzi_accounting"`
	ApprovalRequired         bool
	SmevCheck                bool `gorm:"column:smev_check"`
	SmevFormEditable         bool `gorm:"column:smev_form_editable"`
	UserMayChooseTemplates   bool
	Version                  int
	CreatedAt                time.Time
	UpdatedAt                time.Time
}

func (policyRow) TableName() string { return "device_policies" }

type policyGroup struct {
	PolicyID string `gorm:"primaryKey"`
	GroupID  string `gorm:"primaryKey"`
}

func (policyGroup) TableName() string { return "device_policy_groups" }

type policyTemplate struct {
	PolicyID   string `gorm:"primaryKey"`
	TemplateID string `gorm:"primaryKey"`
}

func (policyTemplate) TableName() string { return "device_policy_templates" }

// links are a policy's group and template ids.
type links struct{ groups, templates []string }

func (r *policyRow) toAPI(l links) Policy {
	return Policy{ID: r.ID, Name: r.Name, Description: r.Description, Priority: r.Priority, GroupIDs: nonNil(l.groups),
		SelfIssuanceAllowed: r.SelfIssuanceAllowed, InitialiseBeforeIssuance: r.InitialiseBeforeIssuance,
		RandomUserPIN: RandomUserPIN{Enabled: r.RandomPinEnabled, Length: r.RandomPinLength, ShowOnce: r.RandomPinShowOnce,
			EmailUser: r.RandomPinEmailUser, EmailManager: r.RandomPinEmailManager},
		SecretQuestionsRequired: r.SecretQuestionsRequired, SKZIAccounting: r.SkziAccounting, ApprovalRequired: r.ApprovalRequired,
		SMEVCheck: r.SmevCheck, SMEVFormEditable: r.SmevFormEditable, TemplateIDs: nonNil(l.templates),
		UserMayChooseTemplates: r.UserMayChooseTemplates, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// rowOf is the row of a (validated) policy.
func rowOf(p Policy, nameKey, search string) policyRow {
	rp := p.RandomUserPIN
	return policyRow{ID: p.ID, Name: p.Name, NameKey: nameKey, SearchText: search, Description: p.Description,
		Priority: p.Priority, SelfIssuanceAllowed: p.SelfIssuanceAllowed, InitialiseBeforeIssuance: p.InitialiseBeforeIssuance,
		RandomPinEnabled: rp.Enabled, RandomPinLength: rp.Length, RandomPinShowOnce: rp.ShowOnce, RandomPinEmailUser: rp.EmailUser,
		RandomPinEmailManager: rp.EmailManager, SecretQuestionsRequired: p.SecretQuestionsRequired, SkziAccounting: p.SKZIAccounting,
		ApprovalRequired: p.ApprovalRequired, SmevCheck: p.SMEVCheck, SmevFormEditable: p.SMEVFormEditable,
		UserMayChooseTemplates: p.UserMayChooseTemplates, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// linksOf loads the groups and templates of the policies ids, in a stable order.
func (st store) linksOf(ctx context.Context, ids []string) (map[string]links, error) {
	out := map[string]links{}
	if len(ids) == 0 {
		return out, nil
	}
	var gs []policyGroup
	if err := st.db.Read(ctx).Where("policy_id IN ?", ids).Order("group_id").Find(&gs).Error; err != nil {
		return nil, err
	}
	var ts []policyTemplate
	if err := st.db.Read(ctx).Where("policy_id IN ?", ids).Order("template_id").Find(&ts).Error; err != nil {
		return nil, err
	}
	for _, g := range gs {
		l := out[g.PolicyID]
		l.groups = append(l.groups, g.GroupID)
		out[g.PolicyID] = l
	}
	for _, t := range ts {
		l := out[t.PolicyID]
		l.templates = append(l.templates, t.TemplateID)
		out[t.PolicyID] = l
	}
	return out, nil
}

// setLinks replaces the groups and templates of policy id.
func (st store) setLinks(ctx context.Context, id string, groups, templates []string) error {
	tx := st.db.Write(ctx)
	if err := tx.Where("policy_id = ?", id).Delete(&policyGroup{}).Error; err != nil {
		return err
	}
	if err := tx.Where("policy_id = ?", id).Delete(&policyTemplate{}).Error; err != nil {
		return err
	}
	for _, g := range groups {
		if err := tx.Create(&policyGroup{PolicyID: id, GroupID: g}).Error; err != nil {
			return err
		}
	}
	for _, t := range templates {
		if err := tx.Create(&policyTemplate{PolicyID: id, TemplateID: t}).Error; err != nil {
			return err
		}
	}
	return nil
}

// priorityTaken says whether another policy than id has priority.
func (st store) priorityTaken(ctx context.Context, priority int, id string) (bool, error) {
	var n int64
	err := st.db.Write(ctx).Model(&policyRow{}).Where("priority = ? AND id <> ?", priority, id).Count(&n).Error
	return n > 0, err
}

// effective is the policy with the lowest priority number assigned to any of groups.
func (st store) effective(ctx context.Context, groups []string) (policyRow, bool, error) {
	var rows []policyRow
	err := st.db.Read(ctx).Model(&policyRow{}).
		Where("id IN (?)", st.db.Read(ctx).Model(&policyGroup{}).Select("policy_id").Where("group_id IN ?", groups)).
		Order("priority").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return policyRow{}, false, err
	}
	return rows[0], true, nil
}
