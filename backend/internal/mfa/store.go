package mfa

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"custos/internal/platform/db"
)

type factorRow struct {
	UserID      string `gorm:"primaryKey"`
	Kind        string `gorm:"primaryKey"`
	Secret      string // sealed with the app key
	Active      bool
	LastStep    int64
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

func (factorRow) TableName() string { return "user_factors" }

type codeRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (codeRow) TableName() string { return "recovery_codes" }

type challengeRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	Login      string
	Provider   string
	RememberMe bool
	ExpiresAt  time.Time
}

func (challengeRow) TableName() string { return "login_challenges" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

// factor reads user id's TOTP factor (locked for update when lock); false when none.
func (st store) factor(ctx context.Context, userID string, lock bool) (factorRow, bool, error) {
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	var rows []factorRow
	err := q.Where("user_id = ? AND kind = ?", userID, KindTOTP).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return factorRow{}, false, err
	}
	return rows[0], true, nil
}

// putFactor writes r whole, replacing user id's factor of its kind.
func (st store) putFactor(ctx context.Context, r *factorRow) error {
	return st.db.Write(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(r).Error
}

// saveStep records the last time step accepted.
func (st store) saveStep(ctx context.Context, userID string, step int64) error {
	return st.db.Write(ctx).Model(&factorRow{}).Where("user_id = ? AND kind = ?", userID, KindTOTP).
		Update("last_step", step).Error
}

// deleteAll deletes user id's factors, recovery codes and pending challenges; it
// reports whether a factor existed.
func (st store) deleteAll(ctx context.Context, userID string) (bool, error) {
	res := st.db.Write(ctx).Where("user_id = ?", userID).Delete(&factorRow{})
	if res.Error != nil {
		return false, res.Error
	}
	if err := st.db.Write(ctx).Where("user_id = ?", userID).Delete(&codeRow{}).Error; err != nil {
		return false, err
	}
	return res.RowsAffected > 0, st.db.Write(ctx).Where("user_id = ?", userID).Delete(&challengeRow{}).Error
}

// unusedCodes lists user id's recovery codes not used yet.
func (st store) unusedCodes(ctx context.Context, userID string) ([]codeRow, error) {
	var out []codeRow
	err := st.db.Write(ctx).Where("user_id = ? AND used_at IS NULL", userID).Order("id").Find(&out).Error
	return out, err
}

// replaceCodes swaps user id's recovery codes for rows.
func (st store) replaceCodes(ctx context.Context, userID string, rows []codeRow) error {
	if err := st.db.Write(ctx).Where("user_id = ?", userID).Delete(&codeRow{}).Error; err != nil {
		return err
	}
	return st.db.Write(ctx).Create(&rows).Error
}

// useCode marks a recovery code used; false when another request used it first.
func (st store) useCode(ctx context.Context, id string, now time.Time) (bool, error) {
	res := st.db.Write(ctx).Model(&codeRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", now)
	return res.RowsAffected == 1, res.Error
}

func (st store) putChallenge(ctx context.Context, r *challengeRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// challenge reads a challenge that has not expired at now; false when none.
func (st store) challenge(ctx context.Context, id string, now time.Time) (challengeRow, bool, error) {
	var rows []challengeRow
	err := st.db.Read(ctx).Where("id = ? AND expires_at > ?", id, now).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return challengeRow{}, false, err
	}
	return rows[0], true, nil
}

// takeChallenge deletes a challenge; false when it was already gone.
func (st store) takeChallenge(ctx context.Context, id string) (bool, error) {
	res := st.db.Write(ctx).Where("id = ?", id).Delete(&challengeRow{})
	return res.RowsAffected == 1, res.Error
}

// sweepChallenges deletes the challenges expired at now.
func (st store) sweepChallenges(ctx context.Context, now time.Time) error {
	return st.db.Write(ctx).Where("expires_at <= ?", now).Delete(&challengeRow{}).Error
}

// user reads the login of user id, or the id of a login (whichever is given); false when
// there is no such user.
func (st store) user(ctx context.Context, id, login string) (string, string, bool, error) {
	var rows []struct{ ID, Login string }
	q := st.db.Read(ctx).Table("users").Select("id, login")
	if id != "" {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("login = ?", login)
	}
	if err := q.Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return "", "", false, err
	}
	return rows[0].ID, rows[0].Login, true, nil
}
