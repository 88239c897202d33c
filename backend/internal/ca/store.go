package ca

import (
	"context"
	"time"

	"custos/internal/platform/db"
)

// caRow is a certificate authority as stored; the key stays sealed.
type caRow struct {
	ID          string `gorm:"primaryKey"`
	Subject     string
	Serial      string
	Fingerprint string
	CertPEM     string `gorm:"column:cert_pem"`
	KeySealed   string
	Imported    bool
	Active      bool
	NotBefore   time.Time
	NotAfter    time.Time
	CreatedAt   time.Time
}

func (caRow) TableName() string { return "cas" }

// certRow is one line of the ledger of issued certificates.
type certRow struct {
	ID          string `gorm:"primaryKey"`
	CAID        string `gorm:"column:ca_id"`
	Serial      string
	Fingerprint string
	Subject     string
	Purpose     string
	OwnerID     string
	NotBefore   time.Time
	NotAfter    time.Time
	PEM         string `gorm:"column:pem"`
	RevokedAt   *time.Time
	Reason      *int
	CreatedAt   time.Time
}

func (certRow) TableName() string { return "ca_certificates" }

// crlRow is the current CRL of a CA.
type crlRow struct {
	CAID       string `gorm:"column:ca_id;primaryKey"`
	Number     int64
	DER        []byte `gorm:"column:der"`
	ThisUpdate time.Time
	NextUpdate time.Time
}

func (crlRow) TableName() string { return "ca_crls" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

// active returns the active CA; false when there is none yet.
func (st store) active(ctx context.Context) (caRow, bool, error) {
	var r caRow
	err := st.db.Read(ctx).Where("active = ?", true).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// all returns every CA, the active one first.
func (st store) all(ctx context.Context) ([]caRow, error) {
	var rs []caRow
	err := st.db.Read(ctx).Order("active DESC, created_at DESC").Find(&rs).Error
	return rs, err
}

// insertCA writes a CA; a second active one is a unique violation (another replica won).
func (st store) insertCA(ctx context.Context, r *caRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// deactivate retires the active CA (before an imported one takes its place).
func (st store) deactivate(ctx context.Context) error {
	return st.db.Write(ctx).Model(&caRow{}).Where("active = ?", true).Update("active", false).Error
}

func (st store) insertCert(ctx context.Context, r *certRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// certBySerial finds a ledger row of the CA caID; false when it issued no such serial.
func (st store) certBySerial(ctx context.Context, caID, serial string) (certRow, bool, error) {
	var r certRow
	err := st.db.Read(ctx).Where("ca_id = ? AND serial = ?", caID, serial).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// revoke marks every ledger row with serial revoked unless it already is; it reports
// whether any CA issued that serial at all.
func (st store) revoke(ctx context.Context, serial string, reason int, at time.Time) (bool, error) {
	w := st.db.Write(ctx)
	if err := w.Model(&certRow{}).Where("serial = ? AND revoked_at IS NULL", serial).
		Updates(map[string]any{"revoked_at": at, "reason": reason}).Error; err != nil {
		return false, err
	}
	var n int64
	err := w.Model(&certRow{}).Where("serial = ?", serial).Count(&n).Error
	return n > 0, err
}

// revoked lists the revoked, not yet expired certificates of a CA (expired ones may
// leave the CRL, RFC 5280 §3.3).
func (st store) revoked(ctx context.Context, caID string, now time.Time) ([]certRow, error) {
	var rs []certRow
	err := st.db.Read(ctx).Select("serial", "revoked_at", "reason").
		Where("ca_id = ? AND revoked_at IS NOT NULL AND not_after > ?", caID, now).Order("revoked_at, serial").Find(&rs).Error
	return rs, err
}

// lastRevocation is the latest revocation time of a CA's certificates (zero when none).
func (st store) lastRevocation(ctx context.Context, caID string) (time.Time, error) {
	var r certRow
	err := st.db.Read(ctx).Select("revoked_at").Where("ca_id = ? AND revoked_at IS NOT NULL", caID).
		Order("revoked_at DESC").Limit(1).Take(&r).Error
	if db.IsNotFound(err) || r.RevokedAt == nil {
		return time.Time{}, nil
	}
	return *r.RevokedAt, err
}

// crl returns the stored CRL of a CA; false when none was made yet.
func (st store) crl(ctx context.Context, caID string) (crlRow, bool, error) {
	var r crlRow
	err := st.db.Read(ctx).Where("ca_id = ?", caID).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// putCRL stores a CRL numbered prev+1 only if the stored one is still number prev (0:
// none); false when another replica got there first.
func (st store) putCRL(ctx context.Context, prev int64, r *crlRow) (bool, error) {
	w := st.db.Write(ctx)
	if prev == 0 {
		err := w.Create(r).Error
		if db.IsUniqueViolation(err) {
			return false, nil
		}
		return err == nil, err
	}
	res := w.Model(&crlRow{}).Where("ca_id = ? AND number = ?", r.CAID, prev).
		Updates(map[string]any{"number": r.Number, "der": r.DER, "this_update": r.ThisUpdate, "next_update": r.NextUpdate})
	return res.RowsAffected == 1, res.Error
}
