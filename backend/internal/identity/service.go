package identity

import (
	"context"

	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
)

// Service holds the directory's rules. It owns the transactions and writes the audit
// event of every change inside them.
type Service struct {
	db     *db.DB
	authz  *authz.Authorizer
	hasher *crypto.Hasher
	// The stores, one per noun: the only code that touches the tables.
	users     userStore
	groups    groupStore
	userTypes userTypeStore
	attrs     attributeStore
	licence   licenceStore
	// sessions and tokens act on an account's sessions and personal tokens when its
	// password is reset (the composition root wires them; nil in unit tests).
	sessions SessionEnder
	tokens   TokenRevoker
	// base names the local provider's base groups, given to every user created by hand
	// (SPEC §5.3; the composition root wires it; nil in unit tests).
	base BaseGroups
}

// BaseGroups names the groups a user created in Custos itself starts with.
type BaseGroups interface {
	// LocalBaseGroupIDs returns the local provider's base groups, read in the
	// transaction ctx carries.
	LocalBaseGroupIDs(ctx context.Context) ([]string, error)
}

// SetBaseGroups connects the local provider's base groups to user creation.
func (s *Service) SetBaseGroups(b BaseGroups) { s.base = b }

// SessionEnder ends a user's sessions inside the directory transaction ctx carries.
type SessionEnder interface {
	// EndSessions deletes every session of userID except keep ("" keeps none).
	EndSessions(ctx context.Context, userID, keep string) (int64, error)
}

// TokenRevoker revokes a user's personal access tokens inside the directory transaction
// ctx carries.
type TokenRevoker interface {
	RevokePersonal(ctx context.Context, ownerID string) (int64, error)
	// DropCache makes this replica forget revoked tokens at once (after the commit).
	DropCache(ctx context.Context)
}

// SetAccountHooks connects the sessions and personal tokens a password reset ends.
func (s *Service) SetAccountHooks(sess SessionEnder, tok TokenRevoker) {
	s.sessions, s.tokens = sess, tok
}

// NewService wires the directory.
func NewService(d *db.DB, a *authz.Authorizer, h *crypto.Hasher) *Service {
	return &Service{db: d, authz: a, hasher: h, users: userStore{d}, groups: groupStore{d},
		userTypes: userTypeStore{d}, attrs: attributeStore{d}, licence: licenceStore{d}}
}

// tx runs fn in a transaction carried by ctx. A guard refusal rolls the transaction
// back and is then audited on its own.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.audited(ctx, s.db.Tx(ctx, fn))
}
