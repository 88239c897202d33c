package provider_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/provider"
	"custos/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

// fakeDir is the directory as the provider service sees it.
type fakeDir struct {
	licence string
	types   []identity.UserType
	groups  []identity.GroupRef
	attrs   []identity.Attribute
}

func (f *fakeDir) GetLicence(context.Context) (identity.Licence, error) {
	return identity.Licence{AccessType: f.licence, Version: 1}, nil
}

func (f *fakeDir) GetUserType(_ context.Context, id string) (identity.UserType, error) {
	for _, t := range f.types {
		if t.ID == id {
			return t, nil
		}
	}
	return identity.UserType{}, apperr.NotFound("user type")
}

func (f *fakeDir) UserTypeByCode(_ context.Context, code string) (identity.UserType, error) {
	for _, t := range f.types {
		if t.Code == code {
			return t, nil
		}
	}
	return identity.UserType{}, apperr.NotFound("user type")
}

func (f *fakeDir) GroupRefsByIDs(_ context.Context, ids []string) ([]identity.GroupRef, error) {
	out := []identity.GroupRef{}
	for _, g := range f.groups {
		for _, id := range ids {
			if g.ID == id {
				out = append(out, g)
			}
		}
	}
	return out, nil
}

func (f *fakeDir) GroupRefsByCodes(_ context.Context, codes []string) ([]identity.GroupRef, error) {
	out := []identity.GroupRef{}
	for _, g := range f.groups {
		for _, c := range codes {
			if g.Code == c {
				out = append(out, g)
			}
		}
	}
	return out, nil
}

func (f *fakeDir) AttributesByCodes(_ context.Context, codes []string) ([]identity.Attribute, error) {
	out := []identity.Attribute{}
	for _, a := range f.attrs {
		for _, c := range codes {
			if a.Code == c {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

func (f *fakeDir) CountUsersBySource(context.Context, string) (int64, error)         { return 0, nil }
func (f *fakeDir) CheckGroupGrant(context.Context, string, []string, []string) error { return nil }

// env is a service over a fresh database with a fake directory whose groups and user
// type exist in that database (the provider tables refer to them).
type env struct {
	svc *provider.Service
	dir *fakeDir
	d   *db.DB
	// group is a real group id, userType a real user type id.
	group, userType string
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	var g identity.GroupRef
	require.NoError(t, d.W.Table("groups").Select("id, code, name").Where("code = ?", "users").Take(&g).Error)
	ut := uuid.NewString()
	now := time.Now().UTC()
	require.NoError(t, d.W.Exec(`INSERT INTO user_types (id, code, name, quota, search_text, version, created_at, updated_at)
		VALUES (?, 'staff', 'Staff', 0, 'staff', 1, ?, ?)`, ut, now, now).Error)
	box, err := crypto.NewBox(make([]byte, 32))
	require.NoError(t, err)
	dir := &fakeDir{licence: identity.OnPremise, groups: []identity.GroupRef{g},
		types: []identity.UserType{{ID: ut, Code: "staff", Name: "Staff"}},
		attrs: []identity.Attribute{{Code: "user_roles", Type: "list"}, {Code: "department", Type: "string"}}}
	svc := provider.NewService(d, dir, box, provider.Options{StepTimeout: 300 * time.Millisecond, TestTimeout: 2 * time.Second})
	return &env{svc: svc, dir: dir, d: d, group: g.ID, userType: ut}
}

func sp(s string) *string { return &s }
func bp(b bool) *bool     { return &b }

// params builds a ParamsInput the way a request body would.
func params(t *testing.T, kv map[string]any) *provider.ParamsInput {
	t.Helper()
	var p provider.ParamsInput
	require.NoError(t, jsonRoundTrip(kv, &p))
	return &p
}

func oidc(t *testing.T, name, typ string) provider.Input {
	return provider.Input{Name: name, Type: typ, Params: params(t, map[string]any{"client_id": "c",
		"client_secret": "s", "external_url": "https://id.example.org"})}
}

func ldapIn(t *testing.T, name string) provider.Input {
	return provider.Input{Name: name, Type: provider.TypeLDAP, Params: params(t, map[string]any{
		"host": "ldap.example.org", "base_dn": "dc=example,dc=org", "bind_dn": "cn=r,dc=example,dc=org",
		"bind_password": "pw"})}
}

func ctx() context.Context { return testutil.Ctx() }

// wantErr checks an error's code and, when given, that it names field.
func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if code == "" {
		require.NoError(t, err)
		return
	}
	e, ok := apperr.As(err)
	require.True(t, ok, "want %s, got %v", code, err)
	assert.Equal(t, code, e.Code, e.Error())
	if field != "" {
		var names []string
		for _, f := range e.Fields {
			names = append(names, f.Field)
		}
		assert.Contains(t, names, field, e.Error())
	}
}
