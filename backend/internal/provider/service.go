package provider

import (
	"context"
	"encoding/json"
	"time"

	"custos/internal/audit"
	"custos/internal/platform/bulk"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

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
	st  store
	dir Directory
	box *crypto.Box
	opt Options
}

// NewService wires the providers.
func NewService(d *db.DB, dir Directory, box *crypto.Box, opt Options) *Service {
	if opt.StepTimeout <= 0 {
		opt.StepTimeout = 5 * time.Second
	}
	if opt.TestTimeout <= 0 {
		opt.TestTimeout = 20 * time.Second
	}
	if opt.SignInTimeout <= 0 {
		opt.SignInTimeout = 10 * time.Second
	}
	return &Service{st: store{db: d}, dir: dir, box: box, opt: opt}
}

// tx runs fn in a write transaction carried by ctx. Writers take the provider lock
// (store.lock) once their directory look-ups are done, so a writer never waits for the
// lock while needing a second connection.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.st.tx(ctx, fn)
}

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
	groups, err := s.st.groupsOf(ctx, ids)
	if err != nil {
		return list.Page[Provider]{}, err
	}
	return list.Map(page, func(r row) Provider { return r.toAPI(groups[r.ID]) }), nil
}

// Get returns one provider with the number of users who came through it.
func (s *Service) Get(ctx context.Context, id string) (Provider, error) {
	r, g, err := s.st.load(ctx, id)
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
	return s.tx(ctx, func(ctx context.Context) error { return s.deleteTx(ctx, id) })
}

// deleteTx deletes id in the transaction ctx carries.
func (s *Service) deleteTx(ctx context.Context, id string) error {
	if err := s.st.lock(ctx); err != nil {
		return err
	}
	r, g, err := s.st.load(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case r.Type == TypeLocal:
		return errLocalCannotBeDeleted
	case r.Active:
		return errActiveCannotBeDeleted
	}
	if err := s.st.delete(ctx, id); err != nil {
		return err
	}
	return audit.Record(ctx, audit.Entry{Action: "delete", ResourceType: "provider", ResourceID: id,
		ResourceName: r.Name, Before: r.toAPI(g)})
}

// BulkDelete deletes each id in its own transaction and reports each outcome.
func (s *Service) BulkDelete(ctx context.Context, ids []string) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, s.deleteTx)
}

// BulkSetActive activates or deactivates each id, reporting refusals (a second
// active LDAP provider, say) per id.
func (s *Service) BulkSetActive(ctx context.Context, ids []string, active bool) (bulk.Response, error) {
	return bulk.Run(ctx, ids, s.tx, func(ctx context.Context, id string) error {
		r, _, err := s.st.load(ctx, id)
		if err != nil {
			return err
		}
		if r.Active == active {
			return nil
		}
		_, err = s.updateTx(ctx, id, Patch{Version: r.Version, Active: &active})
		return err
	})
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
