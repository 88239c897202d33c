package issuance

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

type issuanceRow struct {
	ID               string `gorm:"primaryKey"`
	UserID           string
	UserLogin        string
	RequestedByID    string
	RequestedByLogin string
	DeviceTypeID     string
	TemplateIDs      string // JSON array
	Policy           string // JSON PolicySnapshot
	State            string
	Serial           string
	DeviceID         *string
	SkziNumber       string `gorm:"column:skzi_number"`
	SkziDate         string `gorm:"column:skzi_date"`
	Smev             string
	DecidedByID      string
	DecidedByLogin   string
	DecisionComment  string
	DecidedAt        *time.Time
	Error            string
	SearchText       string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (issuanceRow) TableName() string { return "issuances" }

func (r *issuanceRow) templates() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(r.TemplateIDs), &out)
	return out
}

func (r *issuanceRow) toAPI(certs []certRow) Issuance {
	var p PolicySnapshot
	_ = json.Unmarshal([]byte(r.Policy), &p)
	out := Issuance{ID: r.ID, UserID: r.UserID, UserLogin: r.UserLogin, RequestedByLogin: r.RequestedByLogin,
		DeviceTypeID: r.DeviceTypeID, TemplateIDs: r.templates(), Policy: p, State: r.State, Serial: r.Serial,
		DeviceID: r.DeviceID, SKZINumber: r.SkziNumber, SKZIDate: r.SkziDate, DecidedByLogin: r.DecidedByLogin,
		DecisionComment: r.DecisionComment, DecidedAt: r.DecidedAt, Error: r.Error, Certificates: []Certificate{},
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	for _, c := range certs {
		out.Certificates = append(out.Certificates, c.toAPI())
	}
	return out
}

type certRow struct {
	ID          string `gorm:"primaryKey"`
	IssuanceID  string
	DeviceID    *string
	TemplateID  string
	Serial      string
	Fingerprint string
	Subject     string
	NotAfter    time.Time
	PEM         string `gorm:"column:pem"`
	Confirmed   bool
	Revoked     bool
	CreatedAt   time.Time
}

func (certRow) TableName() string { return "issuance_certificates" }

func (c certRow) toAPI() Certificate {
	return Certificate{ID: c.ID, TemplateID: c.TemplateID, Serial: c.Serial, FingerprintSHA256: c.Fingerprint,
		Subject: c.Subject, NotAfter: c.NotAfter, PEM: c.PEM, Confirmed: c.Confirmed, Revoked: c.Revoked}
}

type eventRow struct {
	ID         string `gorm:"primaryKey"`
	IssuanceID *string
	DeviceID   *string
	FromState  string
	ToState    string
	ActorID    string
	ActorLogin string
	Comment    string
	At         time.Time
}

func (eventRow) TableName() string { return "issuance_events" }

type deviceRow struct {
	ID           string `gorm:"primaryKey"`
	UserID       string
	UserLogin    string
	DeviceTypeID string
	Serial       string
	Label        string
	Status       string
	AdminPIN     string `gorm:"column:admin_pin"`
	SkziNumber   string `gorm:"column:skzi_number"`
	SkziDate     string `gorm:"column:skzi_date"`
	SearchText   string
	IssuedAt     time.Time
	RevokedAt    *time.Time
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (deviceRow) TableName() string { return "devices" }

func (d deviceRow) toAPI() Device {
	return Device{ID: d.ID, UserID: d.UserID, UserLogin: d.UserLogin, DeviceTypeID: d.DeviceTypeID, Serial: d.Serial,
		Label: d.Label, Status: d.Status, SKZINumber: d.SkziNumber, SKZIDate: d.SkziDate, IssuedAt: d.IssuedAt,
		RevokedAt: d.RevokedAt, HasAdminPIN: d.AdminPIN != "", Version: d.Version, CreatedAt: d.CreatedAt}
}

func encodeJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) list(ctx context.Context, userID string, p list.Params) (list.Page[issuanceRow], error) {
	q := st.db.Read(ctx).Model(&issuanceRow{})
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	return list.Run[issuanceRow](q, p, Spec, nil)
}

// get loads issuance id (of userID when not empty); lock takes a row lock on PostgreSQL.
func (st store) get(ctx context.Context, id, userID string, lock bool) (issuanceRow, error) {
	var r issuanceRow
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("issuance")
	}
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	q = q.Where("id = ?", id)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	if err := q.Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, apperr.NotFound("issuance")
		}
		return r, err
	}
	return r, nil
}

