package session

import "context"

// grantFull lifts session id's enrolment-only mark; false when it had none.
func (st store) grantFull(ctx context.Context, id string) (bool, error) {
	res := st.db.Write(ctx).Model(&sessionRow{}).Where("id = ? AND enrolment_only", id).Update("enrolment_only", false)
	return res.RowsAffected > 0, res.Error
}
