package apitest

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// ldapProvider creates an active LDAP provider on the test slapd; params override the
// connection parameters, extra the provider's fields.
func ldapProvider(t *testing.T, c *testutil.Client, srv *testutil.LDAPServer, params, extra map[string]any) string {
	t.Helper()
	p := map[string]any{"host": srv.Host, "port": srv.Port, "bind_dn": srv.AdminDN, "bind_password": srv.AdminPassword,
		"base_dn": srv.BaseDN, "server_type": "openldap", "filter": "(objectClass=inetOrgPerson)"}
	for k, v := range params {
		p[k] = v
	}
	body := map[string]any{"name": "Directory " + testutil.RandomID()[:6], "type": "ldap", "active": true, "params": p}
	for k, v := range extra {
		body[k] = v
	}
	return testutil.MustCreate(t, c, "/api/v1/providers", body).Str("id")
}

// setActive switches a provider on or off.
func setActive(t *testing.T, c *testutil.Client, id string, active bool) {
	t.Helper()
	cur := c.Do("GET", "/api/v1/providers/"+id, nil)
	require.Equal(t, 200, cur.Status, cur.String())
	r := c.Do("PATCH", "/api/v1/providers/"+id, map[string]any{"version": cur.Num("version"), "active": active})
	require.Equal(t, 200, r.Status, r.String())
}

func lastAudit(t *testing.T, c *testutil.Client, action string) *testutil.Resp {
	t.Helper()
	r := c.Do("GET", "/api/v1/audit?action="+action+"&page_size=1", nil)
	require.Equal(t, 200, r.Status, r.String())
	return r
}

func TestLDAPSignInThroughTheLoginForm(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		// Each database gets its own directory: the subtests run in parallel and this one
		// changes alice's mail, which the other would read mid-way.
		srv := testutil.StartSLAPD(t)
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		users := testutil.GroupID(t, a, "users")
		staff := testutil.MustCreate(t, admin, "/api/v1/user-types", map[string]any{"code": "staff", "name": "Staff", "quota": 1}).Str("id")
		pid := ldapProvider(t, admin, srv, nil, map[string]any{"allow_user_creation": true,
			"base_group_ids": []string{users}, "user_type_id": staff})

		// An unknown user whose directory bind succeeds gets an account with the pre-check flag.
		r := testutil.Login(a, "Alice", "alice-password")
		require.Equal(t, 200, r.Status, r.String())
		require.NotNil(t, testutil.Cookie(r, "custos_session"))
		assert.Equal(t, "alice", r.Str("user.login"))
		assert.Equal(t, "alice@custos.test", r.Str("user.email"))
		assert.Equal(t, "Alice Liddell", r.Str("user.display_name"))
		assert.True(t, r.Get("user.ldap_precheck").(bool))
		assert.Equal(t, staff, r.Str("user.user_type_id"), "the provider's user type, as its form promises")
		assert.Equal(t, pid, r.Str("user.source_provider_id"))
		assert.Equal(t, []string{"users"}, groupCodes(r))
		assert.Equal(t, "R&D", r.Str("user.extra_attributes.departmentNumber"), "unmapped attributes are kept")
		assert.Nil(t, r.Get("user.extra_attributes.userPassword"), "never a password")
		ok := lastAudit(t, admin, "login.success")
		assert.Equal(t, "ldap", ok.Str("items.0.diff.after.provider_type"))

		// The directory changes the profile: the next sign-in applies it.
		modify(t, srv, "uid=alice,ou=people,"+srv.BaseDN, "mail", "alice.liddell@custos.test")
		r = testutil.Login(a, "alice", "alice-password")
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "alice.liddell@custos.test", r.Str("user.email"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "users", "login = ?", "alice"))

		// An account with the flag is checked by the directory, never by a local password.
		uid := r.Str("user.id")
		require.Equal(t, 204, admin.Do("POST", "/api/v1/users/"+uid+"/password", map[string]any{"password": "local-password-1"}).Status)
		testutil.AssertProblem(t, testutil.Login(a, "alice", "local-password-1"), 401, "auth.invalidCredentials")
		assert.Equal(t, 200, testutil.Login(a, "alice", "alice-password").Status)

		// The user type's one place is alice's: bob's account is created inactive and refused.
		testutil.AssertProblem(t, testutil.Login(a, "bob", "bob-password"), 403, "signin.quotaExceeded")
		assert.Equal(t, int64(1), testutil.Count(t, a, "users", "login = ? AND active = ?", "bob", false))
		testutil.AssertProblem(t, testutil.Login(a, "bob", "bob-password"), 403, "auth.accountDisabled")
	})
}

