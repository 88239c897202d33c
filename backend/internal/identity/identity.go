// Package identity is the directory: users, groups, user types, the licence and the
// access-schema attributes that providers map onto.
package identity

import (
	"time"
)

// User is the API shape of a user.
type User struct {
	ID              string         `json:"id"`
	Login           string         `json:"login"`
	Email           string         `json:"email"`
	DisplayName     string         `json:"display_name"`
	UserTypeID      *string        `json:"user_type_id" extensions:"x-nullable"`
	Active          bool           `json:"active"`
	LDAPPrecheck    bool           `json:"ldap_precheck"`
	GroupIDs        []string       `json:"group_ids"`
	ExtraAttributes map[string]any `json:"extra_attributes"`
	// Attributes are the access-schema attributes the user's provider mapped at the
	// last sign-in (read-only: sign-in writes them).
	Attributes       map[string]any `json:"attributes"`
	SourceProviderID *string        `json:"source_provider_id" extensions:"x-nullable"`
	LastLoginAt      *time.Time     `json:"last_login_at" extensions:"x-nullable"`
	Version          int            `json:"version"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
} //	@name	User

// Group is the API shape of a group.
type Group struct {
	ID          string   `json:"id"`
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	System      bool     `json:"system"`
	Permissions []string `json:"permissions"`
	// SecondFactorRequired makes every member give a second factor at sign-in; a member
	// without one may still sign in for SecondFactorGraceDays after their first such
	// sign-in, then only to set one up.
	SecondFactorRequired  bool      `json:"second_factor_required"`
	SecondFactorGraceDays int       `json:"second_factor_grace_days"`
	MemberCount           int64     `json:"member_count"`
	Version               int       `json:"version"`
	CreatedAt             time.Time `json:"created_at"`
	UpdatedAt             time.Time `json:"updated_at"`
} //	@name	Group

// UserType is the API shape of a user type.
type UserType struct {
	ID          string    `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Quota       int       `json:"quota"` // 0 = unlimited
	ActiveUsers int64     `json:"active_users"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
} //	@name	UserType

// Attribute is an access-schema attribute.
type Attribute struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Type      string    `json:"type" enums:"string,list"`
	System    bool      `json:"system"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
} //	@name	Attribute

// Licence is the access type of the installation.
type Licence struct {
	AccessType string `json:"access_type" enums:"on_premise,cloud"`
	Version    int    `json:"version"`
} //	@name	Licence

// Licence access types.
const (
	OnPremise = "on_premise"
	Cloud     = "cloud"
)

// The built-in account and its group.
const (
	TechAdminLogin = "tech_admin"
	TechAdminGroup = "tech_admins"
	UserRolesAttr  = "user_roles"
)

// GroupRef is a short group reference.
type GroupRef struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
} //	@name	GroupRef
