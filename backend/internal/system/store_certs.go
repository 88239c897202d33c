package system

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// certRow is the store's shape of a system's certificate.
type certRow struct {
	ID                string `gorm:"primaryKey"`
	SystemID          string
	Origin            string
	Subject           string
	Issuer            string
	Serial            string
	FingerprintSHA256 string `gorm:"column:fingerprint_sha256"`
	KeyAlgorithm      string
	NotBefore         time.Time
	NotAfter          time.Time
	Enabled           bool
	RevokedAt         *time.Time
	RevocationReason  *string
	PEM               string `gorm:"column:pem"`
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (certRow) TableName() string { return "system_certificates" }

// status is the certificate's status at now: revoked > expired > disabled > active.
func (r *certRow) status(now time.Time) string {
	switch {
	case r.RevokedAt != nil:
		return StatusRevoked
	case !now.Before(r.NotAfter):
		return StatusExpired
	case !r.Enabled:
		return StatusDisabled
	}
	return StatusActive
}

func (r *certRow) toAPI(now time.Time) Certificate {
	st := r.status(now)
	return Certificate{ID: r.ID, SystemID: r.SystemID, Origin: r.Origin, Subject: r.Subject, Issuer: r.Issuer,
		Serial: r.Serial, FingerprintSHA256: r.FingerprintSHA256, KeyAlgorithm: r.KeyAlgorithm, NotBefore: r.NotBefore,
		NotAfter: r.NotAfter, Status: st, Enabled: r.Enabled,
		ExpiringSoon: (st == StatusActive || st == StatusDisabled) && r.NotAfter.Sub(now) <= ExpiringSoon,
		RevokedAt:    r.RevokedAt, RevocationReason: r.RevocationReason, PEM: r.PEM, Version: r.Version,
		CreatedAt: r.CreatedAt}
}

func (st store) listCerts(ctx context.Context, systemID string, p list.Params, now time.Time) (list.Page[certRow], error) {
	custom := map[string]list.Apply{
		"status": func(q *gorm.DB, v any) *gorm.DB {
			switch v {
			case StatusRevoked:
				return q.Where("revoked_at IS NOT NULL")
			case StatusExpired:
				return q.Where("revoked_at IS NULL AND not_after <= ?", now)
			case StatusDisabled:
				return q.Where("revoked_at IS NULL AND not_after > ? AND enabled = ?", now, false)
			}
			return q.Where("revoked_at IS NULL AND not_after > ? AND enabled = ?", now, true)
		},
	}
	base := st.db.Read(ctx).Model(&certRow{}).Where("system_id = ?", systemID)
	return list.Run[certRow](base, p, CertificateSpec, custom)
}

// getCert loads certificate id of system systemID; lock takes a row lock on PostgreSQL.
// expiringCerts are the enabled, unrevoked certificates of enabled systems ending in (from, to].
func (st store) expiringCerts(ctx context.Context, from, to time.Time) ([]certRow, error) {
	var out []certRow
	err := st.db.Read(ctx).Where("enabled = ? AND revoked_at IS NULL AND not_after > ? AND not_after <= ?", true, from, to).
		Where("system_id IN (?)", st.db.Read(ctx).Model(&systemRow{}).Select("id").Where("enabled = ?", true)).
		Order("not_after").Find(&out).Error
	return out, err
}

func (st store) getCert(ctx context.Context, systemID, id string, lock bool) (certRow, error) {
	var r certRow
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("certificate")
	}
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	if err := q.Where("id = ? AND system_id = ?", id, systemID).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, apperr.NotFound("certificate")
		}
		return r, err
	}
	return r, nil
}

// fingerprintTaken says whether a certificate with this fingerprint is registered.
func (st store) fingerprintTaken(ctx context.Context, fp string) (bool, error) {
	var n int64
	err := st.db.Write(ctx).Model(&certRow{}).Where("fingerprint_sha256 = ?", fp).Count(&n).Error
	return n > 0, err
}

func (st store) insertCert(ctx context.Context, r *certRow) error {
	err := st.db.Write(ctx).Create(r).Error
	switch {
	case db.IsUniqueViolation(err):
		return errDuplicate
	case isForeignKeyViolation(err):
		return apperr.NotFound("system")
	}
	return err
}

// isForeignKeyViolation reports a write refused by a foreign key on either database.
func isForeignKeyViolation(err error) bool {
	return errors.Is(err, gorm.ErrForeignKeyViolated) || (err != nil && (strings.Contains(err.Error(), "FOREIGN KEY constraint failed") ||
		strings.Contains(err.Error(), "violates foreign key constraint")))
}

// updateCert applies fields to certificate id if it is still at version; false when not.
func (st store) updateCert(ctx context.Context, id string, version int, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&certRow{}).Where("id = ? AND version = ?", id, version).Updates(fields)
	return res.RowsAffected == 1, res.Error
}

// entry is what the mTLS entry needs of a certificate and its system, in one read.
type entry struct {
	certID, subject      string
	notBefore, notAfter  time.Time
	enabled, revoked     bool
	systemID, systemName string
	systemEnabled        bool
	services             []string
}

// byFingerprint reads the certificate with this fingerprint and its system (nil when unknown).
func (st store) byFingerprint(ctx context.Context, fp string) (*entry, error) {
	var rows []struct {
		ID, Subject, SystemID, SName, SServices string
		NotBefore, NotAfter                     time.Time
		Enabled, SEnabled                       bool
		RevokedAt                               *time.Time
	}
	err := st.db.Read(ctx).Table("system_certificates c").
		Select("c.id, c.subject, c.system_id, c.not_before, c.not_after, c.enabled, c.revoked_at, "+
			"s.name AS s_name, s.enabled AS s_enabled, s.allowed_services AS s_services").
		Joins("JOIN systems s ON s.id = c.system_id").Where("c.fingerprint_sha256 = ?", fp).Limit(1).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	r := rows[0]
	s := systemRow{AllowedServices: r.SServices}
	return &entry{certID: r.ID, subject: r.Subject, notBefore: r.NotBefore, notAfter: r.NotAfter, enabled: r.Enabled,
		revoked: r.RevokedAt != nil, systemID: r.SystemID, systemName: r.SName, systemEnabled: r.SEnabled,
		services: s.services()}, nil
}
