package authz

import (
	"context"
	"fmt"

	"github.com/casbin/casbin/v2/persist"
	gormadapter "github.com/casbin/gorm-adapter/v3"

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

// adapter is casbin's view of the casbin_rule table.
func adapter(d *db.DB) (persist.Adapter, error) {
	gormadapter.TurnOffAutoMigrate(d.W)
	ad, err := gormadapter.NewAdapterByDBUseTableName(d.W, "", "casbin_rule")
	if err != nil {
		return nil, fmt.Errorf("casbin adapter: %w", err)
	}
	return ad, nil
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
