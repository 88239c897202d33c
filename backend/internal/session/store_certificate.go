package session

import (
	"context"

	"custos/internal/platform/db"
)

// account reads user id's login and active flag; false when there is no such user.
func (st store) account(ctx context.Context, id string) (credRow, bool, error) {
	var rs []credRow
	err := st.db.Read(ctx).Table("users").Select("id, login, display_name, active").Where("id = ?", id).Limit(1).Find(&rs).Error
	if err != nil || len(rs) == 0 {
		return credRow{}, false, err
	}
	return rs[0], true, nil
}

// markSession records how session id was signed in, in ctx's transaction.
func (st store) markSession(ctx context.Context, id, method string) error {
	tx, err := db.TxOf(ctx)
	if err != nil {
		return err
	}
	return tx.Model(&sessionRow{}).Where("id = ?", id).Update("sign_in_method", method).Error
}
