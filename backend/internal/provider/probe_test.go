package provider_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/provider"
	"custos/internal/testutil"
)

// A dead or silent server never hangs a connection test: each step has its timeout.
func TestConnectionTestNeverHangs(t *testing.T) {
	e := newEnv(t, testutil.NewDB(t, db.SQLite))
	host, port := testutil.SilentServer(t)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(hang.Close)

	cases := []struct {
		name string
		in   provider.Input
		want []string
	}{
		{"ldap bind to a silent server", provider.Input{Name: "l", Type: provider.TypeLDAP, Params: params(t, map[string]any{
			"host": host, "port": port, "base_dn": "dc=x"})}, []string{"dns:true", "tcp:true", "bind:false"}},
		{"ldaps handshake with a silent server", provider.Input{Name: "s", Type: provider.TypeLDAP, Params: params(t, map[string]any{
			"host": host, "port": port, "base_dn": "dc=x", "connection": "ssl"})}, []string{"dns:true", "tcp:true", "tls:false"}},
		{"starttls with a silent server", provider.Input{Name: "st", Type: provider.TypeLDAP, Params: params(t, map[string]any{
			"host": host, "port": port, "base_dn": "dc=x", "connection": "starttls"})}, []string{"dns:true", "tcp:true", "starttls:false"}},
		{"discovery from a hanging server", provider.Input{Name: "o", Type: provider.TypeOIDC, Params: params(t, map[string]any{
			"client_id": "c", "client_secret": "s", "external_url": hang.URL})}, []string{"discovery:false"}},
		{"rest on a hanging server", provider.Input{Name: "r", Type: provider.TypeREST, Params: params(t, map[string]any{
			"external_url": hang.URL})}, []string{"dns:true", "reachability:false"}},
		{"unresolvable host", provider.Input{Name: "u", Type: provider.TypeLDAP, Params: params(t, map[string]any{
			"host": "no-such-host.invalid", "base_dn": "dc=x"})}, []string{"dns:false"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := e.svc.Create(ctx(), c.in)
			require.NoError(t, err)
			start := time.Now()
			r, err := e.svc.Test(ctx(), p.ID)
			require.NoError(t, err)
			assert.Less(t, time.Since(start), 2500*time.Millisecond, "bounded by the timeouts")
			var got []string
			for _, s := range r.Steps {
				got = append(got, s.Step+":"+strconv.FormatBool(s.OK))
			}
			assert.Equal(t, c.want, got)
			assert.False(t, r.OK)
			if last := r.Steps[len(r.Steps)-1]; c.name != "unresolvable host" {
				assert.Contains(t, last.Message, "timed out", last.Message)
			}
		})
	}
}

// The unique indexes of migration 003 hold even when a writer skips the service's
// checks: one local provider, one active provider of each single-instance type.
func TestIndexesBackTheRules(t *testing.T) {
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		insert := func(typ string, active bool) error {
			now := time.Now().UTC()
			name := "raw " + uuid.NewString()
			return d.W.Exec(`INSERT INTO providers (id, name, name_key, type, active, allow_user_creation, search_text,
				version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				uuid.NewString(), name, name, typ, active, false, name, now, now).Error
		}
		assert.Error(t, insert(provider.TypeLocal, false), "a second local provider")
		for _, typ := range []string{provider.TypeLDAP, provider.TypeOIDCCookie, provider.TypeLDAPKerberos} {
			require.NoError(t, insert(typ, true), typ)
			assert.Error(t, insert(typ, true), "a second active %s", typ)
			require.NoError(t, insert(typ, false), "inactive ones are free")
		}
		for _, typ := range []string{provider.TypeOIDC, provider.TypeOIDCToken, provider.TypeREST} {
			require.NoError(t, insert(typ, true))
			require.NoError(t, insert(typ, true), "many active %s", typ)
		}
		assert.Error(t, d.W.Exec(`UPDATE providers SET name_key = 'custos' WHERE type = 'oidc'`).Error, "unique names")
	})
}
