package apitest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

const stepUpAge = 10 * time.Minute

// stepUpPerson is a technical administrator with an authenticator app, signed in with
// the password before the app was set up: their session never proved a second factor.
type stepUpPerson struct {
	a      *testutil.TestApp
	clock  *testutil.Clock
	c      *testutil.Client
	id     string
	login  string
	secret string
	codes  []string
}

func newStepUpPerson(t *testing.T, d *db.DB, opts ...func(*config.Config)) *stepUpPerson {
	t.Helper()
	a, clock := totpApp(t, d, append([]func(*config.Config){func(c *config.Config) { c.StepUpAge = stepUpAge }}, opts...)...)
	login := fmt.Sprintf("olga%d", time.Now().UnixNano())
	const pw = "Olga-step-up-pw-1"
	id := testutil.MustCreate(t, a.Admin(), "/api/v1/users", map[string]any{"login": login, "password": pw,
		"group_ids": []string{testutil.GroupID(t, a, "tech_admins")}}).Str("id")
	c := a.Login(login, pw)
	secret, codes := enrol(t, c, clock)
	return &stepUpPerson{a: a, clock: clock, c: c, id: id, login: login, secret: secret, codes: codes}
}

// stepUp proves the app's code of the next time step (the previous one is spent).
func (p *stepUpPerson) stepUp(t *testing.T) *testutil.Resp {
	t.Helper()
	p.clock.Advance(30 * time.Second)
	r := p.c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": codeAt(t, p.secret, p.clock, 0)})
	require.Equal(t, 200, r.Status, r.String())
	return r
}

func assertStepUpRequired(t *testing.T, r *testutil.Resp, methods ...string) {
	t.Helper()
	testutil.AssertProblem(t, r, 401, "auth.stepUpRequired")
	assert.Equal(t, methods, testutil.Strings(r.Get("methods")), r.String())
}

func stepUpRefusals(t *testing.T, a *testutil.TestApp, userID string) int64 {
	return testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ? AND diff LIKE ?", "access.denied", userID, "%auth.stepUpRequired%")
}