func TestLDAPSignInRefusals(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()
	pid := ldapProvider(t, admin, srv, nil, nil) // creation off
	before := testutil.Count(t, a, "users", "")

	r := testutil.Login(a, "bob", "bob-password")
	testutil.AssertProblem(t, r, 403, "signin.accountNotProvisioned")
	assert.Equal(t, before, testutil.Count(t, a, "users", ""), "nothing created")
	fail := lastAudit(t, admin, "login.failure")
	assert.Equal(t, "signin.accountNotProvisioned", fail.Str("items.0.diff.reason"))
	assert.Equal(t, "bob", fail.Str("items.0.resource_name"))
	assert.NotContains(t, string(fail.Body), "bob-password", "no secret in the audit log")

	for _, c := range []struct{ name, login, password string }{
		{"wrong password", "bob", "not-bob-password"},
		{"unknown user", "nobody", "whatever-password"},
		{"injection", "*)(uid=*", "bob-password"},
		{"wildcard", "*", "bob-password"},
		{"injection with a valid prefix", "bob)(uid=*", "bob-password"},
	} {
		r := testutil.Login(a, c.login, c.password)
		testutil.AssertProblem(t, r, 401, "auth.invalidCredentials")
		f := lastAudit(t, admin, "login.failure")
		assert.Equal(t, "invalidCredentials", f.Str("items.0.diff.reason"), c.name)
	}
	assert.Equal(t, before, testutil.Count(t, a, "users", ""), "nothing created")
	testutil.AssertProblem(t, testutil.Login(a, strings.Repeat("b", 201), "x"), 400, "validation.failed")
	testutil.AssertProblem(t, testutil.Login(a, "bob", strings.Repeat("p", 1025)), 400, "validation.failed")
	oversized := lastAudit(t, admin, "login.failure")
	assert.Equal(t, "validation.failed", oversized.Str("items.0.diff.reason"), "oversized credentials are audited")
	assert.Equal(t, "bob", oversized.Str("items.0.resource_name"))
	assert.NotContains(t, string(oversized.Body), "pppppppp", "never the password")

	// Brute force: the account locks after the configured failures, LDAP like local.
	for i := 0; i < 4; i++ {
		testutil.AssertProblem(t, testutil.Login(a, "bob", "wrong-"+strconv.Itoa(i)), 401, "auth.invalidCredentials")
	}
	locked := testutil.Login(a, "bob", "bob-password")
	testutil.AssertProblem(t, locked, 429, "auth.tooManyAttempts")

	// A directory that does not answer refuses quickly and clearly.
	setActive(t, admin, pid, false)
	dead := ldapProvider(t, admin, srv, map[string]any{"port": freePort(t)}, map[string]any{"allow_user_creation": true})
	start := time.Now()
	r = testutil.Login(a, "carol", "carol-password")
	testutil.AssertProblem(t, r, 401, "signin.providerUnavailable")
	assert.Less(t, time.Since(start), 12*time.Second)
	assert.Equal(t, "signin.providerUnavailable", lastAudit(t, admin, "login.failure").Str("items.0.diff.reason"))
	assert.Equal(t, before, testutil.Count(t, a, "users", ""))
	setActive(t, admin, dead, false)

	// Without an active LDAP provider an unknown login is just wrong.
	testutil.AssertProblem(t, testutil.Login(a, "alice", "alice-password"), 401, "auth.invalidCredentials")
}

func TestLDAPSignInOverTLS(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()
	ssl := ldapProvider(t, admin, srv, map[string]any{"connection": "ssl", "port": srv.TLSPort, "ca_cert": srv.CACert},
		map[string]any{"allow_user_creation": true})
	require.Equal(t, 200, testutil.Login(a, "alice", "alice-password").Status)
	setActive(t, admin, ssl, false)
	ldapProvider(t, admin, srv, map[string]any{"connection": "starttls", "ca_cert": srv.CACert},
		map[string]any{"allow_user_creation": true})
	r := testutil.Login(a, "bob", "bob-password")
	require.Equal(t, 200, r.Status, r.String())
	assert.True(t, r.Get("user.ldap_precheck").(bool))
}

func TestLDAPSignInWithAnAnonymousSearch(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	ldapProvider(t, a.Admin(), srv, map[string]any{"bind_dn": "", "bind_password": ""},
		map[string]any{"allow_user_creation": true})
	r := testutil.Login(a, "alice", "alice-password")
	require.Equal(t, 200, r.Status, r.String())
	assert.Equal(t, "alice@custos.test", r.Str("user.email"))
	testutil.AssertProblem(t, testutil.Login(a, "alice", ""), 400, "validation.failed")
	testutil.AssertProblem(t, testutil.Login(a, "bob", "wrong-password"), 401, "auth.invalidCredentials")
}

func TestLocalProviderInactive(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()
	testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "carol", "password": "Coral-Reef-77"})
	ldapProvider(t, admin, srv, nil, map[string]any{"allow_user_creation": true})
	require.Equal(t, 200, testutil.Login(a, "alice", "alice-password").Status, "alice gets an LDAP-checked account")
	local := admin.Do("GET", "/api/v1/providers?type=local", nil)
	require.Equal(t, 200, local.Status, local.String())
	setActive(t, admin, local.Str("items.0.id"), false)

	r := testutil.Login(a, "carol", "Coral-Reef-77")
	testutil.AssertProblem(t, r, 403, "auth.localProviderInactive")
	assert.Equal(t, "localProviderInactive", lastAudit(t, admin, "login.failure").Str("items.0.diff.reason"))
	testutil.AssertProblem(t, testutil.Login(a, "carol", "wrong-password"), 401, "auth.invalidCredentials")
	assert.Equal(t, 200, testutil.Login(a, "tech_admin", testutil.AdminPassword).Status, "tech_admin always")
	assert.Equal(t, 200, testutil.Login(a, "alice", "alice-password").Status, "accounts with the LDAP pre-check flag")
	assert.Equal(t, 200, testutil.Login(a, "bob", "bob-password").Status, "a new LDAP account gets the flag")
}

// modify replaces one attribute of an entry as the directory's administrator.
func modify(t *testing.T, srv *testutil.LDAPServer, dn, attr, value string) {
	t.Helper()
	conn, err := ldap.DialURL("ldap://" + srv.Host + ":" + strconv.Itoa(srv.Port))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Bind(srv.AdminDN, srv.AdminPassword))
	m := ldap.NewModifyRequest(dn, nil)
	m.Replace(attr, []string{value})
	require.NoError(t, conn.Modify(m))
}

// freePort is a local TCP port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}
