package ca

import "context"

// revokedFingerprint reports whether a ledger row of fingerprint fp is revoked.
func (st store) revokedFingerprint(ctx context.Context, fp string) (bool, error) {
	var n int64
	err := st.db.Read(ctx).Model(&certRow{}).Where("fingerprint = ? AND revoked_at IS NOT NULL", fp).Count(&n).Error
	return n > 0, err
}
