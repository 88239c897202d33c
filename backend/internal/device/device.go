// Package device holds the hardware-device catalogue (SPEC §8, issue 14 item 1): device
// types with their PIN areas and write-only default PINs, certificate templates whose
// subject is built from the directory's user, and usage policies assigned to groups,
// with the rule that gives a user one effective policy.
package device

import (
	"context"
	"log/slog"
	"time"

	"custos/internal/ca"
	"custos/internal/identity"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
)

// Audit resource types.
const (
	ResourceType     = "device_type"
	ResourceTemplate = "certificate_template"
	ResourcePolicy   = "device_policy"
)

// Limits shared by the catalogue's nouns.
const (
	maxName        = 200
	maxDescription = 2000
)

// Directory is what the catalogue needs of identity: users with their attributes and
// groups, and group look-ups; app wires the identity service.
type Directory interface {
	GetUser(ctx context.Context, id string) (identity.User, error)
	GroupRefsByIDs(ctx context.Context, ids []string) ([]identity.GroupRef, error)
	GroupRefsOf(ctx context.Context, userID string) ([]identity.GroupRef, error)
}

// Authority tells the CA's own validity (the ca package's Service); nil skips the check.
type Authority interface {
	Info(ctx context.Context, base string) (ca.CAInfo, error)
}

// Service holds the catalogue's rules: it owns the transactions and writes the audit
// event of every change inside them.
type Service struct {
	db    *db.DB
	store store
	box   *crypto.Box
	dir   Directory
	ca    Authority
	log   *slog.Logger
	now   func() time.Time
}

// NewService wires the catalogue. box seals the default PINs; authority may be nil.
func NewService(d *db.DB, box *crypto.Box, dir Directory, authority Authority, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, box: box, dir: dir, ca: authority, log: log,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

func (s *Service) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, fn)
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func pick[T any](p *T, old T) T {
	if p != nil {
		return *p
	}
	return old
}