// TestStepUpGuardsWhatMatters: each operation that matters is refused, audited and left
// undone while the session's proof is stale, and done after a step-up; the proof lasts
// exactly CUSTOS_STEP_UP_AGE.
func TestStepUpGuardsWhatMatters(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		p := newStepUpPerson(t, d)
		a, admin, c := p.a, p.a.Admin(), p.c
		cat := newCatalogue(t, a, admin, map[string]any{"approval_required": true})
		anna := a.As(cat.group)
		iss := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		iss2 := testutil.MustCreate(t, a.As(cat.group), "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		grp := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "watchers", "name": "Watchers",
			"permissions": []string{"users.read"}})
		member := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "boris", "password": "Birch-pw-9876"})
		caCert, caKey := opensslCA(t, t.TempDir(), "new", "/CN=Step-up Root/O=Elsewhere",
			"basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign")

		type op struct {
			method, path string
			body         any
			status       int
		}
		ops := []op{
			{"PATCH", "/api/v1/groups/" + grp.Str("id"), map[string]any{"version": grp.Num("version"), "permissions": []string{"users.read", "users.write"}}, 200},
			{"POST", "/api/v1/groups", map[string]any{"code": "granters", "name": "Granters", "permissions": []string{"users.write"}}, 201},
			{"PATCH", "/api/v1/users/" + member.Str("id"), map[string]any{"version": member.Num("version"), "group_ids": []string{grp.Str("id")}}, 200},
			{"POST", "/api/v1/users", map[string]any{"login": "clara", "password": "Birch-pw-9876", "group_ids": []string{grp.Str("id")}}, 201},
			{"POST", "/api/v1/ca/import", map[string]string{"certificate": caCert, "private_key": caKey}, 200},
			{"POST", "/api/v1/issuances/" + iss + "/approve", map[string]any{"comment": "ok"}, 200},
			{"POST", "/api/v1/issuances/bulk-approve", map[string]any{"ids": []string{iss2}}, 200},
			{"POST", "/api/v1/tokens", map[string]any{"name": "writer", "scopes": []string{"users.write"}}, 201},
			{"POST", "/api/v1/me/tokens", map[string]any{"name": "mine", "scopes": []string{"selfservice"}}, 201},
		}
		// Stale: every one is refused with the accepted methods, audited, and nothing is done.
		for _, o := range ops {
			assertStepUpRequired(t, c.Do(o.method, o.path, o.body), "totp", "recovery_code")
		}
		assert.Equal(t, int64(len(ops)), stepUpRefusals(t, a, p.id))
		g := admin.Do("GET", "/api/v1/groups/"+grp.Str("id"), nil)
		assert.Equal(t, []string{"users.read"}, testutil.Strings(g.Get("permissions")))
		assert.Equal(t, int64(0), testutil.Count(t, a, "groups", "code = ?", "granters"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "users", "login = ?", "clara"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "user_groups", "user_id = ?", member.Str("id")))
		assert.Equal(t, false, admin.Do("GET", "/api/v1/ca", nil).Get("imported"))
		assert.Equal(t, "pending_approval", admin.Do("GET", "/api/v1/issuances/"+iss, nil).Str("state"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "api_tokens", "name IN ?", []string{"writer", "mine"}))

		// A token with read-only scopes is not an operation that matters.
		r := c.Do("POST", "/api/v1/tokens", map[string]any{"name": "reader", "scopes": []string{"users.read", "audit.read"}})
		require.Equal(t, 201, r.Status, r.String())

		// After a step-up each is done.
		up := p.stepUp(t)
		assert.Equal(t, "totp", up.Str("method"))
		for _, o := range ops {
			r := c.Do(o.method, o.path, o.body)
			assert.Equal(t, o.status, r.Status, "%s %s: %s", o.method, o.path, r.String())
		}
		assert.Equal(t, "approved", admin.Do("GET", "/api/v1/issuances/"+iss, nil).Str("state"))
		assert.Equal(t, true, admin.Do("GET", "/api/v1/ca", nil).Get("imported"))
		ev := auditOf(t, admin, url.Values{"resource_id": {p.id}, "action": {"step_up.success"}})
		assert.Equal(t, float64(1), ev.Num("total"), ev.String())

		// The age's edge: just under it still open, just over it asks again.
		g = admin.Do("GET", "/api/v1/groups/"+grp.Str("id"), nil)
		patch := func() *testutil.Resp {
			v := admin.Do("GET", "/api/v1/groups/"+grp.Str("id"), nil).Num("version")
			return c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v, "name": "Watchers " + uuid.NewString()[:6]})
		}
		at, err := time.Parse(time.RFC3339Nano, up.Str("factor_at"))
		require.NoError(t, err)
		p.clock.Advance(at.Add(stepUpAge).Sub(p.clock.Now()) - time.Microsecond)
		require.Equal(t, 200, patch().Status)
		p.clock.Advance(2 * time.Microsecond)
		assertStepUpRequired(t, patch(), "totp", "recovery_code")
		// Adding a write scope to a token asks too; renaming one does not.
		tok := c.Do("GET", "/api/v1/tokens?q=reader", nil)
		require.Equal(t, 1, tok.Len("items"), tok.String())
		tid, tv := tok.Str("items.0.id"), tok.Num("items.0.version")
		assertStepUpRequired(t, c.Do("PATCH", "/api/v1/tokens/"+tid, map[string]any{"version": tv, "scopes": []string{"users.read", "users.write"}}), "totp", "recovery_code")
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/tokens/"+tid, map[string]any{"version": tv, "name": "reader 2"}).Status)
	})
}

// TestStepUpRoutesAreGuarded: every route routes.go marks as mattering refuses a stale
// session before anything else (even a body it could not bind).
func TestStepUpRoutesAreGuarded(t *testing.T) {
	t.Parallel()
	p := newStepUpPerson(t, testutil.NewDB(t, db.SQLite))
	var flagged []string
	for _, r := range p.a.Routes {
		if !r.StepUp {
			continue
		}
		flagged = append(flagged, r.Method+" "+strings.TrimPrefix(r.Path, "/api/v1"))
		parts := strings.Split(r.Path, "/")
		for i, s := range parts {
			if strings.HasPrefix(s, ":") {
				parts[i] = uuid.NewString()
			}
		}
		assertStepUpRequired(t, p.c.Do(r.Method, strings.Join(parts, "/"), "{"), "totp", "recovery_code")
	}
	assert.ElementsMatch(t, []string{"POST /users", "PATCH /users/:id", "POST /groups", "PATCH /groups/:id", "POST /ca/import",
		"POST /issuances/bulk-approve", "POST /issuances/:id/approve"}, flagged)
}

