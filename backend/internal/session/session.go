// Package session is signing in with the login form and the session that follows: local
// password check, throttling of sign-in attempts, server-side sessions, the session-bound
// CSRF token and origin check, and the middleware that turns a session cookie into the
// request's principal. Signing in through other providers is package federation.
package session

import (
	"time"

	"custos/internal/identity"
)

// Cookie names.
const (
	SessionCookie = "custos_session"
	CSRFCookie    = "custos_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// CSRFKeyLabel derives the key of the CSRF tokens from the application key.
const CSRFKeyLabel = "custos csrf v1"

// Options tune sessions and throttling.
type Options struct {
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	SecureCookies   bool
	MaxFailures     int           // attempts on one account from one IP within Window before that pair is locked
	MaxIPFailures   int           // attempts from one IP (all accounts) within Window before the IP is locked
	Window          time.Duration // counting window of attempts
	Lockout         time.Duration // how long a locked account+IP pair or IP waits
	// SlowAfter is the number of attempts on one account from all sources after which
	// every further attempt waits a delay that doubles from 1 s up to MaxDelay (0 = never).
	SlowAfter int
	MaxDelay  time.Duration
	// CSRFKey signs the CSRF token of each session (derived from the application key).
	CSRFKey []byte
	// PublicURL is the console's external base URL; the origin check of state-changing
	// requests compares Origin with it (empty = the request's own scheme and host).
	PublicURL string
}

// LoginInput is the body of POST /auth/login.
type LoginInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	// RememberMe keeps the session cookie across browser restarts (until the session's
	// absolute timeout); without it the cookie ends with the browser session.
	RememberMe bool `json:"remember_me" validate:"optional"`
} //	@name	LoginInput

// Me describes the signed-in caller.
type Me struct {
	User        identity.User       `json:"user"`
	Groups      []identity.GroupRef `json:"groups"`
	Permissions []string            `json:"permissions"`
	// Token is set when the caller authenticated with an API token; Permissions are then
	// the token's effective ones. An organisation API token has no user (user.id is empty).
	Token *MeToken `json:"token,omitempty"`
	// SecondFactorPolicy is the caller's standing under their groups' second-factor
	// policy (absent for an organisation token).
	SecondFactorPolicy *MeSecondFactor `json:"second_factor_policy,omitempty"`
} //	@name	Me

// MeToken is the API token a request was made with.
type MeToken struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
} //	@name	MeToken
