package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// saveFlow stores a new round trip and drops the expired ones.
func (s *Service) saveFlow(ctx context.Context, f *flowRow) error {
	return s.st.tx(ctx, func(ctx context.Context) error {
		if err := s.st.dropExpiredFlows(ctx, s.now()); err != nil {
			return err
		}
		return s.st.insertFlow(ctx, f)
	})
}

// takeFlow consumes the round trip of state: it is returned once, and only to the
// browser that started it, before its expiry. Anything else is nil.
func (s *Service) takeFlow(ctx context.Context, state, browser string) (*flowRow, error) {
	if state == "" || len(state) > 200 {
		return nil, nil
	}
	id := sha(state)
	f, err := s.st.flow(ctx, id)
	if err != nil || f == nil {
		return nil, err
	}
	deleted, err := s.st.deleteFlow(ctx, id)
	if err != nil {
		return nil, err
	}
	// Deleting first means a replay racing this callback finds nothing either.
	if !deleted || s.now().After(f.ExpiresAt) || browser == "" || sha(browser) != f.BrowserHash {
		return nil, nil
	}
	return f, nil
}

// Cookies of the OpenID round trips: the browser binding of a flow, and the marker of
// a silent attempt that keeps the SPA from retrying it in a loop.
const (
	flowCookie   = "custos_oidc"
	silentCookie = "custos_silent"
	cookiePath   = "/api/v1/auth/oidc"
)

func (s *Service) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: cookiePath, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.opt.SecureCookies, MaxAge: int(maxAge.Seconds())}
}
