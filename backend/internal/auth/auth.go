// Package auth signs people in and out: local password check, throttling of failed
// attempts, server-side sessions, the CSRF double-submit check and the middleware that
// turns a session cookie into the request's principal.
package auth

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

// Options tune sessions and throttling.
type Options struct {
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	SecureCookies   bool
	MaxFailures     int           // per account within Window before lock-out
	MaxIPFailures   int           // per IP within Window before lock-out
	Window          time.Duration // counting window of failures
	Lockout         time.Duration
}

// LoginInput is the body of POST /auth/login.
type LoginInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
} //	@name	LoginInput

// Me describes the signed-in caller.
type Me struct {
	User        identity.User       `json:"user"`
	Groups      []identity.GroupRef `json:"groups"`
	Permissions []string            `json:"permissions"`
	// Token is set when the caller authenticated with an API token; Permissions are then
	// the token's effective ones. An organisation API token has no user (user.id is empty).
	Token *MeToken `json:"token,omitempty"`
} //	@name	Me

// MeToken is the API token a request was made with.
type MeToken struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
} //	@name	MeToken

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

func (sessionRow) TableName() string { return "sessions" }

type throttleRow struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

func (throttleRow) TableName() string { return "login_throttle" }

// principalRow is what a session lookup reads in one query.
type principalRow struct {
	SessionID   string
	UserID      string
	Login       string
	DisplayName string
	Active      bool
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
}
