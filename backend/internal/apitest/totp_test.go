package apitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// totpApp is an app whose sign-in and second factors run on a clock the test steps,
// started one second into a TOTP time step.
func totpApp(t *testing.T, d *db.DB, opts ...func(*config.Config)) (*testutil.TestApp, *testutil.Clock) {
	a := testutil.NewApp(t, d, opts...)
	clock := a.StepClock()
	clock.Advance(time.Duration(31-clock.Now().Unix()%30) * time.Second)
	a.MFA.SetClock(clock.Now)
	return a, clock
}

// codeAt is the TOTP code of secret at step offset steps from the clock's.
func codeAt(t *testing.T, secret string, clock *testutil.Clock, steps int) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, clock.Now().Add(time.Duration(steps)*30*time.Second),
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	require.NoError(t, err)
	return c
}

// enrol sets up TOTP for c and answers the key and the recovery codes.
func enrol(t *testing.T, c *testutil.Client, clock *testutil.Clock) (string, []string) {
	t.Helper()
	r := c.Do("POST", "/api/v1/me/factors/totp", nil)
	require.Equal(t, 200, r.Status, r.String())
	secret := r.Str("secret")
	r = c.Do("POST", "/api/v1/me/factors/totp/confirm", map[string]any{"code": codeAt(t, secret, clock, 0)})
	require.Equal(t, 200, r.Status, r.String())
	return secret, testutil.Strings(r.Get("recovery_codes"))
}

// passwordStep signs in with a password and answers the challenge.
func passwordStep(t *testing.T, c *testutil.Client, login, password string, remember bool) string {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": password, "remember_me": remember})
	require.Equal(t, 200, r.Status, r.String())
	require.Equal(t, "totp", r.Str("second_factor"), r.String())
	assert.Nil(t, testutil.Cookie(r, "custos_session"), "no session before the second factor")
	return r.Str("challenge")
}

func TestTOTPEnrolAndSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Birch-Totp-pw-1"
		u := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "anna", "password": pw})
		id := u.Str("id")
		anna := a.Login("anna", pw)

		r := anna.Do("GET", "/api/v1/me/factors", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, false, r.Get("totp"))

		// Start: the key as a URL and as text; a wrong first code activates nothing.
		r = anna.Do("POST", "/api/v1/me/factors/totp", nil)
		require.Equal(t, 200, r.Status, r.String())
		secret := r.Str("secret")
		assert.True(t, strings.HasPrefix(r.Str("otpauth_url"), "otpauth://totp/Custos:anna?"), r.Str("otpauth_url"))
		assert.Contains(t, r.Str("otpauth_url"), "secret="+secret)
		assert.True(t, strings.HasPrefix(r.Str("qr_png"), "data:image/png;base64,"))
		assert.Equal(t, true, anna.Do("GET", "/api/v1/me/factors", nil).Get("totp_pending"))
		r = anna.Do("POST", "/api/v1/me/factors/totp/confirm", map[string]any{"code": codeAt(t, secret, clock, 2)})
		testutil.AssertProblem(t, r, 401, "mfa.invalidCode")
		assert.Equal(t, []string{"code"}, testutil.FieldsOf(r))
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/factors/totp/confirm", map[string]any{}), 400, "validation.failed")
		require.Equal(t, 200, testutil.Login(a, "anna", pw).Status, "still signs in with the password alone")
		assert.Nil(t, testutil.Login(a, "anna", pw).Get("second_factor"))

		first := codeAt(t, secret, clock, 0)
		r = anna.Do("POST", "/api/v1/me/factors/totp/confirm", map[string]any{"code": first})
		require.Equal(t, 200, r.Status, r.String())
		codes := testutil.Strings(r.Get("recovery_codes"))
		require.Len(t, codes, 10)
		r = anna.Do("GET", "/api/v1/me/factors", nil)
		assert.Equal(t, true, r.Get("totp"))
		assert.Equal(t, float64(10), r.Num("recovery_codes_left"))
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/factors/totp", nil), 409, "mfa.alreadyEnrolled")

		// Sealed and hashed at rest; never in the audit log.
		var sealed string
		require.NoError(t, a.DB.W.Table("user_factors").Where("user_id = ?", id).Pluck("secret", &sealed).Error)
		assert.True(t, strings.HasPrefix(sealed, "v1:"), sealed)
		assert.NotContains(t, sealed, secret)
		var hashes []string
		require.NoError(t, a.DB.W.Table("recovery_codes").Where("user_id = ?", id).Pluck("code_hash", &hashes).Error)
		require.Len(t, hashes, 10)
		assert.True(t, strings.HasPrefix(hashes[0], "$argon2id$"), hashes[0])
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ? OR diff LIKE ?", "%"+secret+"%", "%"+codes[0]+"%"))
		ev := auditOf(t, admin, url.Values{"resource_id": {id}, "resource_type": {"user_factors"}, "sort": {"at"}, "order": {"asc"}})
		assert.Equal(t, []string{"totp.enrol", "totp.confirm"}, each(ev, "action"))

		// The password alone opens no session; the code of the step the confirmation used
		// is spent, the next one signs in with the cookies and remember_me of step one.
		c := a.Anonymous()
		ch := passwordStep(t, c, "anna", pw, true)
		testutil.AssertProblem(t, c.Do("GET", "/api/v1/auth/me", nil), 401, "auth.unauthenticated")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": first}), 401, "mfa.codeReused")
		clock.Advance(30 * time.Second)
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "anna", r.Str("user.login"))
		ck := testutil.Cookie(r, "custos_session")
		require.NotNil(t, ck)
		assert.Positive(t, ck.MaxAge, "remember_me is carried from the password step")
		require.NotNil(t, testutil.Cookie(r, "custos_csrf"))
		require.Equal(t, 200, c.Do("GET", "/api/v1/auth/me", nil).Status)
		require.Equal(t, 204, c.Do("POST", "/api/v1/auth/logout", nil).Status, "a CSRF-checked request works")

		// A challenge is single use; the same code is refused again (no replay).
		c = a.Anonymous()
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 1)}), 401, "mfa.challengeInvalid")
		ch = passwordStep(t, c, "anna", pw, false)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)}), 401, "mfa.codeReused")

		// Window edges: one step of skew either way, not two.
		clock.Advance(90 * time.Second)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, -2)}), 401, "mfa.invalidCode")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 2)}), 401, "mfa.invalidCode")
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, -1)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Zero(t, testutil.Cookie(r, "custos_session").MaxAge, "without remember_me a browser-session cookie")
		c = a.Anonymous()
		ch = passwordStep(t, c, "anna", pw, false)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 1)}).Status)

		// A challenge lasts five minutes.
		c = a.Anonymous()
		ch = passwordStep(t, c, "anna", pw, false)
		clock.Advance(5*time.Minute + time.Second)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)}), 401, "mfa.challengeInvalid")

		// A recovery code works once.
		ch = passwordStep(t, c, "anna", pw, false)
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "recovery_code": strings.ToUpper(codes[3])})
		require.Equal(t, 200, r.Status, r.String())
		c = a.Anonymous()
		ch = passwordStep(t, c, "anna", pw, false)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "recovery_code": codes[3]}), 401, "mfa.invalidCode")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch}), 400, "validation.failed")
		assert.Equal(t, float64(9), anna.Do("GET", "/api/v1/me/factors", nil).Num("recovery_codes_left"))
		ev = auditOf(t, admin, url.Values{"action": {"login.success"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.after.second_factor"), "recovery_code")
		assert.Contains(t, each(ev, "diff.after.second_factor"), "totp")

		// The administrator, without a second factor, signs in exactly as before.
		r = testutil.Login(a, "tech_admin", testutil.AdminPassword)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "tech_admin", r.Str("user.login"))
		assert.Nil(t, r.Get("second_factor"))
	})
}

