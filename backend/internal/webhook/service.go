package webhook

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
	"custos/internal/system"
)

// Systems is what webhooks need of the systems service: that a system exists, and the
// certificates nearing their end.
type Systems interface {
	Get(ctx context.Context, id string) (system.System, error)
	ExpiringCertificates(ctx context.Context, from, to time.Time) ([]system.Certificate, error)
}

// Service holds the webhooks' rules, their outbox and their delivery.
type Service struct {
	db      *db.DB
	store   store
	box     *crypto.Box
	systems Systems
	opts    Options
	client  clientDoer
	log     *slog.Logger
	now     func() time.Time
	wake    chan struct{}
}

// NewService wires the webhooks service.
func NewService(d *db.DB, box *crypto.Box, systems Systems, log *slog.Logger, o Options) *Service {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	return &Service{db: d, store: store{db: d}, box: box, systems: systems, opts: o, client: newClient(o), log: log,
		now:  func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		wake: make(chan struct{}, 1)}
}

// SetClock replaces the service's clock (tests step it past the back-off instead of waiting).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// kick nudges this replica's delivery job after a commit that queued a delivery.
func (s *Service) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func checkEvents(c *validate.Checks, in []string) []string {
	out := []string{}
	for _, e := range in {
		switch {
		case !slices.Contains(Events, e):
			c.Add("events", "unknown", "unknown event "+e)
		case !slices.Contains(out, e):
			out = append(out, e)
		}
	}
	if len(in) == 0 {
		c.Add("events", "required", "name at least one event")
	}
	slices.Sort(out)
	return out
}

func encodeJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// newSecret makes a signing secret and its sealed form.
func (s *Service) newSecret() (string, string, error) {
	secret := "whsec_" + crypto.RandomToken(32)
	sealed, err := s.box.Seal(secret)
	return secret, sealed, err
}

// List lists the webhooks of system id.
func (s *Service) List(ctx context.Context, id string, p list.Params) (list.Page[Webhook], error) {
	if _, err := s.systems.Get(ctx, id); err != nil {
		return list.Page[Webhook]{}, err
	}
	page, err := s.store.list(ctx, id, p)
	return list.Map(page, func(r hookRow) Webhook { return r.toAPI() }), err
}

// Get returns webhook wid of system id.
func (s *Service) Get(ctx context.Context, id, wid string) (Webhook, error) {
	r, err := s.store.get(ctx, id, wid, false)
	return r.toAPI(), err
}

// Create adds a webhook to system id; the answer carries its secret, this once.
func (s *Service) Create(ctx context.Context, id string, in Input) (WithSecret, error) {
	var c validate.Checks
	checkURL(&c, in.URL, s.opts)
	events := checkEvents(&c, in.Events)
	if err := c.Err(); err != nil {
		return WithSecret{}, err
	}
	sys, err := s.systems.Get(ctx, id)
	if err != nil {
		return WithSecret{}, err
	}
	secret, sealed, err := s.newSecret()
	if err != nil {
		return WithSecret{}, err
	}
	now := s.now()
	r := hookRow{ID: uuid.Must(uuid.NewV7()).String(), SystemID: id, URL: in.URL, Events: encodeJSON(events),
		Enabled: in.Enabled == nil || *in.Enabled, Secret: sealed, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.insert(ctx, &r); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceWebhook, ResourceID: r.ID,
			ResourceName: sys.Name + " · " + r.URL, After: r.toAPI()})
	})
	if err != nil {
		return WithSecret{}, err
	}
	return WithSecret{Webhook: r.toAPI(), Secret: secret}, nil
}

// Update changes webhook wid, guarded by the version the client saw.
func (s *Service) Update(ctx context.Context, id, wid string, in Patch) (Webhook, error) {
	var c validate.Checks
	fields := map[string]any{}
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.URL != nil {
		checkURL(&c, *in.URL, s.opts)
		fields["url"] = *in.URL
	}
	if in.Events != nil {
		fields["events"] = encodeJSON(checkEvents(&c, *in.Events))
	}
	if in.Enabled != nil {
		fields["enabled"] = *in.Enabled
	}
	if err := c.Err(); err != nil {
		return Webhook{}, err
	}
	return s.change(ctx, id, wid, in.Version, "update", fields)
}

// change applies fields to webhook wid at version in a transaction with its audit event.
func (s *Service) change(ctx context.Context, id, wid string, version int, action string, fields map[string]any) (Webhook, error) {
	var out Webhook
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.store.get(ctx, id, wid, true)
		if err != nil {
			return err
		}
		before := r.toAPI()
		if version != 0 && r.Version != version {
			return apperr.Conflict(before)
		}
		fields["version"], fields["updated_at"] = r.Version+1, s.now()
		if ok, err := s.store.update(ctx, wid, r.Version, fields); err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		if r, err = s.store.get(ctx, id, wid, false); err != nil {
			return err
		}
		out = r.toAPI()
		return audit.Record(ctx, audit.Entry{Action: action, ResourceType: ResourceWebhook, ResourceID: wid,
			ResourceName: r.URL, Before: before, After: out})
	})
	return out, err
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// RotateSecret replaces webhook wid's secret and answers the new one, this once.
func (s *Service) RotateSecret(ctx context.Context, id, wid string) (WithSecret, error) {
	secret, sealed, err := s.newSecret()
	if err != nil {
		return WithSecret{}, err
	}
	w, err := s.change(ctx, id, wid, 0, "rotate_secret", map[string]any{"secret": sealed})
	if err != nil {
		return WithSecret{}, err
	}
	return WithSecret{Webhook: w, Secret: secret}, nil
}

