package issuance

import (
	"context"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
)

// DeviceDetail is a device with its certificates and its history (every transition of
// every issuance written on it, and the operators' acts).
type DeviceDetail struct {
	Device
	Certificates []Certificate `json:"certificates"`
	History      []Event       `json:"history"`
} //	@name	DeviceDetail

// DeviceAction blocks, unblocks or revokes a device; the version is the one read.
type DeviceAction struct {
	Version int    `json:"version"`
	Comment string `json:"comment" validate:"optional"`
} //	@name	DeviceAction

// ListDevices lists the devices: every one (userID "") or one user's.
func (s *Service) ListDevices(ctx context.Context, userID string, p list.Params) (list.Page[Device], error) {
	page, err := s.store.listDevices(ctx, userID, p)
	if err != nil {
		return list.Page[Device]{}, err
	}
	return list.Map(page, func(d deviceRow) Device { return d.toAPI() }), nil
}

// GetDevice answers a device with its certificates and history (of userID when not
// empty: another person's device is not found).
func (s *Service) GetDevice(ctx context.Context, id, userID string) (DeviceDetail, error) {
	d, err := s.store.getDevice(ctx, id, false)
	if err != nil {
		return DeviceDetail{}, err
	}
	if userID != "" && d.UserID != userID {
		return DeviceDetail{}, apperr.NotFound("device")
	}
	return s.detail(ctx, d)
}

func (s *Service) detail(ctx context.Context, d deviceRow) (DeviceDetail, error) {
	out := DeviceDetail{Device: d.toAPI(), Certificates: []Certificate{}, History: []Event{}}
	certs, err := s.store.deviceCerts(ctx, d.ID)
	if err != nil {
		return out, err
	}
	for _, c := range certs {
		out.Certificates = append(out.Certificates, c.toAPI())
	}
	evs, err := s.store.deviceEvents(ctx, d.ID)
	if err != nil {
		return out, err
	}
	for _, e := range evs {
		out.History = append(out.History, Event{IssuanceID: deref(e.IssuanceID), From: e.FromState, To: e.ToState,
			ActorLogin: e.ActorLogin, Comment: e.Comment, At: e.At})
	}
	return out, nil
}

// Block blocks an issued device (its certificates stay; the agent blocks the user PIN).
func (s *Service) Block(ctx context.Context, id string, in DeviceAction) (DeviceDetail, error) {
	return s.deviceAct(ctx, id, in, "block", DeviceBlocked, DeviceIssued)
}

// Unblock gives a blocked device back to its user.
func (s *Service) Unblock(ctx context.Context, id string, in DeviceAction) (DeviceDetail, error) {
	return s.deviceAct(ctx, id, in, "unblock", DeviceIssued, DeviceBlocked)
}

// Revoke takes a device out of use for good: its certificates are revoked at the CA
// (the CRL and OCSP say so at once) and its serial may be issued again.
func (s *Service) Revoke(ctx context.Context, id string, in DeviceAction) (DeviceDetail, error) {
	return s.deviceAct(ctx, id, in, "revoke", DeviceRevoked, DeviceIssued, DeviceBlocked)
}

func (s *Service) deviceAct(ctx context.Context, id string, in DeviceAction, action, to string, from ...string) (DeviceDetail, error) {
	if in.Version < 1 {
		return DeviceDetail{}, apperr.Invalid(apperr.Field("version", "required", "is required (the version you read)"))
	}
	var out DeviceDetail
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		d, err := s.store.getDevice(ctx, id, true)
		if err != nil {
			return err
		}
		before, err := s.detail(ctx, d)
		if err != nil {
			return err
		}
		if d.Version != in.Version {
			return apperr.Conflict(before)
		}
		ok := false
		for _, f := range from {
			ok = ok || d.Status == f
		}
		if !ok {
			return errDeviceState(d.Status)
		}
		now := s.now()
		fields := map[string]any{"status": to, "version": d.Version + 1, "updated_at": now}
		if to == DeviceRevoked {
			fields["revoked_at"] = now
			var ids []string
			for _, c := range before.Certificates {
				if c.Revoked {
					continue
				}
				if err := s.ca.Revoke(ctx, c.Serial, ca.Reasons["cessationOfOperation"]); err != nil {
					return err
				}
				ids = append(ids, c.ID)
			}
			if err := s.store.updateCerts(ctx, ids, map[string]any{"revoked": true}); err != nil {
				return err
			}
		}
		if ok, err := s.store.updateDevice(ctx, d.ID, d.Version, fields); err != nil || !ok {
			return firstErr(err, apperr.Conflict(before))
		}
		aid, alogin := actor(ctx)
		if err := s.store.event(ctx, &eventRow{ID: newID(), DeviceID: &d.ID, FromState: d.Status, ToState: to,
			ActorID: aid, ActorLogin: alogin, Comment: in.Comment, At: now}); err != nil {
			return err
		}
		if d, err = s.store.getDevice(ctx, d.ID, false); err != nil {
			return err
		}
		if out, err = s.detail(ctx, d); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: action, ResourceType: ResourceDevice, ResourceID: d.ID,
			ResourceName: d.UserLogin + " · " + d.Serial, Before: before.Device, After: out.Device})
	})
	return out, err
}
