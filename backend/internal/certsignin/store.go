package certsignin

import (
	"context"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

type boundRow struct {
	ID             string `gorm:"primaryKey"`
	UserID         string
	Fingerprint    string
	Subject        string
	Issuer         string
	Serial         string
	NotBefore      *time.Time
	NotAfter       *time.Time
	PEM            string `gorm:"column:pem"`
	Comment        string
	CreatedByID    string
	CreatedByLogin string
	CreatedAt      time.Time
}

func (boundRow) TableName() string { return "user_certificates" }

func (r boundRow) toAPI() Bound {
	return Bound{ID: r.ID, UserID: r.UserID, FingerprintSHA256: r.Fingerprint, Subject: r.Subject, Issuer: r.Issuer,
		Serial: r.Serial, NotBefore: r.NotBefore, NotAfter: r.NotAfter, Comment: r.Comment,
		CreatedByLogin: r.CreatedByLogin, CreatedAt: r.CreatedAt}
}

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

// insert writes a binding; a fingerprint bound already is a unique violation.
func (st store) insert(ctx context.Context, r *boundRow) error {
	return st.db.Write(ctx).Create(r).Error
}

func (st store) list(ctx context.Context, userID string, p list.Params) (list.Page[boundRow], error) {
	return list.Run[boundRow](st.db.Read(ctx).Model(&boundRow{}).Where("user_id = ?", userID), p, Spec, nil)
}

// get reads binding id of user userID (a 404 for another user's).
func (st store) get(ctx context.Context, userID, id string) (boundRow, error) {
	r, err := db.Get[boundRow](ctx, st.db, id, "certificate", false)
	if err == nil && r.UserID != userID {
		return boundRow{}, notFound()
	}
	return r, err
}

func (st store) delete(ctx context.Context, id string) error {
	return st.db.Write(ctx).Where("id = ?", id).Delete(&boundRow{}).Error
}

// byFingerprint finds the binding of fingerprint fp; false when there is none.
func (st store) byFingerprint(ctx context.Context, fp string) (boundRow, bool, error) {
	var rs []boundRow
	err := st.db.Read(ctx).Where("fingerprint = ?", fp).Limit(1).Find(&rs).Error
	if err != nil || len(rs) == 0 {
		return boundRow{}, false, err
	}
	return rs[0], true, nil
}
