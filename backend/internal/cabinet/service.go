package cabinet

import (
	"context"
	"net/url"
	"slices"

	"custos/internal/audit"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/stats"
	"custos/internal/system"
)

// Directory answers a person's current groups (read at each request: a membership
// removed closes the cabinet at once).
type Directory interface {
	GroupRefsOf(ctx context.Context, userID string) ([]identity.GroupRef, error)
}

// Options configure the cabinet.
type Options struct {
	// RequireMTLS refuses the cabinet outside the mTLS listener.
	RequireMTLS bool
}

// Service is the client cabinet.
type Service struct {
	db      *db.DB
	systems *system.Service
	stats   *stats.Service
	dir     Directory
	opts    Options
}

// NewService makes the cabinet over the systems and their statistics.
func NewService(d *db.DB, systems *system.Service, st *stats.Service, dir Directory, opts Options) *Service {
	return &Service{db: d, systems: systems, stats: st, dir: dir, opts: opts}
}

// person is the caller of ctx when it is a person (a session, a personal token or an
// OpenID bearer); organisation tokens and systems have no cabinet.
func (s *Service) person(ctx context.Context) (*authz.Principal, error) {
	p := authz.FromContext(ctx)
	if p == nil || p.UserID == "" {
		return nil, errNotPerson
	}
	if _, onMTLS := system.CertificateSystem(ctx); s.opts.RequireMTLS && !onMTLS {
		s.refuse(ctx, errMTLSRequired, "", "")
		return nil, errMTLSRequired
	}
	return p, nil
}

// groupIDs are the ids of the person's groups now.
func (s *Service) groupIDs(ctx context.Context, userID string) ([]string, error) {
	refs, err := s.dir.GroupRefsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids, nil
}

// access returns system id when the caller may see it in the cabinet: a member of its
// owner group, and on the mTLS listener behind that system's own certificate. Any other
// system is not found, so the cabinet does not tell which ids exist.
func (s *Service) access(ctx context.Context, id string) (system.System, error) {
	p, err := s.person(ctx)
	if err != nil {
		return system.System{}, err
	}
	if certSys, onMTLS := system.CertificateSystem(ctx); onMTLS && certSys != id {
		return system.System{}, apperr.NotFound("system")
	}
	sys, err := s.systems.Get(ctx, id)
	if err != nil {
		return system.System{}, err
	}
	ids, err := s.groupIDs(ctx, p.UserID)
	if err != nil {
		return system.System{}, err
	}
	if sys.OwnerGroupID == nil || !slices.Contains(ids, *sys.OwnerGroupID) {
		return system.System{}, apperr.NotFound("system")
	}
	return sys, nil
}

// refuse keeps a refusal in the audit log (in a transaction of its own: the request
// fails).
func (s *Service) refuse(ctx context.Context, err *apperr.Error, id, name string) {
	_ = audit.RecordAlone(ctx, s.db, audit.Entry{Action: audit.ActionDenied, ResourceType: system.ResourceSystem,
		ResourceID: id, ResourceName: name, Reason: err.Code})
}

// List answers the caller's systems (on the mTLS listener, only the certificate's).
func (s *Service) List(ctx context.Context) (Systems, error) {
	p, err := s.person(ctx)
	if err != nil {
		return Systems{}, err
	}
	ids, err := s.groupIDs(ctx, p.UserID)
	if err != nil {
		return Systems{}, err
	}
	all, err := s.systems.OwnedBy(ctx, ids)
	if err != nil {
		return Systems{}, err
	}
	certSys, onMTLS := system.CertificateSystem(ctx)
	out := Systems{Items: []System{}}
	for _, sys := range all {
		if !onMTLS || sys.ID == certSys {
			out.Items = append(out.Items, view(sys))
		}
	}
	out.Total = len(out.Items)
	return out, nil
}

// Get answers one of the caller's systems.
func (s *Service) Get(ctx context.Context, id string) (System, error) {
	sys, err := s.access(ctx, id)
	return view(sys), err
}

// Update changes the opened parameters, guarded by the version the client saw; the
// change is audited and announced (system.settings_changed) as an administrator's is.
func (s *Service) Update(ctx context.Context, id string, in Patch) (System, error) {
	sys, err := s.access(ctx, id)
	if err != nil {
		return System{}, err
	}
	for _, f := range []struct {
		field string
		set   bool
	}{{"description", in.Description != nil}, {"settings_texts", in.SettingsTexts != nil}} {
		if field := f.field; f.set && !slices.Contains(sys.ClientEditable, field) {
			e := errNotEditable(field)
			s.refuse(ctx, e, sys.ID, sys.Name)
			return System{}, e
		}
	}
	out, err := s.systems.Update(ctx, id, system.SystemPatch{Version: in.Version, Description: in.Description,
		SettingsTexts: in.SettingsTexts})
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindConflict && e.Current != nil {
			if cur, ok := e.Current.(system.System); ok {
				return System{}, apperr.Conflict(view(cur))
			}
		}
		return System{}, err
	}
	return view(out), nil
}

// Stats answers the system's request statistics as its administrators see them.
func (s *Service) Stats(ctx context.Context, id string, params url.Values) (stats.Report, error) {
	if _, err := s.access(ctx, id); err != nil {
		return stats.Report{}, err
	}
	return s.stats.ForSystem(ctx, id, params)
}

// Certificates lists the system's certificates.
func (s *Service) Certificates(ctx context.Context, id string, p list.Params) (list.Page[system.Certificate], error) {
	if _, err := s.access(ctx, id); err != nil {
		return list.Page[system.Certificate]{}, err
	}
	return s.systems.ListCertificates(ctx, id, p)
}

// AddCertificate has the CA sign a request made in the client's browser, when the
// administrator allowed the system's clients to.
func (s *Service) AddCertificate(ctx context.Context, id string, in CertificateInput) (system.CreatedCertificate, error) {
	sys, err := s.access(ctx, id)
	if err != nil {
		return system.CreatedCertificate{}, err
	}
	if !sys.ClientMayIssue {
		s.refuse(ctx, errIssueNotAllowed, sys.ID, sys.Name)
		return system.CreatedCertificate{}, errIssueNotAllowed
	}
	return s.systems.AddCertificate(ctx, id, system.CertificateInput{Method: system.OriginCSR, CSR: in.CSR,
		ValidityDays: in.ValidityDays})
}