func TestTOTPManageAndReset(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Birch-Totp-pw-2"
		id := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "boris", "password": pw}).Str("id")
		boris := a.Login("boris", pw)
		secret, codes := enrol(t, boris, clock)

		// New recovery codes need a current code; the old ones stop working.
		testutil.AssertProblem(t, boris.Do("POST", "/api/v1/me/factors/recovery-codes", map[string]any{"code": "000000"}), 401, "mfa.invalidCode")
		clock.Advance(30 * time.Second)
		r := boris.Do("POST", "/api/v1/me/factors/recovery-codes", map[string]any{"code": codeAt(t, secret, clock, 0)})
		require.Equal(t, 200, r.Status, r.String())
		fresh := testutil.Strings(r.Get("recovery_codes"))
		require.Len(t, fresh, 10)
		c := a.Anonymous()
		ch := passwordStep(t, c, "boris", pw, false)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "recovery_code": codes[0]}), 401, "mfa.invalidCode")

		// An API token manages no factors.
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "bot", "scopes": []string{"users.read"}})
		testutil.AssertProblem(t, testutil.TokenClient(a, tok).Do("GET", "/api/v1/me/factors", nil), 403, "auth.sessionRequired")

		// An administrator's reset removes the factor and ends the sessions.
		r = admin.Do("POST", "/api/v1/users/"+id+"/factors/reset", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.GreaterOrEqual(t, r.Num("sessions_ended"), float64(1))
		assert.False(t, signedIn(t, boris))
		assert.Equal(t, int64(0), testutil.Count(t, a, "user_factors", "user_id = ?", id))
		assert.Equal(t, int64(0), testutil.Count(t, a, "recovery_codes", "user_id = ?", id))
		r = testutil.Login(a, "boris", pw)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "boris", r.Str("user.login"))
		ev := auditOf(t, admin, url.Values{"action": {"factors.reset"}, "resource_id": {id}})
		require.Equal(t, 1, ev.Len("items"), ev.String())
		assert.Equal(t, "tech_admin", ev.Str("items.0.actor_name"))
		testutil.AssertProblem(t, a.As("users").Do("POST", "/api/v1/users/"+id+"/factors/reset", nil), 403, "authz.denied")

		// Removing one's own factor takes a code or the password.
		boris = a.Login("boris", pw)
		secret, _ = enrol(t, boris, clock)
		testutil.AssertProblem(t, boris.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{}), 400, "validation.failed")
		testutil.AssertProblem(t, boris.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{"password": "wrong-one"}), 400, "auth.wrongCurrentPassword")
		require.Equal(t, 204, boris.Do("DELETE", "/api/v1/me/factors/totp", map[string]any{"password": pw}).Status)
		assert.Equal(t, false, boris.Do("GET", "/api/v1/me/factors", nil).Get("totp"))
		_ = secret
		ev = auditOf(t, admin, url.Values{"action": {"totp.remove"}, "resource_id": {id}})
		assert.Equal(t, "password", ev.Str("items.0.diff.after.proved_with"))
	})
}

func TestTOTPGuessesLockOut(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d, func(c *config.Config) { c.LoginMaxFailures = 3 })
		admin := a.Admin()
		const pw = "Birch-Totp-pw-3"
		id := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "vera", "password": pw}).Str("id")
		secret, _ := enrol(t, a.Login("vera", pw), clock)
		clock.Advance(30 * time.Second)

		c := a.Anonymous()
		ch := passwordStep(t, c, "vera", pw, false)
		for i := 0; i < 3; i++ {
			// a fresh password step between guesses gives no attempts back
			testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": "123456"}), 401, "mfa.invalidCode")
			if i == 1 {
				ch = passwordStep(t, c, "vera", pw, false)
			}
		}
		r := c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)})
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login", map[string]any{"login": "vera", "password": pw}), 429, "auth.tooManyAttempts")
		ev := auditOf(t, admin, url.Values{"action": {"login.failure"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.reason"), "mfa.invalidCode")
	})
}

