package issuance

import "context"

type holderRow struct {
	UserID       string
	DeviceID     *string
	DeviceSerial *string
	DeviceStatus *string
	Revoked      bool
}

// holder reads the confirmed device certificate of fingerprint fp with its device.
func (st store) holder(ctx context.Context, fp string) (Holder, bool, error) {
	var rs []holderRow
	err := st.db.Read(ctx).Table("issuance_certificates AS c").
		Select("i.user_id, d.id AS device_id, d.serial AS device_serial, d.status AS device_status, c.revoked").
		Joins("JOIN issuances i ON i.id = c.issuance_id").
		Joins("LEFT JOIN devices d ON d.id = COALESCE(c.device_id, i.device_id)").
		Where("c.fingerprint = ? AND c.confirmed = ?", fp, true).Limit(1).Scan(&rs).Error
	if err != nil || len(rs) == 0 {
		return Holder{}, false, err
	}
	r := rs[0]
	h := Holder{UserID: r.UserID, Revoked: r.Revoked}
	if r.DeviceID != nil {
		h.DeviceID = *r.DeviceID
	}
	if r.DeviceSerial != nil {
		h.DeviceSerial = *r.DeviceSerial
	}
	if r.DeviceStatus != nil {
		h.DeviceStatus = *r.DeviceStatus
	}
	return h, true, nil
}
