package app

import (
	"github.com/labstack/echo/v4"

	"custos/internal/platform/authz"
	"custos/internal/session"
)

// enrolmentRoutes are what a session that may only set up a second factor (its group
// requires one and the grace is over) can still reach: who it is, signing out, and the
// enrolment of an authenticator app or a passkey. Everything else that needs a caller
// answers 403 auth.enrolmentRequired.
var enrolmentRoutes = map[string]bool{
	"GET " + v1 + "/auth/me":                    true,
	"POST " + v1 + "/auth/logout":               true,
	"POST " + v1 + "/auth/logout-all":           true,
	"GET " + v1 + "/me/factors":                 true,
	"POST " + v1 + "/me/factors/totp":           true,
	"POST " + v1 + "/me/factors/totp/confirm":   true,
	"GET " + v1 + "/me/factors/passkeys":        true,
	"POST " + v1 + "/me/factors/passkeys/begin": true,
	"POST " + v1 + "/me/factors/passkeys":       true,
}

// enrolmentGate is route r's guard against enrolment-only sessions.
func enrolmentGate(r Route) echo.MiddlewareFunc {
	return session.EnrolmentGate(r.Access == authz.Public || enrolmentRoutes[r.Method+" "+r.Path])
}
