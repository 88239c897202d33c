package provider

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"custos/internal/audit"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// Committer is told after a transaction that wrote audit events commits.
type Committer interface{ Kick() }

// Options tune the outbound checks (tests shorten them).
type Options struct {
	// StepTimeout bounds each step of a connection test (default 5s).
	StepTimeout time.Duration
	// TestTimeout bounds a whole connection test or LDAP dry run (default 20s).
	TestTimeout time.Duration
	// SignInTimeout bounds the whole directory exchange of one sign-in (default 10s).
	SignInTimeout time.Duration
}

// Service holds the provider rules. It owns the transactions and writes the audit
// event of every change inside them.
type Service struct {
	st    store
	dir   Directory
	box   *crypto.Box
	chain Committer
	opt   Options
}

// NewService wires the providers.
func NewService(d *db.DB, dir Directory, box *crypto.Box, chain Committer, opt Options) *Service {
	if opt.StepTimeout <= 0 {
		opt.StepTimeout = 5 * time.Second
	}
	if opt.TestTimeout <= 0 {
		opt.TestTimeout = 20 * time.Second
	}
	if opt.SignInTimeout <= 0 {
		opt.SignInTimeout = 10 * time.Second
	}
	return &Service{st: store{db: d}, dir: dir, box: box, chain: chain, opt: opt}
}

// tx runs fn in a write transaction and nudges the audit chainer after a commit.
// Writers take the provider lock (store.lock) once their directory look-ups are done,
// so a writer never waits for the lock while needing a second connection.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.st.db.Tx(ctx, fn)
	if err == nil && s.chain != nil {
		s.chain.Kick()
	}
	return err
}

func (s *Service) read(ctx context.Context) *gorm.DB { return s.st.db.R.WithContext(ctx) }

// List lists providers with the list conventions.
func (s *Service) List(ctx context.Context, p list.Params) (list.Page[Provider], error) {
	page, err := s.st.list(ctx, p)
	if err != nil {
		return list.Page[Provider]{}, err
	}
	ids := make([]string, len(page.Items))
	for i, r := range page.Items {
		ids[i] = r.ID
	}
	groups, err := s.st.groupsOf(s.read(ctx), ids)
	if err != nil {
		return list.Page[Provider]{}, err
	}
	return list.Map(page, func(r row) Provider { return r.toAPI(groups[r.ID]) }), nil
}

// Get returns one provider with the number of users who came through it.
func (s *Service) Get(ctx context.Context, id string) (Provider, error) {
	r, g, err := s.st.load(s.read(ctx), id)
	if err != nil {
		return Provider{}, err
	}
	p := r.toAPI(g)
	n, err := s.dir.CountUsersBySource(ctx, id)
	if err != nil {
		return Provider{}, err
	}
	p.UsersCount = &n
	return p, nil
}

// Delete deletes an inactive, non-local provider.
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return s.deleteTx(ctx, tx, id) })
}

func (s *Service) deleteTx(ctx context.Context, tx *gorm.DB, id string) error {
	if err := s.st.lock(tx); err != nil {
		return err
	}
	r, g, err := s.st.load(tx, id)
	if err != nil {
		return err
	}
	switch {
	case r.Type == TypeLocal:
		return errLocalCannotBeDeleted
	case r.Active:
		return errActiveCannotBeDeleted
	}
	if err := s.st.delete(tx, id); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: "delete", ResourceType: "provider", ResourceID: id,
		ResourceName: r.Name, Before: r.toAPI(g)})
}

// BulkDelete deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDelete(ctx context.Context, ids []string) (identity.BulkResponse, error) {
	return s.bulk(ctx, ids, func(tx *gorm.DB, id string) error { return s.deleteTx(ctx, tx, id) })
}

// BulkSetActive activates or deactivates each id, reporting refusals (a second
// active LDAP provider, say) per id.
func (s *Service) BulkSetActive(ctx context.Context, ids []string, active bool) (identity.BulkResponse, error) {
	return s.bulk(ctx, ids, func(tx *gorm.DB, id string) error {
		r, _, err := s.st.load(tx, id)
		if err != nil {
			return err
		}
		if r.Active == active {
			return nil
		}
		_, err = s.updateTx(ctx, tx, id, Patch{Version: r.Version, Active: &active})
		return err
	})
}

// MaxBulk is the most ids one bulk request may name.
const MaxBulk = 1000

func (s *Service) bulk(ctx context.Context, ids []string, op func(tx *gorm.DB, id string) error) (identity.BulkResponse, error) {
	if len(ids) == 0 {
		return identity.BulkResponse{}, apperr.Invalid(apperr.Field("ids", "required", "name at least one id"))
	}
	if len(ids) > MaxBulk {
		return identity.BulkResponse{}, apperr.Invalid(apperr.Field("ids", "tooLong", "at most 1000 ids at once"))
	}
	out := identity.BulkResponse{Results: make([]identity.BulkResult, 0, len(ids))}
	for _, id := range ids {
		err := s.tx(ctx, func(tx *gorm.DB) error { return op(tx, id) })
		r := identity.BulkResult{ID: id, OK: err == nil}
		if err != nil {
			e, ok := apperr.As(err)
			if !ok {
				return identity.BulkResponse{}, err
			}
			r.Code, r.Message = e.Code, e.Message
		}
		out.Results = append(out.Results, r)
	}
	return out, nil
}

// snapshot is the audit view of a provider: the API shape plus a redaction marker
// for each secret this change wrote.
func snapshot(p Provider, wrote secrets) map[string]any {
	b, _ := json.Marshal(p)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	params, _ := m["params"].(map[string]any)
	if params == nil {
		params = map[string]any{}
	}
	if wrote.ClientSecret != nil {
		params["client_secret"] = audit.Redacted
	}
	if wrote.BindPassword != nil {
		params["bind_password"] = audit.Redacted
	}
	m["params"] = params
	return m
}
