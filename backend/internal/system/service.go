package system

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/bulk"
	"custos/internal/platform/cache"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Service holds the rules of systems and their certificates: it owns the transactions,
// writes the audit event of every change inside them, and announces every change on
// the "systems" topic so each replica's mTLS entry drops its cache.
type Service struct {
	db     *db.DB
	store  store
	dir    Directory
	issuer Issuer
	pub    Publisher
	events Events
	cache  *cache.Gen[*entry]
	log    *slog.Logger
	now    func() time.Time
	denied *deniedLog
	people PersonGate // optional: people's certificates (person.go)
}

// NewService wires the systems service. ca may be nil until a certificate authority is
// available (issuing then answers certificate.noAuthority).
func NewService(d *db.DB, dir Directory, issuer Issuer, pub Publisher, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, dir: dir, issuer: issuer, pub: pub, cache: cache.New[*entry](maxCached), log: log,
		now:    func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		denied: newDeniedLog()}
}

// SetClock replaces the service's clock (tests step it instead of waiting for expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// tx runs fn in a transaction carried by ctx, announces the change to every replica and
// drops this replica's cache at the commit.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		db.AfterCommit(ctx, s.cache.Drop)
		if s.pub != nil {
			return s.pub.Publish(ctx, Topic)
		}
		return nil
	})
}

// List lists the systems with the list conventions.
func (s *Service) List(ctx context.Context, p list.Params) (list.Page[System], error) {
	page, err := s.store.listSystems(ctx, p)
	if err != nil {
		return list.Page[System]{}, err
	}
	ids := make([]string, 0, len(page.Items))
	for _, r := range page.Items {
		ids = append(ids, r.ID)
	}
	counts, err := s.store.certCounts(ctx, ids)
	if err != nil {
		return list.Page[System]{}, err
	}
	return list.Map(page, func(r systemRow) System { return r.toAPI(counts[r.ID]) }), nil
}

// Get returns one system.
func (s *Service) Get(ctx context.Context, id string) (System, error) {
	r, err := s.store.getSystem(ctx, id, false)
	if err != nil {
		return System{}, err
	}
	return s.withCount(ctx, r)
}

// OwnedBy lists the systems whose owner group is one of groupIDs (the client cabinet's
// systems of a person), by name.
func (s *Service) OwnedBy(ctx context.Context, groupIDs []string) ([]System, error) {
	rows, err := s.store.ownedBy(ctx, groupIDs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	counts, err := s.store.certCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]System, len(rows))
	for i := range rows {
		out[i] = rows[i].toAPI(counts[rows[i].ID])
	}
	return out, nil
}

func (s *Service) withCount(ctx context.Context, r systemRow) (System, error) {
	counts, err := s.store.certCounts(ctx, []string{r.ID})
	return r.toAPI(counts[r.ID]), err
}