// TestStepUpNotAskedOf: API tokens, people without a second factor, and a session that
// proved its factor at sign-in within the age.
func TestStepUpNotAskedOf(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		p := newStepUpPerson(t, d)
		a, admin := p.a, p.a.Admin()
		grp := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "readers", "name": "Readers",
			"permissions": []string{"users.read"}}) // tech_admin has no factor: not asked
		_, tok := testutil.NewToken(t, admin, "/api/v1/tokens", map[string]any{"name": "robot", "scopes": []string{"users.read", "users.write", "audit.read"}})
		robot := testutil.TokenClient(a, tok)
		r := robot.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": grp.Num("version"), "permissions": []string{"users.read", "audit.read"}})
		require.Equal(t, 200, r.Status, r.String())
		testutil.AssertProblem(t, robot.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": "123456"}), 403, "auth.sessionRequired")

		// Olga's personal token, made after a step-up, is not asked when her session is stale.
		p.stepUp(t)
		_, ptok := testutil.NewToken(t, p.c, "/api/v1/me/tokens", map[string]any{"name": "laptop", "scopes": []string{"users.read", "users.write", "audit.read"}})
		p.clock.Advance(stepUpAge + time.Second)
		v := admin.Do("GET", "/api/v1/groups/"+grp.Str("id"), nil).Num("version")
		assertStepUpRequired(t, p.c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v, "name": "Readers 2"}), "totp", "recovery_code")
		r = testutil.TokenClient(a, ptok).Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v, "name": "Readers 3"})
		require.Equal(t, 200, r.Status, r.String())

		// Signing in with the second factor is a proof: fresh for the age, then stale.
		c := a.Anonymous()
		ch := passwordStep(t, c, p.login, "Olga-step-up-pw-1", false)
		p.clock.Advance(30 * time.Second)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, p.secret, p.clock, 0)}).Status)
		v = admin.Do("GET", "/api/v1/groups/"+grp.Str("id"), nil).Num("version")
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v, "name": "Readers 4"}).Status)
		p.clock.Advance(stepUpAge + time.Second)
		assertStepUpRequired(t, c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), map[string]any{"version": v + 1, "name": "Readers 5"}), "totp", "recovery_code")
	})
}

// TestStepUpCodes: a code is accepted once, a recovery code once, wrong codes count
// toward the sign-in lock-out and are audited.
func TestStepUpCodes(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		p := newStepUpPerson(t, d)
		a, c := p.a, p.c
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up", map[string]any{}), 400, "validation.failed")
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": "1", "recovery_code": "x"}), 400, "validation.failed")

		// Replay: the code of the step just used is refused.
		p.clock.Advance(30 * time.Second)
		code := codeAt(t, p.secret, p.clock, 0)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": code}).Status)
		r := c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": code})
		testutil.AssertProblem(t, r, 401, "mfa.codeReused")
		assert.Equal(t, []string{"code"}, testutil.FieldsOf(r))

		// A recovery code works once.
		r = c.Do("POST", "/api/v1/auth/step-up", map[string]any{"recovery_code": p.codes[0]})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "recovery_code", r.Str("method"))
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up", map[string]any{"recovery_code": p.codes[0]}), 401, "mfa.invalidCode")

		// Wrong codes: with the spent recovery code above (a success cleared the reused
		// one), five failures lock the account from this address; even the right code waits.
		for i := 0; i < 4; i++ {
			testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": fmt.Sprintf("%06d", i)}), 401, "mfa.invalidCode")
		}
		p.clock.Advance(30 * time.Second)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up", map[string]any{"code": codeAt(t, p.secret, p.clock, 0)}), 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, a.Anonymous().Do("POST", "/api/v1/auth/login", map[string]any{"login": p.login, "password": "Olga-step-up-pw-1"}), 429, "auth.tooManyAttempts")
		assert.Equal(t, int64(6), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "step_up.failure", p.id))
		assert.Equal(t, int64(2), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "step_up.success", p.id))
	})
}

// TestStepUpWithPasskey: a passkey proves the factor again through begin/finish; its
// ceremony is single use and a bad assertion is a counted failure.
func TestStepUpWithPasskey(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		clock := a.StepClock()
		a.MFA.SetClock(clock.Now)
		admin := a.Admin()
		id := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "pavel", "password": "Birch-pk-pw-123",
			"group_ids": []string{testutil.GroupID(t, a, "tech_admins")}}).Str("id")
		c := lLogin(t, a, "pavel", "Birch-pk-pw-123")
		k, _ := addPasskey(t, a, c, "Laptop")
		grp := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": "pk", "name": "Pk", "permissions": []string{"users.read"}})
		patch := map[string]any{"version": grp.Num("version"), "name": "Pk 2"}
		assertStepUpRequired(t, c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), patch), "webauthn")

		b := c.Do("POST", "/api/v1/auth/step-up/passkey/begin", nil)
		require.Equal(t, 200, b.Status, b.String())
		bad := k.assert(t, b.Get("options"), "https://evil.example", "", 1)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up/passkey/finish", map[string]any{"ceremony": b.Str("ceremony"), "credential": bad}), 401, "webauthn.invalidAssertion")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "step_up.failure", id))

		b = c.Do("POST", "/api/v1/auth/step-up/passkey/begin", nil)
		fin := map[string]any{"ceremony": b.Str("ceremony"), "credential": k.assert(t, b.Get("options"), "", "", 1)}
		r := c.Do("POST", "/api/v1/auth/step-up/passkey/finish", fin)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "webauthn", r.Str("method"))
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/step-up/passkey/finish", fin), 401, "webauthn.ceremonyInvalid")
		require.Equal(t, 200, c.Do("PATCH", "/api/v1/groups/"+grp.Str("id"), patch).Status)
	})
}
