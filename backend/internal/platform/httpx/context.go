package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/labstack/echo/v4"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyMeta
)

// Meta is what the audit log needs to know about the caller of a request.
type Meta struct {
	RequestID string
	IP        string
	ActorType string // user, token, system, anonymous
	ActorID   string
	ActorName string
}

// RequestIDMiddleware gives every request an id and stores it on the context for logs,
// problems and the audit log. A client's X-Request-Id is kept only when it is at most 64
// characters of [A-Za-z0-9._:-]: it is echoed, logged and stored, so no markup, quotes,
// control bytes or log-line breakers.
func RequestIDMiddleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if len(id) == 0 || len(id) > 64 || !requestIDChars(id) {
				var b [12]byte
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			c.Set("request_id", id)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			m := &Meta{RequestID: id, IP: c.RealIP(), ActorType: "anonymous"}
			ctx := context.WithValue(c.Request().Context(), keyMeta, m)
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

func requestIDChars(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9', b == '.', b == '_', b == ':', b == '-':
		default:
			return false
		}
	}
	return true
}

// RequestID returns the id of the request.
func RequestID(c echo.Context) string {
	if v, ok := c.Get("request_id").(string); ok {
		return v
	}
	return ""
}

// MetaFrom returns the request meta of ctx; a zero Meta for background work.
func MetaFrom(ctx context.Context) Meta {
	if m, ok := ctx.Value(keyMeta).(*Meta); ok && m != nil {
		return *m
	}
	return Meta{ActorType: "system", ActorName: "system"}
}

// SetActor records who is calling, once authentication has resolved it.
func SetActor(ctx context.Context, typ, id, name string) {
	if m, ok := ctx.Value(keyMeta).(*Meta); ok && m != nil {
		m.ActorType, m.ActorID, m.ActorName = typ, id, name
	}
}

// WithMeta returns a context carrying m (for tests and background jobs).
func WithMeta(ctx context.Context, m Meta) context.Context {
	return context.WithValue(ctx, keyMeta, &m)
}
