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
	// sessions and tokens act on an account's sessions and personal tokens when its
	// password is reset (the composition root wires them; nil in unit tests).
	sessions SessionEnder
	tokens   TokenRevoker
}

// SessionEnder ends a user's sessions inside a directory transaction.
type SessionEnder interface {
	// EndSessionsTx deletes every session of userID except keep ("" keeps none).
	EndSessionsTx(tx *gorm.DB, userID, keep string) (int64, error)
}

// TokenRevoker revokes a user's personal access tokens inside a directory transaction.
type TokenRevoker interface {
	RevokePersonalTx(ctx context.Context, tx *gorm.DB, ownerID string) (int64, error)
	// DropCache makes this replica forget revoked tokens at once (after the commit).
	DropCache(ctx context.Context)
}

// SetAccountHooks connects the sessions and personal tokens a password reset ends.
func (s *Service) SetAccountHooks(sess SessionEnder, tok TokenRevoker) {
	s.sessions, s.tokens = sess, tok
}

// NewService wires the directory.
func NewService(d *db.DB, a *authz.Authorizer, h *crypto.Hasher, chain Committer) *Service {
	return &Service{db: d, authz: a, hasher: h, chain: chain}
}

// tx runs fn in a transaction and nudges the audit chainer after a commit. A guard
// refusal rolls the transaction back and is then audited on its own.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.db.Tx(ctx, fn)
	if err == nil && s.chain != nil {
		s.chain.Kick()
	}
	return s.audited(ctx, err)
}

// read returns a read session bound to ctx.
func (s *Service) read(ctx context.Context) *gorm.DB { return s.db.R.WithContext(ctx) }
