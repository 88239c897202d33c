// Package apitoken issues and checks API tokens (owned by the organisation) and
// personal access tokens (owned by a user): the token format with its checksum, the
// peppered hash kept in the database, the tokens API, the middleware that turns an
// `Authorization: Api-Token …` header or `api-token` query parameter into the
// request's principal, and the in-memory last-used tracking.
package apitoken

import (
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/list"
)

// Kinds of token.
const (
	KindAPI      = "api"      // owned by the organisation, managed with apiTokens.write
	KindPersonal = "personal" // owned by one user, managed in self-service
)

// Statuses of a token, derived from revoked_at and expires_at.
const (
	StatusActive  = "active"
	StatusRevoked = "revoked"
	StatusExpired = "expired"
)

// MaxPersonal is how many live (neither revoked nor expired) personal tokens a user may hold.
const MaxPersonal = 5

// Audit resource types.
const (
	ResourceAPI      = "api_token"
	ResourcePersonal = "personal_token"
)

// Token is the API shape of a token. The secret is never part of it.
type Token struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind" enums:"api,personal"`
	Name        string   `json:"name"`
	Prefix      string   `json:"prefix" example:"cst01"`
	PublicID    string   `json:"public_id" example:"Q3VzdG9zUHVibGljSWQwMDAx"`
	Scopes      []string `json:"scopes"`
	Status      string   `json:"status" enums:"active,revoked,expired"`
	OwnerID     *string  `json:"owner_id" extensions:"x-nullable"`
	CreatedByID *string  `json:"created_by_id" extensions:"x-nullable"`
	CreatedBy   string   `json:"created_by"`
	// CreatedByTokenID is the organisation API token that created this token (null when
	// a person created it in the console or with their session).
	CreatedByTokenID *string    `json:"created_by_token_id" extensions:"x-nullable"`
	ExpiresAt        *time.Time `json:"expires_at" extensions:"x-nullable"`
	RevokedAt        *time.Time `json:"revoked_at" extensions:"x-nullable"`
	LastUsedAt       *time.Time `json:"last_used_at" extensions:"x-nullable"`
	LastUsedIP       string     `json:"last_used_ip"`
	Version          int        `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
} //	@name	ApiToken

// CreatedToken is the answer to a create: the token and, this one time only, its
// whole value.
type CreatedToken struct {
	Token
	// Secret value: shown once, never stored, never returned again.
	Value string `json:"token" example:"cst01.Q3VzdG9zUHVibGljSWQwMDAx.…"`
} //	@name	CreatedApiToken

// TokenInput creates a token.
type TokenInput struct {
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expires_at" validate:"optional" extensions:"x-nullable"`
} //	@name	ApiTokenInput

// TokenPatch changes a token's name or scopes; absent fields stay as they are.
type TokenPatch struct {
	Version int       `json:"version"`
	Name    *string   `json:"name" validate:"optional"`
	Scopes  *[]string `json:"scopes" validate:"optional"`
} //	@name	ApiTokenPatch

// Spec is the list whitelist of tokens (both kinds).
var Spec = list.Spec{
	Sorts: map[string]list.SortField{
		"name":         {Column: "name"},
		"created_at":   {Column: "created_at", Type: list.Time},
		"last_used_at": {Column: "last_used_at", Type: list.Time, Nullable: true},
		"expires_at":   {Column: "expires_at", Type: list.Time, Nullable: true},
	},
	Filters: map[string]list.FilterField{
		"scope":  {Type: list.Enum, Values: authz.All},
		"status": {Type: list.Enum, Values: []string{StatusActive, StatusRevoked, StatusExpired}},
	},
	SearchColumn: "search_text", DefaultSort: "created_at", DefaultOrder: "desc",
}

// Public errors.
var (
	errInvalidToken = apperr.New(apperr.KindUnauthenticated, "auth.invalidToken",
		"The API token is malformed, mistyped or unknown.")
	errRevoked = apperr.New(apperr.KindUnauthenticated, "auth.tokenRevoked", "The API token has been revoked.")
	errExpired = apperr.New(apperr.KindUnauthenticated, "auth.tokenExpired", "The API token has expired.")
	errOwner   = apperr.New(apperr.KindUnauthenticated, "auth.tokenOwnerInactive",
		"The owner of this personal access token is deactivated or deleted.")
	errAmbiguous = apperr.New(apperr.KindInvalid, "auth.ambiguousToken",
		"Send one API token: the Authorization header and the api-token query parameter carry different tokens.")
	errRevokedEdit = apperr.New(apperr.KindUnprocessable, "token.revoked",
		"A revoked token cannot be changed; create a new one.")
	errLimit = apperr.New(apperr.KindUnprocessable, "token.personalLimit",
		"You already hold 5 live personal access tokens; revoke or delete one first.")
	errSessionOnly = apperr.New(apperr.KindDenied, "token.sessionRequired",
		"Personal access tokens are created and changed from a signed-in browser session, not with a token.")
	errNoUser = apperr.New(apperr.KindDenied, "token.userRequired",
		"This credential belongs to no user; personal tokens need a signed-in user.")
)
