package identity

import (
	"encoding/json"
	"time"
)

// Rows are the store's shapes; the API never sees them.
type userRow struct {
	ID               string `gorm:"primaryKey"`
	Login            string
	Email            string
	DisplayName      string
	UserTypeID       *string
	Active           bool
	LDAPPrecheck     bool `gorm:"column:ldap_precheck"`
	ExtraAttributes  string
	Attributes       string
	SourceProviderID *string
	PasswordHash     string
	LastLoginAt      *time.Time
	SearchText       string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (userRow) TableName() string { return "users" }

func (r *userRow) toAPI(groupIDs []string) User {
	extra, attrs := map[string]any{}, map[string]any{}
	_ = json.Unmarshal([]byte(r.ExtraAttributes), &extra)
	_ = json.Unmarshal([]byte(r.Attributes), &attrs)
	if groupIDs == nil {
		groupIDs = []string{}
	}
	return User{ID: r.ID, Login: r.Login, Email: r.Email, DisplayName: r.DisplayName, UserTypeID: r.UserTypeID,
		Active: r.Active, LDAPPrecheck: r.LDAPPrecheck, GroupIDs: groupIDs, ExtraAttributes: extra, Attributes: attrs,
		SourceProviderID: r.SourceProviderID, LastLoginAt: r.LastLoginAt, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type groupRow struct {
	ID          string `gorm:"primaryKey"`
	Code        string
	Name        string
	System      bool
	SearchText  string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	MemberCount int64 `gorm:"->;-:migration"`
}

func (groupRow) TableName() string { return "groups" }

type userGroupRow struct {
	UserID  string `gorm:"primaryKey"`
	GroupID string `gorm:"primaryKey"`
}

func (userGroupRow) TableName() string { return "user_groups" }

type userTypeRow struct {
	ID          string `gorm:"primaryKey"`
	Code        string
	Name        string
	Quota       int
	SearchText  string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ActiveUsers int64 `gorm:"->;-:migration"`
}

func (userTypeRow) TableName() string { return "user_types" }

func (r *userTypeRow) toAPI() UserType {
	return UserType{ID: r.ID, Code: r.Code, Name: r.Name, Quota: r.Quota, ActiveUsers: r.ActiveUsers,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type attributeRow struct {
	ID         string `gorm:"primaryKey"`
	Code       string
	Name       string
	Type       string
	System     bool
	SearchText string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (attributeRow) TableName() string { return "attributes" }

func (r *attributeRow) toAPI() Attribute {
	return Attribute{ID: r.ID, Code: r.Code, Name: r.Name, Type: r.Type, System: r.System, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	Version   int
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "settings" }
