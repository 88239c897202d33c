package migrate

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// The system groups and their permissions as of migration 002 (frozen: later
// changes of defaults are new migrations).
var m002Groups = []struct {
	Code, Name string
	Perms      []string
}{
	{"tech_admins", "Technical administrators", m002All},
	{"administrators", "Administrators", m002Without(m002All, "settings.write")},
	{"operators", "Operators", []string{"devices.read", "devices.write", "devices.approve", "users.read"}},
	{"auditors", "Auditors", []string{"providers.read", "users.read", "apiTokens.read", "certificates.read",
		"devices.read", "audit.read", "stats.read"}},
	{"users", "Users", []string{"selfservice"}},
	{"clients", "Clients of integrated systems", []string{}},
}

var m002All = []string{"providers.read", "providers.write", "users.read", "users.write", "apiTokens.read",
	"apiTokens.write", "certificates.read", "certificates.write", "devices.read", "devices.write",
	"devices.approve", "audit.read", "stats.read", "settings.write", "selfservice"}

func m002Without(all []string, drop string) []string {
	var out []string
	for _, p := range all {
		if p != drop {
			out = append(out, p)
		}
	}
	return out
}

// m002Rule splits "resource.action" into the casbin object and action.
func m002Rule(group, perm string) m001CasbinRule {
	obj, act, ok := strings.Cut(perm, ".")
	if !ok {
		act = "use"
	}
	return m001CasbinRule{Ptype: "p", V0: group, V1: obj, V2: act}
}

var m002Seed = Migration{Version: 2, Name: "system groups, tech_admin, user_roles, licence", Up: func(tx *gorm.DB, _ string) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	var techAdmins string
	for _, g := range m002Groups {
		id := uuid.Must(uuid.NewV7()).String()
		if g.Code == "tech_admins" {
			techAdmins = id
		}
		row := m001Group{ID: id, Code: g.Code, Name: g.Name, System: true,
			SearchText: strings.ToLower(g.Code + "\x1f" + g.Name), Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		for _, p := range g.Perms {
			r := m002Rule(g.Code, p)
			if err := tx.Create(&r).Error; err != nil {
				return err
			}
		}
	}
	admin := m001User{ID: uuid.Must(uuid.NewV7()).String(), Login: "tech_admin", DisplayName: "Technical administrator",
		Active: true, ExtraAttributes: "{}", SearchText: strings.ToLower("tech_admin\x1f\x1fTechnical administrator"),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&admin).Error; err != nil {
		return err
	}
	if err := tx.Create(&m001UserGroup{UserID: admin.ID, GroupID: techAdmins}).Error; err != nil {
		return err
	}
	attr := m001Attribute{ID: uuid.Must(uuid.NewV7()).String(), Code: "user_roles", Name: "Роль", Type: "list",
		System: true, SearchText: strings.ToLower("user_roles\x1fРоль"), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&attr).Error; err != nil {
		return err
	}
	return tx.Create(&m001Setting{Key: "licence", Value: `{"access_type":"on_premise"}`, Version: 1, UpdatedAt: now}).Error
}}
