package apitoken

import (
	"context"
	"encoding/hex"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/cache"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// PepperLabel derives the pepper of token hashes from the application key
// (crypto.Derive). Changing the application key invalidates every token.
const PepperLabel = "custos/api-token-pepper/v1"

// Publisher announces, inside a transaction, that a topic changed (platform/changes).
type Publisher interface {
	Publish(ctx context.Context, topic string) error
}

// Service holds the token rules: it owns the transactions and writes the audit event
// of every change inside them.
type Service struct {
	db     *db.DB
	store  store
	authz  *authz.Authorizer
	pub    Publisher
	pepper []byte
	cache  *cache.Gen[*entry]
	usage  *usage
	log    *slog.Logger
	now    func() time.Time
	stepUp StepUp // stepup.go; nil asks nothing
}

// NewService wires the token service. pepper comes from crypto.Derive(appKey, PepperLabel).
func NewService(d *db.DB, a *authz.Authorizer, pepper []byte, pub Publisher, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, authz: a, pub: pub, pepper: pepper,
		cache: cache.New[*entry](maxCached), usage: newUsage(), log: log,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the service's clock (tests step it instead of sleeping until a
// token expires).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// tx runs fn in a transaction carried by ctx; when the change affects authentication it
// is announced to the other replicas and this replica's cache is dropped at the commit.
func (s *Service) tx(ctx context.Context, invalidates bool, fn func(ctx context.Context) error) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		if !invalidates {
			return nil
		}
		db.AfterCommit(ctx, s.cache.Drop)
		if s.pub != nil {
			return s.pub.Publish(ctx, Topic)
		}
		return nil
	})
}

// List lists the tokens of the scope with the list conventions.
func (s *Service) List(ctx context.Context, sc Scope, p list.Params) (list.Page[Token], error) {
	now := s.now()
	page, err := s.store.list(ctx, sc, p, now)
	if err != nil {
		return list.Page[Token]{}, err
	}
	return list.Map(page, func(r row) Token {
		t := r.toAPI(now)
		s.usage.overlay(&t)
		return t
	}), nil
}

// Get returns one token of the scope.
func (s *Service) Get(ctx context.Context, sc Scope, id string) (Token, error) {
	r, err := s.store.get(ctx, sc, id, false)
	if err != nil {
		return Token{}, err
	}
	t := r.toAPI(s.now())
	s.usage.overlay(&t)
	return t, nil
}

// checkScopes validates requested scopes: known, at least one, no duplicates (sorted),
// and selfservice only on personal tokens.
func checkScopes(c *validate.Checks, kind string, in []string) []string {
	out := []string{}
	for _, sc := range in {
		switch {
		case !authz.Valid(sc):
			c.Add("scopes", "unknown", "unknown scope "+sc)
		case sc == authz.SelfService && kind == KindAPI:
			c.Add("scopes", "personalOnly", "selfservice is a scope of personal access tokens only")
		case !slices.Contains(out, sc):
			out = append(out, sc)
		}
	}
	if len(in) == 0 {
		c.Add("scopes", "required", "choose at least one scope")
	}
	slices.Sort(out)
	return out
}

// ceiling refuses scopes the caller does not hold: nobody hands out more than they may
// do themselves (for a personal token, the caller is its owner).
func (s *Service) ceiling(caller *authz.Principal, scopes []string) error {
	var missing []apperr.FieldError
	for _, sc := range scopes {
		if !s.authz.Permits(caller, sc) {
			missing = append(missing, apperr.Field("scopes", "notHeld", "you do not hold "+sc+" yourself"))
		}
	}
	if missing == nil {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindDenied, Code: "token.scopeNotHeld",
		Message: "A token cannot carry a permission its creator does not hold.", Fields: missing}
}

var errPersonalMints = apperr.New(apperr.KindDenied, "token.personalTokenCannotManageTokens",
	"A personal access token cannot create, change, revoke or delete tokens; sign in to the console instead.")

// checkMinter refuses token changes made with a personal access token: a leaked
// personal token must not mint credentials that outlive it, nor change anyone's
// tokens. It may only revoke or delete its own owner's tokens (self-service clean-up).
func (s *Service) checkMinter(ctx context.Context, sc Scope, action, id string) error {
	p := authz.FromContext(ctx)
	if p == nil || p.Kind != authz.KindToken || p.UserID == "" {
		return nil
	}
	ownClean := action == "revoke" || action == "delete" || action == "bulk-delete"
	if ownClean && sc.Kind == KindPersonal && sc.Owner == p.UserID {
		return nil
	}
	return s.refused(ctx, errPersonalMints, audit.Entry{Action: audit.ActionDenied, ResourceType: sc.resource(),
		ResourceID: id, ResourceName: p.TokenName, Reason: errPersonalMints.Code,
		After: map[string]any{"attempted": action, "by_token_id": p.TokenID}})
}

