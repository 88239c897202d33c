package signin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// flowRow is an OpenID Connect round trip in progress (migration 006). The state is
// stored as its hash; the row is consumed (deleted) by the first callback that
// presents it, so a replayed state — or the nonce bound to it — is refused.
type flowRow struct {
	ID          string `gorm:"primaryKey"`
	ProviderID  string
	Nonce       string
	Verifier    string
	BrowserHash string
	RedirectURI string
	Next        string
	Silent      bool
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (flowRow) TableName() string { return "signin_flows" }

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// saveFlow stores a new round trip and drops the expired ones.
func (s *Service) saveFlow(ctx context.Context, f *flowRow) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		tx := s.db.Write(ctx)
		if err := tx.Where("expires_at < ?", s.now()).Delete(&flowRow{}).Error; err != nil {
			return err
		}
		return tx.Create(f).Error
	})
}

// takeFlow consumes the round trip of state: it is returned once, and only to the
// browser that started it, before its expiry. Anything else is nil.
func (s *Service) takeFlow(ctx context.Context, state, browser string) (*flowRow, error) {
	if state == "" || len(state) > 200 {
		return nil, nil
	}
	var rows []flowRow
	id := sha(state)
	if err := s.db.W.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	res := s.db.W.WithContext(ctx).Where("id = ?", id).Delete(&flowRow{})
	if res.Error != nil {
		return nil, res.Error
	}
	f := rows[0]
	// Deleting first means a replay racing this callback finds nothing either.
	if res.RowsAffected != 1 || s.now().After(f.ExpiresAt) || browser == "" || sha(browser) != f.BrowserHash {
		return nil, nil
	}
	return &f, nil
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
