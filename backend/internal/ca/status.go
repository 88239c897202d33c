package ca

import "context"

// RevokedFingerprint reports whether a certificate this CA issued, known by its SHA-256
// fingerprint (lower-case hex), is revoked; false for one it did not issue.
func (s *Service) RevokedFingerprint(ctx context.Context, fp string) (bool, error) {
	return s.store.revokedFingerprint(ctx, fp)
}