func (st store) insert(ctx context.Context, r *issuanceRow) error {
	return st.db.Write(ctx).Create(r).Error
}

// move changes the state of id from one of from, guarded by the version read: false when
// someone else moved it first (exactly one of concurrent approvals wins).
func (st store) move(ctx context.Context, id string, version int, from []string, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&issuanceRow{}).Where("id = ? AND version = ? AND state IN ?", id, version, from).Updates(fields)
	return res.RowsAffected == 1, res.Error
}

func (st store) event(ctx context.Context, e *eventRow) error {
	return st.db.Write(ctx).Create(e).Error
}

func (st store) events(ctx context.Context, issuanceIDs []string) ([]eventRow, error) {
	var out []eventRow
	err := st.db.Read(ctx).Where("issuance_id IN ?", issuanceIDs).Order("at, id").Find(&out).Error
	return out, err
}

func (st store) certs(ctx context.Context, issuanceIDs []string) (map[string][]certRow, error) {
	out := map[string][]certRow{}
	if len(issuanceIDs) == 0 {
		return out, nil
	}
	var rows []certRow
	if err := st.db.Read(ctx).Where("issuance_id IN ?", issuanceIDs).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.IssuanceID] = append(out[r.IssuanceID], r)
	}
	return out, nil
}

func (st store) insertCert(ctx context.Context, r *certRow) error {
	return st.db.Write(ctx).Create(r).Error
}

func (st store) updateCerts(ctx context.Context, ids []string, fields map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	return st.db.Write(ctx).Model(&certRow{}).Where("id IN ?", ids).Updates(fields).Error
}

// liveSerial says whether a device with serial is issued or blocked (whatever its type:
// one physical token is registered once).
func (st store) liveSerial(ctx context.Context, serial string) (bool, error) {
	var n int64
	err := st.db.Write(ctx).Model(&deviceRow{}).Where("serial = ? AND status <> ?", serial, DeviceRevoked).Count(&n).Error
	return n > 0, err
}

// holdings counts userID's live devices (issued or blocked) and open issuances (neither
// issued, rejected nor cancelled).
func (st store) holdings(ctx context.Context, userID string) (devices, open int64, err error) {
	if err = st.db.Write(ctx).Model(&deviceRow{}).Where("user_id = ? AND status <> ?", userID, DeviceRevoked).Count(&devices).Error; err != nil {
		return 0, 0, err
	}
	err = st.db.Write(ctx).Model(&issuanceRow{}).
		Where("user_id = ? AND state NOT IN ?", userID, []string{StateIssued, StateRejected, StateCancelled}).Count(&open).Error
	return devices, open, err
}

func (st store) insertDevice(ctx context.Context, d *deviceRow) error {
	err := st.db.Write(ctx).Create(d).Error
	if err != nil && isUniqueViolation(err) {
		return errSerialTaken
	}
	return err
}

func isUniqueViolation(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "unique") || strings.Contains(m, "duplicate key")
}

func (st store) listDevices(ctx context.Context, userID string, p list.Params) (list.Page[deviceRow], error) {
	q := st.db.Read(ctx).Model(&deviceRow{})
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	return list.Run[deviceRow](q, p, DeviceSpec, nil)
}

func (st store) getDevice(ctx context.Context, id string, lock bool) (deviceRow, error) {
	return db.Get[deviceRow](ctx, st.db, id, "device", lock)
}

func (st store) updateDevice(ctx context.Context, id string, version int, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&deviceRow{}).Where("id = ? AND version = ?", id, version).Updates(fields)
	return res.RowsAffected == 1, res.Error
}

// deviceCerts are the certificates written on device id, revoked ones included (the
// device page shows them all, each with its state).
func (st store) deviceCerts(ctx context.Context, deviceID string) ([]certRow, error) {
	var out []certRow
	err := st.db.Write(ctx).Where("device_id = ?", deviceID).Order("created_at, id").Find(&out).Error
	return out, err
}

// deviceEvents are the transitions of every issuance of device id.
func (st store) deviceEvents(ctx context.Context, deviceID string) ([]eventRow, error) {
	var out []eventRow
	err := st.db.Read(ctx).Where("device_id = ? OR issuance_id IN (?)", deviceID,
		st.db.Read(ctx).Model(&issuanceRow{}).Select("id").Where("device_id = ?", deviceID)).
		Order("at, id").Find(&out).Error
	return out, err
}
