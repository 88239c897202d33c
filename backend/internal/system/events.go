package system

import (
	"context"
	"time"
)

// Events records webhook events in the transaction of the change that causes them (the
// webhook package's Emit), so an event and its change commit or roll back together;
// app wires it. Without it no events are recorded.
type Events interface {
	Emit(ctx context.Context, systemID, eventType string, data any) error
}

// SetEvents sets the webhook outbox.
func (s *Service) SetEvents(e Events) { s.events = e }

func (s *Service) emit(ctx context.Context, systemID, typ string, data any) error {
	if s.events == nil {
		return nil
	}
	return s.events.Emit(ctx, systemID, typ, data)
}

// systemEvents emits system.disabled and system.settings_changed for a change of a system.
func (s *Service) systemEvents(ctx context.Context, before, after System) error {
	ref := map[string]any{"id": after.ID, "name": after.Name}
	if before.Enabled && !after.Enabled {
		if err := s.emit(ctx, after.ID, "system.disabled", map[string]any{"system": ref}); err != nil {
			return err
		}
	}
	if before.SettingsTexts != after.SettingsTexts {
		return s.emit(ctx, after.ID, "system.settings_changed", map[string]any{"system": ref,
			"settings_texts": after.SettingsTexts})
	}
	return nil
}

// certEvent emits a certificate event (certificate.disabled, certificate.revoked).
func (s *Service) certEvent(ctx context.Context, typ string, c Certificate) error {
	return s.emit(ctx, c.SystemID, typ, map[string]any{"certificate": map[string]any{"id": c.ID, "subject": c.Subject,
		"serial": c.Serial, "fingerprint_sha256": c.FingerprintSHA256, "not_after": c.NotAfter, "status": c.Status,
		"revocation_reason": c.RevocationReason}})
}

// ExpiringCertificates are the enabled, unrevoked certificates of every enabled system
// that end after from and no later than to (the webhooks' expiry warnings).
func (s *Service) ExpiringCertificates(ctx context.Context, from, to time.Time) ([]Certificate, error) {
	rows, err := s.store.expiringCerts(ctx, from, to)
	out := make([]Certificate, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toAPI(from))
	}
	return out, err
}
