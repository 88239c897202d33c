package issuance

import "context"

// Holder is whom a confirmed device certificate was issued to, and the state of the
// device it was written on (certificate sign-in asks it).
type Holder struct {
	UserID       string
	DeviceID     string
	DeviceSerial string
	// DeviceStatus is issued, blocked or revoked ("" when the device is gone).
	DeviceStatus string
	// Revoked is true once the certificate was revoked (with its device, or superseded).
	Revoked bool
}

// CertificateHolder finds the confirmed certificate with the SHA-256 fingerprint fp
// (lower-case hex) among those written on devices; false when none is.
func (s *Service) CertificateHolder(ctx context.Context, fp string) (Holder, bool, error) {
	return s.store.holder(ctx, fp)
}
