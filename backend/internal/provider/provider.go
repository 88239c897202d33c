// Package provider is the registry of authentication providers (SPEC §4): who may sign
// in and how, the per-type connection parameters, the schema mapping and the rules
// of §4.4, plus the connection test, the mapping dry run and export/import.
package provider

import (
	"context"
	"slices"
	"time"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
)

// Provider types.
const (
	TypeLocal        = "local"
	TypeOIDC         = "oidc"
	TypeOIDCToken    = "oidc_token"
	TypeOIDCCookie   = "oidc_cookie"
	TypeLDAP         = "ldap"
	TypeLDAPKerberos = "ldap_kerberos"
	TypeREST         = "rest"
)

// Types lists every provider type in the order the UI offers them.
var Types = []string{TypeLocal, TypeOIDC, TypeOIDCToken, TypeOIDCCookie, TypeLDAP, TypeLDAPKerberos, TypeREST}

// singleActive are the types of which at most one provider may be active.
var singleActive = []string{TypeOIDCCookie, TypeLDAP, TypeLDAPKerberos}

// SingleActive reports whether at most one provider of type t may be active.
func SingleActive(t string) bool { return slices.Contains(singleActive, t) }

// IsOIDC reports whether t speaks OpenID Connect (and so has client id, secret and URL).
func IsOIDC(t string) bool { return t == TypeOIDC || t == TypeOIDCToken || t == TypeOIDCCookie }

// LDAP connection types and server types.
const (
	ConnPlain    = "plain"
	ConnSSL      = "ssl"
	ConnStartTLS = "starttls"
	ServerAD     = "ad"
	ServerOpen   = "openldap"
)

// Provider is the API shape of a provider. Secrets never appear: params carries
// client_secret_set / bind_password_set instead.
type Provider struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	Type              string    `json:"type" enums:"local,oidc,oidc_token,oidc_cookie,ldap,ldap_kerberos,rest"`
	Active            bool      `json:"active"`
	ButtonLabel       string    `json:"button_label"`
	BaseGroupIDs      []string  `json:"base_group_ids"`
	AllowUserCreation bool      `json:"allow_user_creation"`
	UserTypeID        *string   `json:"user_type_id" extensions:"x-nullable"`
	Params            Params    `json:"params"`
	Mappings          []Mapping `json:"mappings"`
	// UsersCount is how many users came through the provider (GET of one provider only).
	UsersCount *int64    `json:"users_count,omitempty"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
} //	@name	Provider

// Params are the type-specific parameters as read. Only the keys of the provider's
// type are present.
type Params struct {
	ClientID          *string `json:"client_id,omitempty"`
	ClientSecretSet   *bool   `json:"client_secret_set,omitempty"`
	ExternalURL       *string `json:"external_url,omitempty"`
	Host              *string `json:"host,omitempty"`
	Port              *int    `json:"port,omitempty"`
	BindDN            *string `json:"bind_dn,omitempty"`
	BindPasswordSet   *bool   `json:"bind_password_set,omitempty"`
	Connection        *string `json:"connection,omitempty" enums:"plain,ssl,starttls"`
	ServerType        *string `json:"server_type,omitempty" enums:"ad,openldap"`
	BaseDN            *string `json:"base_dn,omitempty"`
	Filter            *string `json:"filter,omitempty"`
	UsernameAttribute *string `json:"username_attribute,omitempty"`
	CACert            *string `json:"ca_cert,omitempty"`
} //	@name	ProviderParams

// Mapping feeds one access-schema attribute from a provider attribute, translating
// values by its rules.
type Mapping struct {
	// Attribute is the code of an access-schema attribute.
	Attribute string `json:"attribute"`
	// Source is a claim path (OpenID types), an LDAP attribute (LDAP) or a
	// user_permissions attribute (local). For user_roles, "<system>.roles" and
	// "<system>.roles.<role>" are read from the token's resource_access. Empty: the
	// claim named like the attribute (user_roles: every "<system>.roles.<role>").
	Source string `json:"source" validate:"optional"`
	Rules  []Rule `json:"rules" validate:"optional"`
} //	@name	ProviderMapping

// Rule maps one provider value onto one schema value.
type Rule struct {
	From string `json:"from"`
	To   string `json:"to"`
} //	@name	ProviderMappingRule

// Directory is what providers need from the identity feature.
type Directory interface {
	GetLicence(ctx context.Context) (identity.Licence, error)
	GetUserType(ctx context.Context, id string) (identity.UserType, error)
	UserTypeByCode(ctx context.Context, code string) (identity.UserType, error)
	GroupRefsByIDs(ctx context.Context, ids []string) ([]identity.GroupRef, error)
	GroupRefsByCodes(ctx context.Context, codes []string) ([]identity.GroupRef, error)
	AttributesByCodes(ctx context.Context, codes []string) ([]identity.Attribute, error)
	CountUsersBySource(ctx context.Context, providerID string) (int64, error)
	// CheckGroupGrant refuses (audited) base groups the caller may not hand out.
	CheckGroupGrant(ctx context.Context, field string, ids, codes []string) error
}

// The rules of SPEC §4.4, each with its stable code.
var (
	errLocalExists = &apperr.Error{Kind: apperr.KindConflict, Code: "provider.localExists",
		Message: "There is already a local provider; there can be only one.",
		Fields:  []apperr.FieldError{apperr.Field("type", "localExists", "the local provider already exists")}}
	errActiveCannotBeDeleted = apperr.New(apperr.KindUnprocessable, "provider.activeCannotBeDeleted",
		"An active provider cannot be deleted; deactivate it first.")
	errLocalCannotBeDeleted = apperr.New(apperr.KindUnprocessable, "provider.localCannotBeDeleted",
		"The local provider cannot be deleted, only deactivated.")
	errCreationForbiddenCloud = &apperr.Error{Kind: apperr.KindUnprocessable, Code: "provider.creationForbiddenCloud",
		Message: "Under a cloud licence providers may not create users.",
		Fields: []apperr.FieldError{apperr.Field("allow_user_creation", "forbiddenCloud",
			"not available under a cloud licence")}}
)

func errActiveTypeExists(typ, other string) error {
	return &apperr.Error{Kind: apperr.KindConflict, Code: "provider.activeTypeExists",
		Message: "Only one " + typ + " provider may be active; " + other + " is active already.",
		Fields:  []apperr.FieldError{apperr.Field("active", "activeTypeExists", "another "+typ+" provider is active")}}
}

// ruleCodes promote a field error to the problem's code when it is the only kind of
// error in a request, so clients can branch on one code per rule.
var ruleCodes = map[string]string{
	"buttonLabelOnlyOidc":   "provider.buttonLabelOnlyOidc",
	"userTypeNeedsCreation": "provider.userTypeNeedsCreation",
	"invalidLdapFilter":     "provider.invalidLdapFilter",
	"typeImmutable":         "provider.typeImmutable",
}

// invalid turns collected field errors into one 400 problem.
func invalid(errs []apperr.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	e := apperr.Invalid(errs...)
	code := ""
	for _, f := range errs {
		rc, ok := ruleCodes[f.Code]
		if !ok || (code != "" && rc != code) {
			return e
		}
		code = rc
	}
	e.Code = code
	return e
}
