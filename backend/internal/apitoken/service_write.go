package apitoken

import (
	"context"
	"slices"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/bulk"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Update changes a token's name and/or scopes, guarded by the version the client saw.
// Scopes it adds must be held by the caller; removing scopes is always allowed. Every
// replica drops its cache, so new scopes apply to the very next request.
func (s *Service) Update(ctx context.Context, sc Scope, caller *authz.Principal, id string, in TokenPatch) (Token, error) {
	scopes, err := checkPatch(sc.Kind, in)
	if err != nil {
		return Token{}, err
	}
	if err := s.checkMinter(ctx, sc, "update", id); err != nil {
		return Token{}, err
	}
	if err := s.stepUpForUpdate(ctx, sc, id, scopes); err != nil {
		return Token{}, err
	}
	var out Token
	var refusal *apperr.Error
	err = s.tx(ctx, true, func(ctx context.Context) error {
		now := s.now()
		r, err := s.store.get(ctx, sc, id, true)
		if err != nil {
			return err
		}
		before := r.toAPI(now)
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		if r.RevokedAt != nil {
			return errRevokedEdit
		}
		fields := map[string]any{"version": r.Version + 1, "updated_at": now}
		if in.Name != nil {
			fields["name"], fields["search_text"] = *in.Name, list.SearchText(*in.Name)
		}
		if in.Scopes != nil {
			if err := s.ceiling(caller, added(before.Scopes, scopes)); err != nil {
				refusal, _ = apperr.As(err)
				return err
			}
			fields["scopes"] = encodeScopes(scopes)
		}
		ok, err := s.store.update(ctx, id, in.Version, fields)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Conflict(before)
		}
		if r, err = s.store.get(ctx, sc, id, false); err != nil {
			return err
		}
		out = r.toAPI(now)
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: sc.resource(), ResourceID: id,
			ResourceName: out.Name, Before: before, After: out})
	})
	if refusal != nil {
		return Token{}, s.refused(ctx, refusal, audit.Entry{Action: audit.ActionDenied, ResourceType: sc.resource(),
			ResourceID: id, Reason: refusal.Code, After: map[string]any{"attempted": "update", "scopes": scopes}})
	}
	s.usage.overlay(&out)
	return out, err
}

// checkPatch validates a change of a token: the version it was edited at, its name and
// scopes (returned cleaned, nil when unchanged).
func checkPatch(kind string, in TokenPatch) ([]string, error) {
	var c validate.Checks
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Name != nil {
		c.Text("name", *in.Name, true, 200)
	}
	var scopes []string
	if in.Scopes != nil {
		scopes = checkScopes(&c, kind, *in.Scopes)
	}
	return scopes, c.Err()
}

// added is the scopes of want that had lacks.
func added(had, want []string) []string {
	var out []string
	for _, p := range want {
		if !slices.Contains(had, p) {
			out = append(out, p)
		}
	}
	return out
}

// Revoke refuses the token from now on, on every replica. Revoking a revoked token
// changes nothing and answers its current state.
func (s *Service) Revoke(ctx context.Context, sc Scope, id string) (Token, error) {
	if err := s.checkMinter(ctx, sc, "revoke", id); err != nil {
		return Token{}, err
	}
	var out Token
	err := s.tx(ctx, true, func(ctx context.Context) error {
		now := s.now()
		r, err := s.store.get(ctx, sc, id, true)
		if err != nil {
			return err
		}
		out = r.toAPI(now)
		if r.RevokedAt != nil {
			return nil
		}
		before := out
		if _, err := s.store.update(ctx, id, r.Version, map[string]any{"revoked_at": now, "version": r.Version + 1,
			"updated_at": now}); err != nil {
			return err
		}
		if r, err = s.store.get(ctx, sc, id, false); err != nil {
			return err
		}
		out = r.toAPI(now)
		return audit.Record(ctx, audit.Entry{Action: "revoke", ResourceType: sc.resource(), ResourceID: id,
			ResourceName: out.Name, Before: before, After: out})
	})
	s.usage.overlay(&out)
	return out, err
}

// Delete removes a token (revoked or not); it stops working on every replica.
func (s *Service) Delete(ctx context.Context, sc Scope, id string) error {
	if err := s.checkMinter(ctx, sc, "delete", id); err != nil {
		return err
	}
	return s.tx(ctx, true, func(ctx context.Context) error { return s.delete(ctx, sc, id) })
}

// delete deletes token id of the scope and records it, in the transaction ctx carries.
func (s *Service) delete(ctx context.Context, sc Scope, id string) error {
	r, err := s.store.get(ctx, sc, id, true)
	if err != nil {
		return err
	}
	if err := s.store.delete(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: sc.resource(), ResourceID: id,
		ResourceName: r.Name, Before: r.toAPI(s.now())})
}

// BulkDelete deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDelete(ctx context.Context, sc Scope, ids []string) (bulk.Response, error) {
	if err := s.checkMinter(ctx, sc, "bulk-delete", ""); err != nil {
		return bulk.Response{}, err
	}
	tx := func(ctx context.Context, fn func(ctx context.Context) error) error { return s.tx(ctx, true, fn) }
	return bulk.Run(ctx, ids, tx, func(ctx context.Context, id string) error { return s.delete(ctx, sc, id) })
}

// RevokePersonal revokes every live personal access token of ownerID inside the
// transaction ctx carries (an administrator's password reset), announces it to every
// replica and drops this replica's cache at the commit.
func (s *Service) RevokePersonal(ctx context.Context, ownerID string) (int64, error) {
	n, err := s.store.revokePersonal(ctx, ownerID, s.now())
	if err != nil || n == 0 {
		return n, err
	}
	db.AfterCommit(ctx, s.cache.Drop)
	if s.pub == nil {
		return n, nil
	}
	return n, s.pub.Publish(ctx, Topic)
}