func TestTOTPAfterLDAPSignIn(t *testing.T) {
	t.Parallel()
	srv := testutil.StartSLAPD(t)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		users := testutil.GroupID(t, a, "users")
		ldapProvider(t, admin, srv, nil, map[string]any{"allow_user_creation": true, "base_group_ids": []string{users}})
		alice := a.Login("alice", "alice-password")
		id := testutil.UserID(t, a, "alice")
		secret, _ := enrol(t, alice, clock)
		clock.Advance(30 * time.Second)

		// The directory checks the password; the session waits for the code.
		sessions := testutil.Count(t, a, "sessions", "user_id = ?", id)
		c := a.Anonymous()
		ch := passwordStep(t, c, "Alice", "alice-password", false)
		assert.Equal(t, sessions, testutil.Count(t, a, "sessions", "user_id = ?", id), "no session before the code")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": "000000"}), 401, "mfa.invalidCode")
		r := c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "alice", r.Str("user.login"))
		assert.Equal(t, sessions+1, testutil.Count(t, a, "sessions", "user_id = ?", id))
		testutil.AssertProblem(t, testutil.Login(a, "alice", "wrong-password"), 401, "auth.invalidCredentials")

		// The break-glass reset (custos user reset-factors) works by login.
		ended, err := a.MFA.Reset(testutil.Ctx(), "", "alice", "custos user reset-factors")
		require.NoError(t, err)
		assert.Equal(t, sessions+1, ended)
		assert.Equal(t, "alice", testutil.Login(a, "alice", "alice-password").Str("user.login"))
		_, err = a.MFA.Reset(testutil.Ctx(), "", "nobody", "custos user reset-factors")
		require.Error(t, err)
	})
}

func TestTOTPAfterRESTSignIn(t *testing.T) {
	t.Parallel()
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Login, Password string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		if in.Password != "rest-password" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"login":"` + in.Login + `","email":"` + in.Login + `@example.com"}`))
	}))
	t.Cleanup(svc.Close)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d, func(c *config.Config) { c.LoginMaxFailures = 3 })
		admin := a.Admin()
		pid := testutil.MustCreate(t, admin, "/api/v1/providers", map[string]any{"name": "Partner REST", "type": "rest", "active": true,
			"allow_user_creation": true, "params": map[string]any{"external_url": svc.URL}}).Str("id")
		c := a.Anonymous()
		restLogin := func() *testutil.Resp {
			return c.Do("POST", "/api/v1/auth/rest/"+pid+"/session", map[string]any{"login": "gleb", "password": "rest-password"})
		}
		require.Equal(t, 200, restLogin().Status)
		secret, _ := enrol(t, c, clock)
		clock.Advance(30 * time.Second)
		id := testutil.UserID(t, a, "gleb")
		sessions := testutil.Count(t, a, "sessions", "user_id = ?", id)

		// The provider's right password opens no session: a challenge, as on the login form.
		c = a.Anonymous()
		r := restLogin()
		require.Equal(t, 200, r.Status, r.String())
		require.Equal(t, "totp", r.Str("second_factor"), r.String())
		assert.Nil(t, testutil.Cookie(r, "custos_session"))
		assert.Equal(t, sessions, testutil.Count(t, a, "sessions", "user_id = ?", id))
		// Password steps between guesses give no attempts back: the third wrong code locks.
		ch := r.Str("challenge")
		for i := 0; i < 3; i++ {
			testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": "000000"}), 401, "mfa.invalidCode")
			if i < 2 {
				r = restLogin()
				require.Equal(t, 200, r.Status, r.String())
				ch = r.Str("challenge")
			}
		}
		testutil.AssertProblem(t, restLogin(), 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)}), 429, "auth.tooManyAttempts")
		clock.Advance(time.Hour)
		r = restLogin()
		require.Equal(t, 200, r.Status, r.String())
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": r.Str("challenge"), "code": codeAt(t, secret, clock, 0)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "gleb", r.Str("user.login"))
		require.NotNil(t, testutil.Cookie(r, "custos_session"))
	})
}
