package authz

import (
	"context"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	Kind        string // "session" or "token"
	UserID      string
	Login       string
	DisplayName string
	Groups      []string // group codes
	SessionID   string
}

type ctxKey struct{}

// WithPrincipal stores p on the request.
func WithPrincipal(c echo.Context, p *Principal) {
	c.Set("principal", p)
	c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), ctxKey{}, p)))
}

// FromContext returns the caller, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// FromEcho returns the caller, or nil.
func FromEcho(c echo.Context) *Principal {
	p, _ := c.Get("principal").(*Principal)
	return p
}

// Access says how a route is guarded.
type Access int

// Access kinds.
const (
	Public        Access = iota // anyone
	Authenticated               // any signed-in caller
	Permission                  // a signed-in caller holding Perm
)

// Require returns the middleware enforcing a route's decision.
func (a *Authorizer) Require(access Access, perm string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if access == Public {
				return next(c)
			}
			p := FromEcho(c)
			if p == nil {
				return apperr.Unauthenticated()
			}
			if access == Permission && !a.Allowed(p.Groups, perm) {
				return apperr.Denied(perm)
			}
			return next(c)
		}
	}
}
