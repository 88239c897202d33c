package session

import (
	"context"
	"time"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// store is the only code of this package that touches *gorm.DB: sessions and the
// account fields sign-in reads here, throttle rows in store_throttle.go.
type store struct{ db *db.DB }

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
	// SignInMethod is "certificate" or "password+certificate" (certificate.go), else "".
	SignInMethod string
	// EnrolmentOnly: the session may only set up a second factor (policy.go).
	EnrolmentOnly bool
}

func (sessionRow) TableName() string { return "sessions" }

// principalRow is what a session lookup reads in one query.
type principalRow struct {
	SessionID   string
	UserID      string
	Login       string
	DisplayName string
	Active      bool
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	// EnrolmentOnly is the session's (policy.go).
	EnrolmentOnly bool
}

// credRow is what a password sign-in reads of an account.
type credRow struct {
	ID           string
	Login        string
	DisplayName  string
	Active       bool
	PasswordHash string
	LDAPPrecheck bool `gorm:"column:ldap_precheck"`
}

// credentials reads the account of login (a zero credRow when there is none).
func (st store) credentials(ctx context.Context, login string) (credRow, error) {
	var u credRow
	err := st.db.Read(ctx).Table("users").Select("id, login, display_name, active, password_hash, ldap_precheck").
		Where("login = ?", login).Take(&u).Error
	if db.IsNotFound(err) {
		return u, nil
	}
	return u, err
}

// passwordHash reads the local password hash of user id ("" when it has none).
func (st store) passwordHash(ctx context.Context, userID string) (string, error) {
	var hash string
	err := st.db.Read(ctx).Table("users").Where("id = ?", userID).Pluck("password_hash", &hash).Error
	return hash, err
}

// login reads the login of user id; false when there is no such user.
func (st store) login(ctx context.Context, id string) (string, bool, error) {
	var logins []string
	if err := st.db.Read(ctx).Table("users").Where("id = ?", id).Limit(1).Pluck("login", &logins).Error; err != nil {
		return "", false, err
	}
	if len(logins) == 0 {
		return "", false, nil
	}
	return logins[0], true, nil
}

// principal reads session id with its user; false when there is no such session.
func (st store) principal(ctx context.Context, id string) (principalRow, bool, error) {
	var r principalRow
	err := st.db.Read(ctx).Table("sessions s").
		Select("s.id AS session_id, u.id AS user_id, u.login, u.display_name, u.active, s.created_at, s.last_seen_at, s.expires_at, s.enrolment_only").
		Joins("JOIN users u ON u.id = s.user_id").Where("s.id = ?", id).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

// groupCodes reads the codes of user id's groups, sorted.
func (st store) groupCodes(ctx context.Context, userID string) ([]string, error) {
	var groups []string
	err := st.db.Read(ctx).Table("groups g").Joins("JOIN user_groups ug ON ug.group_id = g.id").
		Where("ug.user_id = ?", userID).Order("g.code").Pluck("g.code", &groups).Error
	return groups, err
}

// openSession writes a new session, the user's last sign-in time and the end of the
// account's growing delay, in the transaction ctx carries (db.ErrNoTx without one).
func (st store) openSession(ctx context.Context, sess *sessionRow, login string) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	if err := tx.Create(sess).Error; err != nil {
		return err
	}
	if err := tx.Table("users").Where("id = ?", sess.UserID).Update("last_login_at", sess.CreatedAt).Error; err != nil {
		return err
	}
	return tx.Where("key = ?", acctKey(login)).Delete(&throttleRow{}).Error
}

// touchSession moves a session's last activity to now.
func (st store) touchSession(ctx context.Context, id string, now time.Time) error {
	return st.db.Write(ctx).Model(&sessionRow{}).Where("id = ?", id).Update("last_seen_at", now).Error
}

// deleteSession ends session id.
func (st store) deleteSession(ctx context.Context, id string) error {
	return st.db.Write(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error
}

// endSessions deletes every session of userID but keep ("" keeps none) and says how many.
func (st store) endSessions(ctx context.Context, userID, keep string) (int64, error) {
	q := st.db.Write(ctx).Where("user_id = ?", userID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	res := q.Delete(&sessionRow{})
	return res.RowsAffected, res.Error
}

// sweepSessions deletes the sessions past their absolute timeout or idle since idleSince.
func (st store) sweepSessions(ctx context.Context, now, idleSince time.Time) error {
	return st.db.Write(ctx).Where("expires_at < ? OR last_seen_at < ?", now, idleSince).Delete(&sessionRow{}).Error
}

// listSessions lists the sessions of userID still open at now (seen since idleSince).
func (st store) listSessions(ctx context.Context, userID string, now, idleSince time.Time, p list.Params) (list.Page[sessionRow], error) {
	base := st.db.Read(ctx).Model(&sessionRow{}).
		Where("user_id = ? AND expires_at > ? AND last_seen_at > ?", userID, now, idleSince)
	return list.Run[sessionRow](base, p, SessionSpec, nil)
}
