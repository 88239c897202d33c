package mfa

import (
	"context"
	"github.com/google/uuid"
	"time"
)

type passkeyRow struct {
	ID           string `gorm:"primaryKey"`
	UserID       string
	CredentialID string
	PublicKey    []byte
	SignCount    int64
	Transports   string
	AAGUID       string `gorm:"column:aaguid"`
	Data         string
	Name         string
	CreatedAt    time.Time
	LastUsedAt   *time.Time
}

func (passkeyRow) TableName() string { return "passkeys" }

type ceremonyRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	Data      string
	ExpiresAt time.Time
}

func (ceremonyRow) TableName() string { return "webauthn_ceremonies" }

// passkeys lists user id's passkeys, oldest first.
func (st store) passkeys(ctx context.Context, userID string) ([]passkeyRow, error) {
	var out []passkeyRow
	err := st.db.Read(ctx).Where("user_id = ?", userID).Order("created_at, id").Find(&out).Error
	return out, err
}

// passkeyByCredential reads the passkey of a credential id (base64url); false when none.
func (st store) passkeyByCredential(ctx context.Context, credID string) (passkeyRow, bool, error) {
	var rows []passkeyRow
	err := st.db.Write(ctx).Where("credential_id = ?", credID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return passkeyRow{}, false, err
	}
	return rows[0], true, nil
}

func (st store) passkey(ctx context.Context, userID, id string) (passkeyRow, bool, error) {
	// Not an id at all (a NUL byte makes PostgreSQL refuse the query): simply none.
	if _, err := uuid.Parse(id); err != nil {
		return passkeyRow{}, false, nil
	}
	var rows []passkeyRow
	err := st.db.Write(ctx).Where("user_id = ? AND id = ?", userID, id).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return passkeyRow{}, false, err
	}
	return rows[0], true, nil
}

func (st store) countPasskeys(ctx context.Context, userID string) (int64, error) {
	var n int64
	err := st.db.Read(ctx).Model(&passkeyRow{}).Where("user_id = ?", userID).Count(&n).Error
	return n, err
}

func (st store) putPasskey(ctx context.Context, r *passkeyRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// usePasskey records a sign-in with a passkey: its new counter and record, and when.
// It refuses (false) when another request moved the counter since it was read.
func (st store) usePasskey(ctx context.Context, r passkeyRow, oldCount int64) (bool, error) {
	res := st.db.Write(ctx).Model(&passkeyRow{}).Where("id = ? AND sign_count = ?", r.ID, oldCount).
		Updates(map[string]any{"sign_count": r.SignCount, "data": r.Data, "last_used_at": r.LastUsedAt})
	return res.RowsAffected == 1, res.Error
}

func (st store) renamePasskey(ctx context.Context, id, name string) error {
	return st.db.Write(ctx).Model(&passkeyRow{}).Where("id = ?", id).Update("name", name).Error
}

func (st store) deletePasskey(ctx context.Context, id string) error {
	return st.db.Write(ctx).Where("id = ?", id).Delete(&passkeyRow{}).Error
}

// deletePasskeys deletes user id's passkeys and ceremonies; it answers how many passkeys.
func (st store) deletePasskeys(ctx context.Context, userID string) (int64, error) {
	res := st.db.Write(ctx).Where("user_id = ?", userID).Delete(&passkeyRow{})
	if res.Error != nil {
		return 0, res.Error
	}
	return res.RowsAffected, st.db.Write(ctx).Where("user_id = ?", userID).Delete(&ceremonyRow{}).Error
}

func (st store) putCeremony(ctx context.Context, r *ceremonyRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// takeCeremony deletes and answers an open ceremony of purpose; false when it is gone,
// expired or of another purpose. Deleting first makes every ceremony single use.
func (st store) takeCeremony(ctx context.Context, id, purpose string, now time.Time) (ceremonyRow, bool, error) {
	var rows []ceremonyRow
	if err := st.db.Write(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil || len(rows) == 0 {
		return ceremonyRow{}, false, err
	}
	res := st.db.Write(ctx).Where("id = ?", id).Delete(&ceremonyRow{})
	if res.Error != nil || res.RowsAffected != 1 {
		return ceremonyRow{}, false, res.Error
	}
	r := rows[0]
	return r, r.Purpose == purpose && r.ExpiresAt.After(now), nil
}

func (st store) sweepCeremonies(ctx context.Context, now time.Time) error {
	return st.db.Write(ctx).Where("expires_at <= ?", now).Delete(&ceremonyRow{}).Error
}

// userState reads login, display name and whether user id is active; false when none.
func (st store) userState(ctx context.Context, id string) (login, name string, active, ok bool, err error) {
	var rows []struct {
		Login       string
		DisplayName string
		Active      bool
	}
	err = st.db.Read(ctx).Table("users").Select("login, display_name, active").Where("id = ?", id).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", "", false, false, err
	}
	return rows[0].Login, rows[0].DisplayName, rows[0].Active, true, nil
}

func (st store) deleteCeremony(ctx context.Context, id string) error {
	return st.db.Write(ctx).Where("id = ?", id).Delete(&ceremonyRow{}).Error
}