// refused records a refusal in the audit log, in a transaction of its own, and
// returns err.
func (s *Service) refused(ctx context.Context, err *apperr.Error, e audit.Entry) error {
	if aerr := audit.RecordAlone(ctx, s.db, e); aerr != nil {
		return aerr
	}
	return err
}

// Create issues a token. The answer holds the whole token: the only time it exists
// outside the caller's hands; the database keeps the peppered hash of its secret.
func (s *Service) Create(ctx context.Context, sc Scope, caller *authz.Principal, in TokenInput) (CreatedToken, error) {
	now := s.now()
	scopes, expires, err := checkInput(sc.Kind, in, now)
	if err != nil {
		return CreatedToken{}, err
	}
	if err := s.checkMinter(ctx, sc, "create", ""); err != nil {
		return CreatedToken{}, err
	}
	if err := s.ceiling(caller, scopes); err != nil {
		e, _ := apperr.As(err)
		return CreatedToken{}, s.refused(ctx, e, audit.Entry{Action: audit.ActionDenied, ResourceType: sc.resource(),
			ResourceName: in.Name, Reason: e.Code, After: map[string]any{"attempted": "create", "scopes": scopes}})
	}
	if err := s.askStepUp(ctx, sc, "create", scopes); err != nil {
		return CreatedToken{}, err
	}
	parts, value, err := Generate(sc.Kind)
	if err != nil {
		return CreatedToken{}, err
	}
	r := s.newRow(sc, caller, in.Name, scopes, expires, parts, now)
	err = s.tx(ctx, false, func(ctx context.Context) error {
		if sc.Kind == KindPersonal {
			if err := s.store.lockUser(ctx, sc.Owner); err != nil {
				return err
			}
			n, err := s.store.countLive(ctx, sc.Owner, now)
			if err != nil {
				return err
			}
			if n >= MaxPersonal {
				return errLimit
			}
		}
		if err := s.store.insert(ctx, &r); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: sc.resource(), ResourceID: r.ID,
			ResourceName: r.Name, After: r.toAPI(now)})
	})
	if err != nil {
		return CreatedToken{}, err
	}
	return CreatedToken{Token: r.toAPI(now), Value: value}, nil
}

// checkInput validates a new token: its name, scopes (returned cleaned) and optional
// expiry (returned in UTC), which must be after now.
func checkInput(kind string, in TokenInput, now time.Time) ([]string, *time.Time, error) {
	var c validate.Checks
	c.Text("name", in.Name, true, 200)
	scopes := checkScopes(&c, kind, in.Scopes)
	var expires *time.Time
	if in.ExpiresAt != nil {
		e := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !e.After(now) {
			c.Add("expires_at", "inPast", "must be in the future")
		}
		expires = &e
	}
	return scopes, expires, c.Err()
}

// newRow is the row of a token of scope sc the caller creates; only the peppered hash
// of its secret is kept.
func (s *Service) newRow(sc Scope, caller *authz.Principal, name string, scopes []string, expires *time.Time,
	parts Parsed, now time.Time) row {
	h := Hash(s.pepper, parts.Secret)
	r := row{ID: uuid.Must(uuid.NewV7()).String(), Kind: sc.Kind, Name: name, SearchText: list.SearchText(name),
		Prefix: parts.Prefix, PublicID: parts.PublicID, SecretHash: hex.EncodeToString(h[:]),
		Scopes: encodeScopes(scopes), CreatedByName: creatorName(caller), Version: 1, CreatedAt: now, UpdatedAt: now,
		ExpiresAt: expires}
	if caller.UserID != "" {
		uid := caller.UserID
		r.CreatedByID = &uid
	}
	if caller.Kind == authz.KindToken {
		tid := caller.TokenID
		r.CreatedByTokenID = &tid
	}
	if sc.Kind == KindPersonal {
		owner := sc.Owner
		r.OwnerID = &owner
	}
	return r
}

// creatorName is who created a token, kept as text so it outlives the account.
func creatorName(p *authz.Principal) string {
	switch {
	case p.Kind == authz.KindToken && p.Login != "":
		return p.Login + " · " + p.TokenName
	case p.Kind == authz.KindToken:
		return p.TokenName
	}
	return p.Login
}

// UserScope is the scope of user id's personal tokens, for administrators; an id that
// names no user is a 404.
func (s *Service) UserScope(ctx context.Context, id string) (Scope, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Scope{}, apperr.NotFound("user")
	}
	o, err := s.store.owner(ctx, id)
	if err != nil {
		return Scope{}, err
	}
	if o == nil {
		return Scope{}, apperr.NotFound("user")
	}
	return Personal(id), nil
}

// Expiring answers the first limit organisation tokens still valid that expire within
// the next window, soonest first, and how many there are (the console's dashboard).
func (s *Service) Expiring(ctx context.Context, window time.Duration, limit int) ([]Token, int64, error) {
	now := s.now()
	rows, n, err := s.store.expiring(ctx, now, now.Add(window), limit)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Token, len(rows))
	for i := range rows {
		out[i] = rows[i].toAPI(now)
	}
	return out, n, nil
}
