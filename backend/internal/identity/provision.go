package identity

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
)

// Provision is what a sign-in through an external provider writes of a user
// (SPEC §5.3). Sign-in owns the transaction; these methods run inside it.
type Provision struct {
	Login            string
	Email            string
	DisplayName      string
	UserTypeID       *string
	SourceProviderID string
	// SourceProviderName is written to the audit event only.
	SourceProviderName string
	LDAPPrecheck       bool
	GroupIDs           []string
	// ReplaceGroups makes the groups exactly GroupIDs: every membership, even one an
	// administrator added by hand, is removed first. Otherwise GroupIDs are added.
	ReplaceGroups bool
	// Attributes replace the user's mapped access-schema attributes (nil keeps them).
	Attributes map[string]any
	// Extra is merged over the user's extra attributes (soft mapping).
	Extra map[string]any
}

// ErrLoginRace reports that a concurrent sign-in created the same login first; the
// caller retries its transaction and finds the user.
var ErrLoginRace = errors.New("identity: the login was created concurrently")

// NormLogin is the stored form of a login (logins are case-insensitive).
func NormLogin(s string) string { return normLogin(s) }

// ValidLogin reports whether login (normalised) may be stored.
func ValidLogin(login string) bool {
	var c validate.Checks
	checkLogin(&c, login)
	return c.Err() == nil
}

// LockUserByLogin returns the user with the login, or nil. On PostgreSQL the row stays
// locked until tx ends, so two sign-ins of one user are applied one after the other.
func (s *Service) LockUserByLogin(ctx context.Context, login string) (*User, error) {
	return s.users.lockByLogin(ctx, normLogin(login))
}

// ProvisionCreate creates the account of a first sign-in. When the user type has no
// free place the account is created inactive and quotaOK is false: the caller refuses
// the sign-in, and an administrator sees the account waiting for a place.
func (s *Service) ProvisionCreate(ctx context.Context, in Provision) (u User, quotaOK bool, err error) {
	in.Login = normLogin(in.Login)
	if !ValidLogin(in.Login) {
		return User{}, false, apperr.Invalid(apperr.Field("login", "invalidFormat", "the provider sent an unusable login"))
	}
	quotaOK = true
	if in.UserTypeID != nil {
		if err := s.checkQuota(ctx, *in.UserTypeID, ""); err != nil {
			if !apperr.Is(err, "userType.quotaExceeded") {
				return User{}, false, err
			}
			quotaOK = false
		}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	email, name := provisionProfile(in)
	src := in.SourceProviderID
	row := userRow{ID: uuid.Must(uuid.NewV7()).String(), Login: in.Login, Email: email, DisplayName: name,
		UserTypeID: in.UserTypeID, Active: quotaOK, LDAPPrecheck: in.LDAPPrecheck,
		ExtraAttributes: fitExtra(nil, in.Extra), Attributes: fitExtra(nil, in.Attributes), SourceProviderID: &src,
		SearchText: userSearch(in.Login, email, name), Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.users.create(ctx, &row); err != nil {
		if errors.Is(err, errLoginTaken) {
			return User{}, false, ErrLoginRace
		}
		return User{}, false, err
	}
	if err := s.users.setGroups(ctx, row.ID, in.GroupIDs); err != nil {
		return User{}, false, err
	}
	if u, err = s.users.get(ctx, row.ID); err != nil {
		return User{}, false, err
	}
	after := withPasswordFlag(u, false)
	after["provider"] = in.SourceProviderName
	return u, quotaOK, audit.Record(ctx, audit.Entry{Action: "create", ResourceType: "user", ResourceID: u.ID,
		ResourceName: u.Login, After: after})
}

// ProvisionUpdate refreshes an account at sign-in: profile, mapped and extra
// attributes, and the groups (replaced or added, as in says). An event is recorded
// only when something changed.
func (s *Service) ProvisionUpdate(ctx context.Context, before User, in Provision) (User, error) {
	row, err := s.users.row(ctx, before.ID)
	if err != nil {
		return User{}, err
	}
	email, name := provisionProfile(in)
	if email != "" {
		row.Email = email
	}
	if name != "" {
		row.DisplayName = name
	}
	old := map[string]any{}
	_ = json.Unmarshal([]byte(row.ExtraAttributes), &old)
	row.ExtraAttributes = fitExtra(old, in.Extra)
	if in.Attributes != nil {
		row.Attributes = fitExtra(nil, in.Attributes)
	}
	groups := in.GroupIDs
	if !in.ReplaceGroups {
		groups = append(slices.Clone(before.GroupIDs), in.GroupIDs...)
	}
	groups = uniqSorted(groups)
	sameGroups := slices.Equal(groups, uniqSorted(before.GroupIDs))
	next := row.toAPI(groups)
	if sameGroups && sameProfile(before, next) {
		return before, nil
	}
	row.SearchText = userSearch(row.Login, row.Email, row.DisplayName)
	row.Version++
	row.UpdatedAt = time.Now().UTC().Truncate(time.Microsecond)
	if err := s.users.overwrite(ctx, &row); err != nil {
		return User{}, err
	}
	if !sameGroups {
		if err := s.users.setGroups(ctx, row.ID, groups); err != nil {
			return User{}, err
		}
	}
	out, err := s.users.get(ctx, row.ID)
	if err != nil {
		return User{}, err
	}
	return out, audit.Record(ctx, audit.Entry{Action: "update", ResourceType: "user", ResourceID: out.ID,
		ResourceName: out.Login, Before: before, After: out})
}

// provisionProfile returns the email (dropped when it is not an address) and the
// display name (cut to its column) a provider sent.
func provisionProfile(in Provision) (string, string) {
	email := strings.TrimSpace(in.Email)
	var c validate.Checks
	if c.Email("email", email); c.Err() != nil || len(email) > 320 {
		email = ""
	}
	name := validate.CleanText(strings.TrimSpace(in.DisplayName), 200)
	return email, name
}

func sameProfile(a, b User) bool {
	return a.Email == b.Email && a.DisplayName == b.DisplayName &&
		reflect.DeepEqual(normJSON(a.ExtraAttributes), normJSON(b.ExtraAttributes)) &&
		reflect.DeepEqual(normJSON(a.Attributes), normJSON(b.Attributes))
}

// normJSON round-trips a map through JSON so numbers and lists compare alike.
func normJSON(m map[string]any) any {
	b, _ := json.Marshal(m)
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

// fitExtra merges add over base and keeps the result within the limits of the extra
// attributes (100 keys, 16 KiB): values over 2 KiB are dropped, then keys beyond the
// limits in alphabetical order. Claims can be large; a sign-in must not fail on them.
func fitExtra(base, add map[string]any) string {
	m := map[string]any{}
	maps.Copy(m, base)
	for k, v := range add {
		if b, err := json.Marshal(v); err == nil && len(b) <= 2<<10 && len(k) <= 200 {
			m[k] = v
		}
	}
	keys := slices.Collect(maps.Keys(m))
	sort.Strings(keys)
	out, size := map[string]any{}, 2
	for _, k := range keys {
		b, _ := json.Marshal(m[k])
		if len(out) >= 100 || size+len(k)+len(b)+4 > maxExtraBytes {
			break
		}
		out[k] = m[k]
		size += len(k) + len(b) + 4
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func uniqSorted(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}
