package authz

import (
	"context"
	"slices"

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
	// EnrolmentOnly marks a session that may only set up a second factor (its groups
	// require one and the grace is over); see session.EnrolmentGate.
	EnrolmentOnly bool
	// A token caller (Kind "token"): the token's id, name and scopes. Scopes is nil for
	// sessions. An organisation API token has no UserID: its scopes alone decide. A
	// personal token carries its owner's user and groups: scopes ∩ the owner's current
	// permissions decide, so a permission the owner loses is lost by the token at once.
	TokenID   string
	TokenName string
	Scopes    []string
	// A system caller (Kind "system", the mTLS entry): the integrated system and the
	// client certificate it presented. Scopes are the system's allowed services and
	// alone decide, as for an organisation token.
	SystemID      string
	SystemName    string
	CertificateID string
}

// KindToken is the Kind of a principal authenticated by an API token.
const KindToken = "token"

// KindBearer is the Kind of a principal authenticated by an OpenID provider's bearer
// JWT (an oidc_token provider): the user's groups decide, as for a session.
const KindBearer = "bearer"

// KindSystem is the Kind of a principal authenticated by an integrated system's client
// certificate on the mTLS listener.
const KindSystem = "system"

// Permits is the decision for a principal: its groups' permissions, narrowed by a
// token's scopes (an organisation token: the scopes alone).
func (a *Authorizer) Permits(p *Principal, perm string) bool {
	if p.Kind == KindSystem {
		return slices.Contains(p.Scopes, perm)
	}
	if p.Kind == KindToken {
		if !slices.Contains(p.Scopes, perm) {
			return false
		}
		if p.UserID == "" {
			return true
		}
	}
	return a.Allowed(p.Groups, perm)
}

// Effective returns the sorted permissions the principal holds right now.
func (a *Authorizer) Effective(p *Principal) []string {
	if p.Kind != KindToken && p.Kind != KindSystem {
		return a.PermissionsOf(p.Groups)
	}
	out := []string{}
	for _, perm := range All {
		if a.Permits(p, perm) {
			out = append(out, perm)
		}
	}
	slices.Sort(out)
	return out
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
			if access == Permission && !a.Permits(p, perm) {
				return apperr.Denied(perm)
			}
			return next(c)
		}
	}
}