// checkServices validates allowed services: known permissions, no duplicates (sorted).
func checkServices(c *validate.Checks, in []string) []string {
	out := []string{}
	for _, p := range in {
		switch {
		case !slices.Contains(authz.All, p):
			c.Add("allowed_services", "unknown", "unknown permission "+p)
		case !slices.Contains(out, p):
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// checkEditable cleans the list of parameters opened to the client cabinet.
func checkEditable(c *validate.Checks, in []string) []string {
	out := []string{}
	for _, p := range in {
		switch {
		case !slices.Contains(ClientParameters, p):
			c.Add("client_editable", "unknown", "unknown parameter "+p+" (description, settings_texts)")
		case !slices.Contains(out, p):
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func checkTexts(c *validate.Checks, t *SettingsTexts) {
	if t == nil {
		return
	}
	c.Text("settings_texts.ru", t.RU, false, maxSettingsText)
	if len(t.RU) > maxSettingsText {
		c.Add("settings_texts.ru", "tooLong", "must be at most 20 KB")
	}
	c.Text("settings_texts.en", t.EN, false, maxSettingsText)
	if len(t.EN) > maxSettingsText {
		c.Add("settings_texts.en", "tooLong", "must be at most 20 KB")
	}
}

// checkGroup refuses an owner group that is malformed or names no group.
func (s *Service) checkGroup(ctx context.Context, c *validate.Checks, id *string) {
	if id == nil || *id == "" {
		return
	}
	if _, err := uuid.Parse(*id); err != nil {
		c.Add("owner_group_id", "invalidFormat", "must be a group id")
		return
	}
	if _, err := s.dir.GetGroup(ctx, *id); err != nil {
		c.Add("owner_group_id", "unknown", "no such group")
	}
}

// Create adds a system.
func (s *Service) Create(ctx context.Context, in SystemInput) (System, error) {
	var c validate.Checks
	c.Text("name", in.Name, true, maxName)
	c.Text("description", in.Description, false, maxDescription)
	services := checkServices(&c, in.AllowedServices)
	checkTexts(&c, in.SettingsTexts)
	editable := checkEditable(&c, in.ClientEditable)
	s.checkGroup(ctx, &c, in.OwnerGroupID)
	if err := c.Err(); err != nil {
		return System{}, err
	}
	if err := s.dir.CheckPermissionGrant(ctx, "allowed_services", ResourceSystem, "", in.Name, services); err != nil {
		return System{}, err
	}
	now := s.now()
	texts := SettingsTexts{}
	if in.SettingsTexts != nil {
		texts = *in.SettingsTexts
	}
	r := systemRow{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Name, NameKey: strings.ToLower(in.Name), SearchText: list.SearchText(in.Name, in.Description),
		Description: in.Description, Enabled: in.Enabled == nil || *in.Enabled, AllowedServices: encodeJSON(services),
		SettingsTexts: encodeJSON(texts), ClientEditable: encodeJSON(editable), ClientMayIssue: in.ClientMayIssue, Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.OwnerGroupID != nil && *in.OwnerGroupID != "" {
		r.OwnerGroupID = in.OwnerGroupID
	}
	err := s.tx(ctx, func(ctx context.Context) error {
		if taken, err := s.store.nameTaken(ctx, r.Name, r.ID); err != nil || taken {
			return firstErr(err, errNameTaken)
		}
		if err := s.store.insertSystem(ctx, &r); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceSystem, ResourceID: r.ID,
			ResourceName: r.Name, After: r.toAPI(0)})
	})
	if err != nil {
		return System{}, err
	}
	return r.toAPI(0), nil
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// Update changes a system, guarded by the version the client saw. Services it adds must
// be held by the caller; disabling the system refuses its certificates on every replica.
func (s *Service) Update(ctx context.Context, id string, in SystemPatch) (System, error) {
	fields, err := s.checkPatch(ctx, in)
	if err != nil {
		return System{}, err
	}
	if in.AllowedServices != nil {
		// Outside the transaction: a refusal is audited in a transaction of its own.
		r, err := s.store.getSystem(ctx, id, false)
		if err != nil {
			return System{}, err
		}
		more := added(r.services(), fields["allowed_services"].([]string))
		if err := s.dir.CheckPermissionGrant(ctx, "allowed_services", ResourceSystem, id, r.Name, more); err != nil {
			return System{}, err
		}
	}
	var out System
	err = s.tx(ctx, func(ctx context.Context) error {
		r, err := s.store.getSystem(ctx, id, true)
		if err != nil {
			return err
		}
		before, err := s.withCount(ctx, r)
		if err != nil {
			return err
		}
		if r.Version != in.Version {
			return apperr.Conflict(before)
		}
		if in.AllowedServices != nil {
			fields["allowed_services"] = encodeJSON(fields["allowed_services"])
		}
		if in.Name != nil || in.Description != nil {
			name, desc := pick(in.Name, r.Name), pick(in.Description, r.Description)
			if taken, err := s.store.nameTaken(ctx, name, id); err != nil || taken {
				return firstErr(err, errNameTaken)
			}
			fields["search_text"] = list.SearchText(name, desc)
		}
		fields["version"], fields["updated_at"] = r.Version+1, s.now()
		ok, err := s.store.updateSystem(ctx, id, in.Version, fields)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Conflict(before)
		}
		if r, err = s.store.getSystem(ctx, id, false); err != nil {
			return err
		}
		if out, err = s.withCount(ctx, r); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceSystem, ResourceID: id,
			ResourceName: out.Name, Before: before, After: out}); err != nil {
			return err
		}
		return s.systemEvents(ctx, before, out)
	})
	return out, err
}

func pick(p *string, old string) string {
	if p != nil {
		return *p
	}
	return old
}

// checkPatch validates a change of a system and returns the columns it sets
// (allowed_services as the cleaned list, encoded by Update after the grant check).
func (s *Service) checkPatch(ctx context.Context, in SystemPatch) (map[string]any, error) {
	var c validate.Checks
	fields := map[string]any{}
	if in.Version < 1 {
		c.Add("version", "required", "is required (the version you edited)")
	}
	if in.Name != nil {
		c.Text("name", *in.Name, true, maxName)
		fields["name"], fields["name_key"] = *in.Name, strings.ToLower(*in.Name)
	}
	if in.Description != nil {
		c.Text("description", *in.Description, false, maxDescription)
		fields["description"] = *in.Description
	}
	if in.Enabled != nil {
		fields["enabled"] = *in.Enabled
	}
	if in.AllowedServices != nil {
		fields["allowed_services"] = checkServices(&c, *in.AllowedServices)
	}
	if in.SettingsTexts != nil {
		checkTexts(&c, in.SettingsTexts)
		fields["settings_texts"] = encodeJSON(*in.SettingsTexts)
	}
	if in.ClientEditable != nil {
		fields["client_editable"] = encodeJSON(checkEditable(&c, *in.ClientEditable))
	}
	if in.ClientMayIssue != nil {
		fields["client_may_issue"] = *in.ClientMayIssue
	}
	if in.OwnerGroupID != nil {
		s.checkGroup(ctx, &c, in.OwnerGroupID)
		if *in.OwnerGroupID == "" {
			fields["owner_group_id"] = nil
		} else {
			fields["owner_group_id"] = *in.OwnerGroupID
		}
	}
	return fields, c.Err()
}

// added is the permissions of want that had lacks.
func added(had, want []string) []string {
	var out []string
	for _, p := range want {
		if !slices.Contains(had, p) {
			out = append(out, p)
		}
	}
	return out
}

// Delete removes a system and its certificates; the CA-issued ones still valid are
// revoked (cessationOfOperation) so the CRL and OCSP say so too.
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.tx(ctx, func(ctx context.Context) error { return s.delete(ctx, id) })
}

func (s *Service) delete(ctx context.Context, id string) error {
	r, err := s.store.getSystem(ctx, id, true)
	if err != nil {
		return err
	}
	before, err := s.withCount(ctx, r)
	if err != nil {
		return err
	}
	serials, err := s.store.caSerials(ctx, id)
	if err != nil {
		return err
	}
	for _, serial := range serials {
		if s.issuer == nil {
			break
		}
		if err := s.issuer.Revoke(ctx, serial, ca.Reasons["cessationOfOperation"]); err != nil {
			return err
		}
	}
	if err := s.store.deleteSystem(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: ResourceSystem, ResourceID: id,
		ResourceName: r.Name, Before: before})
}

// BulkDelete deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDelete(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.delete)
}
