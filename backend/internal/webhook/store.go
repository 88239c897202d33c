package webhook

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// hookRow is the store's shape of a webhook; the API never sees it.
type hookRow struct {
	ID        string `gorm:"primaryKey"`
	SystemID  string
	URL       string `gorm:"column:url"`
	Events    string // JSON array
	Enabled   bool
	Secret    string // sealed
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (hookRow) TableName() string { return "webhooks" }

func (r *hookRow) events() []string {
	out := []string{}
	_ = json.Unmarshal([]byte(r.Events), &out)
	return out
}

func (r *hookRow) toAPI() Webhook {
	return Webhook{ID: r.ID, SystemID: r.SystemID, URL: r.URL, Events: r.events(), Enabled: r.Enabled,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// deliveryRow is a delivery: the outbox row and its log.
type deliveryRow struct {
	ID              string `gorm:"primaryKey"`
	WebhookID       string
	SystemID        string
	EventID         string
	EventType       string
	URL             string `gorm:"column:url"`
	Payload         string
	State           string
	Attempts        int
	LastStatus      *int
	LastError       string
	ResponseExcerpt string
	DurationMS      int64 `gorm:"column:duration_ms"`
	NextAttemptAt   *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r *deliveryRow) toAPI() Delivery {
	return Delivery{ID: r.ID, WebhookID: r.WebhookID, EventID: r.EventID, Event: r.EventType, URL: r.URL, State: r.State,
		Attempts: r.Attempts, LastStatus: r.LastStatus, LastError: r.LastError, ResponseExcerpt: r.ResponseExcerpt,
		DurationMS: r.DurationMS, NextAttemptAt: r.NextAttemptAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type noticeRow struct {
	CertificateID string `gorm:"primaryKey"`
	Days          int    `gorm:"primaryKey"`
	CreatedAt     time.Time
}

func (noticeRow) TableName() string { return "webhook_expiry_notices" }

// store is the only code of this package that touches *gorm.DB.
type store struct{ db *db.DB }

func (st store) list(ctx context.Context, systemID string, p list.Params) (list.Page[hookRow], error) {
	return list.Run[hookRow](st.db.Read(ctx).Model(&hookRow{}).Where("system_id = ?", systemID), p, Spec, nil)
}

func (st store) get(ctx context.Context, systemID, id string, lock bool) (hookRow, error) {
	var r hookRow
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("webhook")
	}
	if _, err := uuid.Parse(systemID); err != nil {
		return r, apperr.NotFound("webhook")
	}
	q := st.db.Read(ctx)
	if lock {
		q = st.db.LockForUpdate(st.db.Write(ctx))
	}
	if err := q.Where("id = ? AND system_id = ?", id, systemID).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, apperr.NotFound("webhook")
		}
		return r, err
	}
	return r, nil
}

func (st store) insert(ctx context.Context, r *hookRow) error {
	return st.db.Write(ctx).Create(r).Error
}

func (st store) update(ctx context.Context, id string, version int, fields map[string]any) (bool, error) {
	res := st.db.Write(ctx).Model(&hookRow{}).Where("id = ? AND version = ?", id, version).Updates(fields)
	return res.RowsAffected == 1, res.Error
}

func (st store) delete(ctx context.Context, id string) error {
	tx := st.db.Write(ctx)
	if err := tx.Where("webhook_id = ?", id).Delete(&deliveryRow{}).Error; err != nil {
		return err
	}
	return tx.Where("id = ?", id).Delete(&hookRow{}).Error
}

// subscribers are the enabled webhooks of a system (in ctx's transaction).
func (st store) subscribers(ctx context.Context, systemID string) ([]hookRow, error) {
	var out []hookRow
	err := st.db.Write(ctx).Where("system_id = ? AND enabled = ?", systemID, true).Find(&out).Error
	return out, err
}

func (st store) insertDelivery(ctx context.Context, r *deliveryRow) error {
	return st.db.Write(ctx).Create(r).Error
}

func (st store) listDeliveries(ctx context.Context, hookID string, p list.Params) (list.Page[deliveryRow], error) {
	return list.Run[deliveryRow](st.db.Read(ctx).Model(&deliveryRow{}).Where("webhook_id = ?", hookID), p, DeliverySpec, nil)
}

func (st store) getDelivery(ctx context.Context, hookID, id string) (deliveryRow, error) {
	var r deliveryRow
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound("delivery")
	}
	if err := st.db.Write(ctx).Where("id = ? AND webhook_id = ?", id, hookID).Take(&r).Error; err != nil {
		if db.IsNotFound(err) {
			return r, apperr.NotFound("delivery")
		}
		return r, err
	}
	return r, nil
}

// claim takes up to n due pending deliveries and leases them until lease: on
// PostgreSQL with FOR UPDATE SKIP LOCKED, so replicas share the work and never send a
// row twice at once; a replica that dies mid-delivery leaves a lease that runs out.
func (st store) claim(ctx context.Context, now, lease time.Time, n int) ([]deliveryRow, error) {
	var out []deliveryRow
	err := st.db.Tx(ctx, func(ctx context.Context) error {
		q := st.db.Write(ctx).Where("state = ? AND next_attempt_at <= ?", StatePending, now).
			Order("next_attempt_at").Limit(n)
		if st.db.Dialect == db.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&out).Error; err != nil || len(out) == 0 {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ID
		}
		return st.db.Write(ctx).Model(&deliveryRow{}).Where("id IN ?", ids).Update("next_attempt_at", lease).Error
	})
	return out, err
}

// hookByID loads webhook id for a delivery; false when it is gone.
func (st store) hookByID(ctx context.Context, id string) (hookRow, bool, error) {
	var r hookRow
	err := st.db.Read(ctx).Where("id = ?", id).Take(&r).Error
	if db.IsNotFound(err) {
		return r, false, nil
	}
	return r, err == nil, err
}

func (st store) updateDelivery(ctx context.Context, id string, fields map[string]any) error {
	return st.db.Write(ctx).Model(&deliveryRow{}).Where("id = ?", id).Updates(fields).Error
}

// noticeOnce records that the warning days before certificate id's end was sent;
// false when it already was.
func (st store) noticeOnce(ctx context.Context, certID string, days int, now time.Time) (bool, error) {
	res := st.db.Write(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&noticeRow{CertificateID: certID, Days: days, CreatedAt: now})
	return res.RowsAffected == 1, res.Error
}

// failedSince counts the deliveries given up on (failed) that were created after since.
func (st store) failedSince(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := st.db.Read(ctx).Model(&deliveryRow{}).Where("state = ? AND created_at > ?", StateFailed, since).Count(&n).Error
	return n, err
}
