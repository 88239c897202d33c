package authz

import (
	"context"
	"fmt"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"gorm.io/gorm"

	"custos/internal/platform/db"
)

// CasbinRule is the row shape of casbin_rule, for writes inside a feature's transaction.
type CasbinRule struct {
	ID    uint `gorm:"primaryKey"`
	Ptype string
	V0    string
	V1    string
	V2    string
	V3    string
	V4    string
	V5    string
}

// TableName binds the row to casbin_rule.
func (CasbinRule) TableName() string { return "casbin_rule" }

// adapter is casbin's view of the casbin_rule table: the same table and columns the
// gorm-adapter used, so existing databases keep their policies, without that module's
// MySQL and SQL Server drivers.
func adapter(d *db.DB) (persist.Adapter, error) { return &store{db: d.W}, nil }

// store implements persist.Adapter and persist.BatchAdapter over casbin_rule.
type store struct{ db *gorm.DB }

var (
	_ persist.Adapter      = (*store)(nil)
	_ persist.BatchAdapter = (*store)(nil)
)

func toRule(ptype string, rule []string) (CasbinRule, error) {
	if len(rule) > 6 {
		return CasbinRule{}, fmt.Errorf("casbin rule %s has %d fields, at most 6 are stored", ptype, len(rule))
	}
	v := make([]string, 6)
	copy(v, rule)
	return CasbinRule{Ptype: ptype, V0: v[0], V1: v[1], V2: v[2], V3: v[3], V4: v[4], V5: v[5]}, nil
}

// fields is the rule as casbin sees it: ptype first, trailing empty values dropped.
func (r CasbinRule) fields() []string {
	out := []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
	for len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// LoadPolicy loads every rule into m.
func (s *store) LoadPolicy(m model.Model) error {
	var rows []CasbinRule
	if err := s.db.Order("id").Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if err := persist.LoadPolicyArray(r.fields(), m); err != nil {
			return err
		}
	}
	return nil
}

// SavePolicy replaces every stored rule with m's, in one transaction.
func (s *store) SavePolicy(m model.Model) error {
	var rows []CasbinRule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				r, err := toRule(ptype, rule)
				if err != nil {
					return err
				}
				rows = append(rows, r)
			}
		}
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&CasbinRule{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, 200).Error
	})
}

// AddPolicy stores one rule.
func (s *store) AddPolicy(_, ptype string, rule []string) error {
	return s.AddPolicies("", ptype, [][]string{rule})
}

// AddPolicies stores rules, all or none.
func (s *store) AddPolicies(_, ptype string, rules [][]string) error {
	rows := make([]CasbinRule, 0, len(rules))
	for _, rule := range rules {
		r, err := toRule(ptype, rule)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	return s.db.Transaction(func(tx *gorm.DB) error { return tx.Create(&rows).Error })
}

// RemovePolicy removes one rule (every stored field must match).
func (s *store) RemovePolicy(_, ptype string, rule []string) error {
	return s.RemovePolicies("", ptype, [][]string{rule})
}

// RemovePolicies removes rules, all or none.
func (s *store) RemovePolicies(_, ptype string, rules [][]string) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		for _, rule := range rules {
			r, err := toRule(ptype, rule)
			if err != nil {
				return err
			}
			q := tx.Where("ptype = ? AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = ? AND v4 = ? AND v5 = ?",
				r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5)
			if err := q.Delete(&CasbinRule{}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveFilteredPolicy removes the rules of ptype whose fields from fieldIndex on equal
// fieldValues; an empty value matches anything.
func (s *store) RemoveFilteredPolicy(_, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > 6 {
		return fmt.Errorf("casbin filter on fields %d..%d: only v0..v5 are stored", fieldIndex, fieldIndex+len(fieldValues)-1)
	}
	q := s.db.Where("ptype = ?", ptype)
	for i, v := range fieldValues {
		if v != "" {
			q = q.Where(fmt.Sprintf("v%d = ?", fieldIndex+i), v)
		}
	}
	return q.Delete(&CasbinRule{}).Error
}

// replaceRules rewrites a group's rules inside the transaction ctx carries.
func replaceRules(ctx context.Context, group string, perms []string) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	if err := tx.Where("ptype = ? AND v0 = ?", "p", group).Delete(&CasbinRule{}).Error; err != nil {
		return err
	}
	for _, p := range perms {
		obj, act := Split(p)
		if err := tx.Create(&CasbinRule{Ptype: "p", V0: group, V1: obj, V2: act}).Error; err != nil {
			return err
		}
	}
	return nil
}

// GroupPermissions reads groups' permissions straight from casbin_rule, inside the
// transaction ctx carries when there is one.
func GroupPermissions(ctx context.Context, d *db.DB, groups []string) (map[string][]string, error) {
	var rows []CasbinRule
	if len(groups) == 0 {
		return map[string][]string{}, nil
	}
	if err := d.Read(ctx).Where("ptype = ? AND v0 IN ?", "p", groups).Order("v0, v1, v2").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.V0] = append(out[r.V0], Join(r.V1, r.V2))
	}
	return out, nil
}
