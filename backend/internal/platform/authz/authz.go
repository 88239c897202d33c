// Package authz decides who may do what. Casbin holds the policies (group → resource,
// action) in the database; a precomputed permission set per group, rebuilt whenever the
// policies change, makes each decision a couple of map look-ups.
package authz

import (
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
)

//go:embed model.conf
var modelText string

// Permission strings (SPEC §2.2); API-token scopes use the same strings.
const (
	ProvidersRead     = "providers.read"
	ProvidersWrite    = "providers.write"
	UsersRead         = "users.read"
	UsersWrite        = "users.write"
	APITokensRead     = "apiTokens.read"
	APITokensWrite    = "apiTokens.write"
	CertificatesRead  = "certificates.read"
	CertificatesWrite = "certificates.write"
	DevicesRead       = "devices.read"
	DevicesWrite      = "devices.write"
	DevicesApprove    = "devices.approve"
	AuditRead         = "audit.read"
	StatsRead         = "stats.read"
	SettingsWrite     = "settings.write"
	SelfService       = "selfservice"
	// Cabinet opens the client cabinet of the systems whose owner group the caller is in
	// (SPEC §7); the clients group holds it.
	Cabinet = "cabinet"
)

// All lists every permission, in catalogue order.
var All = []string{ProvidersRead, ProvidersWrite, UsersRead, UsersWrite, APITokensRead, APITokensWrite,
	CertificatesRead, CertificatesWrite, DevicesRead, DevicesWrite, DevicesApprove, AuditRead, StatsRead,
	SettingsWrite, SelfService, Cabinet}

// SystemGroups are the groups migrations create; they cannot be deleted.
var SystemGroups = []string{"tech_admins", "administrators", "operators", "auditors", "users", "clients"}

// Valid reports whether p is a known permission.
func Valid(p string) bool {
	for _, a := range All {
		if a == p {
			return true
		}
	}
	return false
}

// Split turns "users.read" into the casbin object and action.
func Split(perm string) (obj, act string) {
	obj, act, ok := strings.Cut(perm, ".")
	if !ok {
		act = "use"
	}
	return obj, act
}

// Join is the inverse of Split.
func Join(obj, act string) string {
	if act == "use" {
		return obj
	}
	return obj + "." + act
}

// Authorizer is the one policy decision point.
type Authorizer struct {
	enf   *casbin.SyncedEnforcer
	pub   Publisher
	mu    sync.RWMutex
	perms map[string]map[string]bool
}

// New builds the enforcer over the casbin_rule table (created by migration 001).
func New(d *db.DB) (*Authorizer, error) {
	ad, err := adapter(d)
	if err != nil {
		return nil, err
	}
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, err
	}
	e, err := casbin.NewSyncedEnforcer(m, ad)
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	a := &Authorizer{enf: e}
	return a, a.rebuild()
}

// Reload re-reads the policies from the database (after a change, here or on
// another replica) and rebuilds the permission sets. Casbin's load takes no context:
// when ctx ends first (a request's deadline, the database not answering) Reload answers
// db.unavailable at once and the load finishes, or fails, on its own.
func (a *Authorizer) Reload(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		if err := a.enf.LoadPolicy(); err != nil {
			done <- fmt.Errorf("casbin load policy: %w", err)
			return
		}
		done <- a.rebuild()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return apperr.DBUnavailable(ctx.Err())
	}
}

func (a *Authorizer) rebuild() error {
	rules, err := a.enf.GetPolicy()
	if err != nil {
		return err
	}
	perms := map[string]map[string]bool{}
	for _, r := range rules {
		if len(r) < 3 {
			continue
		}
		if perms[r[0]] == nil {
			perms[r[0]] = map[string]bool{}
		}
		perms[r[0]][Join(r[1], r[2])] = true
	}
	a.mu.Lock()
	a.perms = perms
	a.mu.Unlock()
	return nil
}

// Allowed is the decision: does any of the groups hold perm?
func (a *Authorizer) Allowed(groups []string, perm string) bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	for _, g := range groups {
		if a.perms[g][perm] {
			return true
		}
	}
	return false
}

// Enforce asks Casbin itself, bypassing the precomputed sets (tests compare both).
func (a *Authorizer) Enforce(group, perm string) (bool, error) {
	obj, act := Split(perm)
	return a.enf.Enforce(group, obj, act)
}

// PermissionsOf returns the sorted union of the groups' permissions.
func (a *Authorizer) PermissionsOf(groups []string) []string {
	a.mu.RLock()
	set := map[string]bool{}
	for _, g := range groups {
		for p := range a.perms[g] {
			set[p] = true
		}
	}
	a.mu.RUnlock()
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Topic is the change topic every replica reloads its policies on.
const Topic = "authz"

// Publisher announces, inside a transaction, that a topic changed (see platform/changes).
type Publisher interface {
	Publish(ctx context.Context, topic string) error
}

// SetPublisher makes policy writes announce themselves to the other replicas.
func (a *Authorizer) SetPublisher(p Publisher) { a.pub = p }

// ReplaceGroupPolicies rewrites a group's policies inside the transaction ctx carries and
// announces the change to every replica (delivered at commit). Call Reload after commit
// for this replica.
func (a *Authorizer) ReplaceGroupPolicies(ctx context.Context, group string, perms []string) error {
	if err := replaceRules(ctx, group, perms); err != nil {
		return err
	}
	if a.pub == nil {
		return nil
	}
	return a.pub.Publish(ctx, Topic)
}