// Delete removes webhook wid and its delivery log.
func (s *Service) Delete(ctx context.Context, id, wid string) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.store.get(ctx, id, wid, true)
		if err != nil {
			return err
		}
		if err := s.store.delete(ctx, wid); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: ResourceWebhook, ResourceID: wid,
			ResourceName: r.URL, Before: r.toAPI()})
	})
}

// Emit writes event typ of system systemID into the outbox of every enabled webhook of
// the system subscribed to it. It must run in the transaction of the change that causes
// the event (ctx), so the event and the change commit or roll back together.
func (s *Service) Emit(ctx context.Context, systemID, typ string, data any) error {
	hooks, err := s.store.subscribers(ctx, systemID)
	if err != nil {
		return err
	}
	now := s.now()
	ev := Body{ID: uuid.Must(uuid.NewV7()).String(), Type: typ, CreatedAt: now, SystemID: systemID, Data: data}
	payload := encodeJSON(ev)
	queued := false
	for _, h := range hooks {
		if !slices.Contains(h.events(), typ) {
			continue
		}
		if err := s.queue(ctx, h, ev.ID, typ, payload, now); err != nil {
			return err
		}
		queued = true
	}
	if queued {
		db.AfterCommit(ctx, s.kick)
	}
	return nil
}

func (s *Service) queue(ctx context.Context, h hookRow, eventID, typ, payload string, now time.Time) error {
	r := deliveryRow{ID: uuid.Must(uuid.NewV7()).String(), WebhookID: h.ID, SystemID: h.SystemID, EventID: eventID,
		EventType: typ, URL: h.URL, Payload: payload, State: StatePending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now}
	return s.store.insertDelivery(ctx, &r)
}

// ListDeliveries lists the delivery log of webhook wid.
func (s *Service) ListDeliveries(ctx context.Context, id, wid string, p list.Params) (list.Page[Delivery], error) {
	if _, err := s.store.get(ctx, id, wid, false); err != nil {
		return list.Page[Delivery]{}, err
	}
	page, err := s.store.listDeliveries(ctx, wid, p)
	return list.Map(page, func(r deliveryRow) Delivery { return r.toAPI() }), err
}

// SendTest queues a webhook.test event to webhook wid (enabled or not).
func (s *Service) SendTest(ctx context.Context, id, wid string) (Delivery, error) {
	now := s.now()
	ev := Body{ID: uuid.Must(uuid.NewV7()).String(), Type: Test, CreatedAt: now, SystemID: id,
		Data: map[string]any{"webhook_id": wid}}
	return s.requeue(ctx, id, wid, "test", ev.ID, Test, encodeJSON(ev))
}

// Redeliver queues the event of delivery did again, as a new delivery with its own log.
func (s *Service) Redeliver(ctx context.Context, id, wid, did string) (Delivery, error) {
	if _, err := s.store.get(ctx, id, wid, false); err != nil {
		return Delivery{}, err
	}
	d, err := s.store.getDelivery(ctx, wid, did)
	if err != nil {
		return Delivery{}, err
	}
	return s.requeue(ctx, id, wid, "redeliver", d.EventID, d.EventType, d.Payload)
}

func (s *Service) requeue(ctx context.Context, id, wid, action, eventID, typ, payload string) (Delivery, error) {
	var out Delivery
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		h, err := s.store.get(ctx, id, wid, false)
		if err != nil {
			return err
		}
		now := s.now()
		r := deliveryRow{ID: uuid.Must(uuid.NewV7()).String(), WebhookID: h.ID, SystemID: h.SystemID, EventID: eventID,
			EventType: typ, URL: h.URL, Payload: payload, State: StatePending, NextAttemptAt: &now, CreatedAt: now, UpdatedAt: now}
		if err := s.store.insertDelivery(ctx, &r); err != nil {
			return err
		}
		out = r.toAPI()
		db.AfterCommit(ctx, s.kick)
		return audit.Record(ctx, audit.Entry{Action: action, ResourceType: ResourceWebhook, ResourceID: wid,
			ResourceName: h.URL, After: map[string]any{"delivery_id": r.ID, "event_id": eventID, "event": typ}})
	})
	return out, err
}

// FailedSince counts the deliveries created within the last window that were given up
// on (the console's dashboard).
func (s *Service) FailedSince(ctx context.Context, window time.Duration) (int64, error) {
	return s.store.failedSince(ctx, s.now().Add(-window))
}
