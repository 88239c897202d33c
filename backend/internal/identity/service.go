package identity

import (
	"context"

	"gorm.io/gorm"

	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
)

// Committer is told after a transaction that wrote audit events commits.
type Committer interface{ Kick() }

// Service holds the directory's rules. It owns the transactions and writes the audit
// event of every change inside them.
type Service struct {
	db     *db.DB
	authz  *authz.Authorizer
	hasher *crypto.Hasher
	chain  Committer
}

// NewService wires the directory.
func NewService(d *db.DB, a *authz.Authorizer, h *crypto.Hasher, chain Committer) *Service {
	return &Service{db: d, authz: a, hasher: h, chain: chain}
}

// tx runs fn in a transaction and nudges the audit chainer after a commit.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.db.Tx(ctx, fn)
	if err == nil && s.chain != nil {
		s.chain.Kick()
	}
	return err
}

// read returns a read session bound to ctx.
func (s *Service) read(ctx context.Context) *gorm.DB { return s.db.R.WithContext(ctx) }
