package apitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

var b64 = base64.RawURLEncoding

// localURL is the app's address by the name localhost: a passkey's relying party id must
// be a domain, never an IP address.
func localURL(a *testutil.TestApp) string { return strings.Replace(a.URL, "127.0.0.1", "localhost", 1) }

func lAnon(a *testutil.TestApp) *testutil.Client { return a.ClientAt(localURL(a), nil) }

func lLogin(t *testing.T, a *testutil.TestApp, login, pw string) *testutil.Client {
	t.Helper()
	c := lAnon(a)
	r := c.Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": pw})
	require.Equal(t, 200, r.Status, r.String())
	return c
}

// softKey is a software authenticator holding one ECDSA P-256 passkey: it builds
// clientDataJSON, authenticatorData and a "none" attestation by hand, as a browser and
// an authenticator would.
type softKey struct {
	key     *ecdsa.PrivateKey
	id      []byte
	user    []byte // the user handle the relying party gave at registration
	rpID    string
	origin  string
	counter uint32
}

func newSoftKey(t *testing.T, origin string) *softKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	u, err := url.Parse(origin)
	require.NoError(t, err)
	return &softKey{key: k, id: id, rpID: u.Hostname(), origin: origin}
}

func clientData(typ, challenge, origin string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return b
}

func (k *softKey) authData(rpID string, flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, k.counter)
	return append(out, attested...)
}

// register answers creation options (from POST /me/factors/passkeys/begin) with a
// "none" attestation; origin and rpID override the key's own when not empty.
func (k *softKey) register(t *testing.T, options any, origin, rpID string) map[string]any {
	t.Helper()
	o := options.(map[string]any)
	if origin == "" {
		origin = k.origin
	}
	if rpID == "" {
		rpID = o["rp"].(map[string]any)["id"].(string)
	}
	uh, err := b64.DecodeString(o["user"].(map[string]any)["id"].(string))
	require.NoError(t, err)
	k.user = uh
	x, y := k.key.PublicKey.X.FillBytes(make([]byte, 32)), k.key.PublicKey.Y.FillBytes(make([]byte, 32))
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	require.NoError(t, err)
	att := make([]byte, 16) // AAGUID: zeros
	att = binary.BigEndian.AppendUint16(att, uint16(len(k.id)))
	att = append(att, k.id...)
	att = append(att, cose...)
	ad := k.authData(rpID, 0x01|0x04|0x40, att) // UP, UV, AT
	obj, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": ad})
	require.NoError(t, err)
	return map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{}, "authenticatorAttachment": "platform",
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(clientData("webauthn.create", o["challenge"].(string), origin)),
			"attestationObject": b64.EncodeToString(obj), "transports": []string{"internal"}}}
}

// assert answers request options with a signed assertion; the counter moves by step.
func (k *softKey) assert(t *testing.T, options any, origin, rpID string, step int) map[string]any {
	t.Helper()
	o := options.(map[string]any)
	if origin == "" {
		origin = k.origin
	}
	if rpID == "" {
		rpID = k.rpID
	}
	k.counter = uint32(int(k.counter) + step)
	cd := clientData("webauthn.get", o["challenge"].(string), origin)
	ad := k.authData(rpID, 0x01|0x04, nil)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	require.NoError(t, err)
	return map[string]any{"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{}, "authenticatorAttachment": "platform",
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.user)}}
}

// addPasskey registers a new software passkey named name for c.
func addPasskey(t *testing.T, a *testutil.TestApp, c *testutil.Client, name string) (*softKey, string) {
	t.Helper()
	k := newSoftKey(t, localURL(a))
	r := c.Do("POST", "/api/v1/me/factors/passkeys/begin", nil)
	require.Equal(t, 200, r.Status, r.String())
	r = c.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": r.Str("ceremony"), "name": name,
		"credential": k.register(t, r.Get("options"), "", "")})
	require.Equal(t, 201, r.Status, r.String())
	return k, r.Str("id")
}

// passkeyStep starts the passkey answer of a password step's challenge.
func passkeyStep(t *testing.T, c *testutil.Client, ch string) any {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login/second-factor/passkey", map[string]any{"challenge": ch})
	require.Equal(t, 200, r.Status, r.String())
	return r.Get("options")
}

func beginPasswordless(t *testing.T, c *testutil.Client) (string, any) {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/passkey/begin", nil)
	require.Equal(t, 200, r.Status, r.String())
	return r.Str("ceremony"), r.Get("options")
}

func TestPasskeysRegisterAndSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		const pw = "Birch-Passkey-pw-1"
		id := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "pavel", "password": pw}).Str("id")
		me := lLogin(t, a, "pavel", pw)

		// By an IP address there is no relying party: a clear 422.
		testutil.AssertProblem(t, a.Login("pavel", pw).Do("POST", "/api/v1/me/factors/passkeys/begin", nil), 422, "webauthn.unsupportedHost")
		testutil.AssertProblem(t, a.Anonymous().Do("POST", "/api/v1/auth/passkey/begin", nil), 422, "webauthn.unsupportedHost")

		// Options: a discoverable credential for this relying party, the user by id.
		r := me.Do("POST", "/api/v1/me/factors/passkeys/begin", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "localhost", r.Str("options.rp.id"))
		assert.Equal(t, "required", r.Str("options.authenticatorSelection.residentKey"))
		assert.Equal(t, "none", r.Str("options.attestation"))
		assert.NotEmpty(t, r.Str("options.challenge"))

		laptop, lid := addPasskey(t, a, me, "Laptop")
		phone, pid := addPasskey(t, a, me, "")
		r = me.Do("GET", "/api/v1/me/factors/passkeys", nil)
		require.Equal(t, 200, r.Status, r.String())
		require.Len(t, r.JSON, 2)
		assert.Equal(t, "Laptop", r.Str("0.name"))
		assert.Equal(t, "Passkey 2", r.Str("1.name"))
		assert.Equal(t, "internal", r.Str("0.transports.0"))
		assert.Equal(t, "00000000-0000-0000-0000-000000000000", r.Str("0.aaguid"))
		assert.Equal(t, float64(2), me.Do("GET", "/api/v1/me/factors", nil).Num("passkeys"))
		r = me.Do("PATCH", "/api/v1/me/factors/passkeys/"+pid, map[string]any{"name": "Phone"})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "Phone", r.Str("name"))
		testutil.AssertProblem(t, me.Do("PATCH", "/api/v1/me/factors/passkeys/"+pid, map[string]any{"name": " "}), 400, "validation.failed")
		testutil.AssertProblem(t, admin.Do("DELETE", "/api/v1/me/factors/passkeys/"+pid, nil), 404, "resource.notFound")

		// The password step now asks for a passkey; an assertion of either key signs in.
		c := lAnon(a)
		r = c.Do("POST", "/api/v1/auth/login", map[string]any{"login": "pavel", "password": pw, "remember_me": true})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "webauthn", r.Str("second_factor"))
		assert.Equal(t, []string{"webauthn"}, testutil.Strings(r.Get("second_factors")))
		assert.Nil(t, testutil.Cookie(r, "custos_session"))
		ch := r.Str("challenge")
		opts := passkeyStep(t, c, ch)
		assert.Len(t, opts.(map[string]any)["allowCredentials"], 2)
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "credential": phone.assert(t, opts, "", "", 1)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "pavel", r.Str("user.login"))
		require.NotNil(t, testutil.Cookie(r, "custos_session"))
		assert.Positive(t, testutil.Cookie(r, "custos_session").MaxAge, "remember_me of the password step")
		require.Equal(t, 200, c.Do("GET", "/api/v1/auth/me", nil).Status)
		// Answered twice: the challenge is spent.
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor",
			map[string]any{"challenge": ch, "credential": phone.assert(t, opts, "", "", 1)}), 401, "mfa.challengeInvalid")

		// Passwordless: a discoverable credential, no login typed.
		p := lAnon(a)
		cer, opts := beginPasswordless(t, p)
		assert.Empty(t, opts.(map[string]any)["allowCredentials"])
		assert.Equal(t, "required", opts.(map[string]any)["userVerification"])
		r = p.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": laptop.assert(t, opts, "", "", 1)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "pavel", r.Str("user.login"))
		require.NotNil(t, testutil.Cookie(r, "custos_session"))
		require.NotNil(t, testutil.Cookie(r, "custos_csrf"))
		require.Equal(t, 200, p.Do("GET", "/api/v1/auth/me", nil).Status)
		require.Equal(t, 200, p.Do("GET", "/api/v1/me/factors/passkeys", nil).Status, "the CSRF token works")
		testutil.AssertProblem(t, lAnon(a).Do("POST", "/api/v1/auth/passkey/finish",
			map[string]any{"ceremony": cer, "credential": laptop.assert(t, opts, "", "", 1)}), 401, "webauthn.ceremonyInvalid")
		r = me.Do("GET", "/api/v1/me/factors/passkeys", nil)
		assert.NotEmpty(t, r.Str("0.last_used_at"))

		// Removing is audited; a removed passkey signs in no more.
		require.Equal(t, 204, me.Do("DELETE", "/api/v1/me/factors/passkeys/"+lid, nil).Status)
		testutil.AssertProblem(t, me.Do("DELETE", "/api/v1/me/factors/passkeys/"+lid, nil), 404, "resource.notFound")
		cer, opts = beginPasswordless(t, p)
		testutil.AssertProblem(t, lAnon(a).Do("POST", "/api/v1/auth/passkey/finish",
			map[string]any{"ceremony": cer, "credential": laptop.assert(t, opts, "", "", 1)}), 401, "webauthn.invalidAssertion")
		// The last factor may go too: no policy requires one yet.
		require.Equal(t, 204, me.Do("DELETE", "/api/v1/me/factors/passkeys/"+pid, nil).Status)
		require.Equal(t, 200, lAnon(a).Do("POST", "/api/v1/auth/login", map[string]any{"login": "pavel", "password": pw}).Status)
		assert.Nil(t, lAnon(a).Do("POST", "/api/v1/auth/login", map[string]any{"login": "pavel", "password": pw}).Get("second_factor"))

		ev := auditOf(t, admin, url.Values{"resource_id": {id}, "resource_type": {"user_factors"}, "sort": {"at"}, "order": {"asc"}})
		assert.Equal(t, []string{"passkey.register", "passkey.register", "passkey.rename", "passkey.remove", "passkey.remove"}, each(ev, "action"))
		ev = auditOf(t, admin, url.Values{"action": {"login.success"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.after.provider"), "passkey")
		assert.Contains(t, each(ev, "diff.after.second_factor"), "webauthn")
	})
}

func TestPasskeysWithTOTP(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a, clock := totpApp(t, d)
		admin := a.Admin()
		const pw = "Birch-Passkey-pw-2"
		testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "olga", "password": pw})
		me := lLogin(t, a, "olga", pw)
		secret, _ := enrol(t, me, clock)
		k, _ := addPasskey(t, a, me, "Key")
		clock.Advance(30 * time.Second)

		// TOTP clients keep reading second_factor "totp"; the list names both.
		c := lAnon(a)
		r := c.Do("POST", "/api/v1/auth/login", map[string]any{"login": "olga", "password": pw})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "totp", r.Str("second_factor"))
		assert.Equal(t, []string{"totp", "webauthn"}, testutil.Strings(r.Get("second_factors")))
		ch := r.Str("challenge")
		opts := passkeyStep(t, c, ch)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor",
			map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0), "credential": k.assert(t, opts, "", "", 1)}), 400, "validation.failed")
		r = c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "credential": k.assert(t, opts, "", "", 1)})
		require.Equal(t, 200, r.Status, r.String())

		// The code still works for another sign-in.
		c = lAnon(a)
		ch = passwordStep(t, c, "olga", pw, false)
		require.Equal(t, 200, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "code": codeAt(t, secret, clock, 0)}).Status)

		// An administrator's reset removes the passkeys too.
		uid := me.Do("GET", "/api/v1/auth/me", nil).Str("user.id")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/users/"+uid+"/factors/reset", nil).Status)
		assert.Equal(t, int64(0), testutil.Count(t, a, "passkeys", "user_id = ?", uid))
	})
}

func TestPasskeysBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.LoginMaxFailures = 4 })
		clock := a.StepClock()
		a.MFA.SetClock(clock.Now)
		admin := a.Admin()
		const pw = "Birch-Passkey-pw-3"
		id := testutil.MustCreate(t, admin, "/api/v1/users", map[string]any{"login": "boris", "password": pw}).Str("id")
		me := lLogin(t, a, "boris", pw)

		// Registration: garbage, another origin, another relying party, a ceremony answered
		// twice or too late: 4xx, audited, nothing stored.
		begin := func() (string, any) {
			r := me.Do("POST", "/api/v1/me/factors/passkeys/begin", nil)
			require.Equal(t, 200, r.Status, r.String())
			return r.Str("ceremony"), r.Get("options")
		}
		k := newSoftKey(t, localURL(a))
		cer, opts := begin()
		r := me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": map[string]any{"id": "x", "type": "public-key"}})
		testutil.AssertProblem(t, r, 422, "webauthn.invalidAttestation")
		assert.Equal(t, []string{"credential"}, testutil.FieldsOf(r))
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": k.register(t, opts, "", "")}),
			422, "webauthn.registrationExpired")
		cer, opts = begin()
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": k.register(t, opts, "https://evil.example", "")}),
			422, "webauthn.invalidAttestation")
		cer, opts = begin()
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": k.register(t, opts, "", "evil.example")}),
			422, "webauthn.invalidAttestation")
		cer, opts = begin()
		clock.Advance(6 * time.Minute)
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": k.register(t, opts, "", "")}),
			422, "webauthn.registrationExpired")
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer}), 400, "validation.failed")
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", "{\"ceremony\":1}"), 400, "validation.failed")
		assert.Equal(t, int64(0), testutil.Count(t, a, "passkeys", "user_id = ?", id))
		ev := auditOf(t, admin, url.Values{"action": {"passkey.rejected"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.reason"), "webauthn.invalidAttestation")
		assert.Contains(t, each(ev, "diff.reason"), "webauthn.registrationExpired")
		// The same credential twice is a conflict.
		k, _ = addPasskey(t, a, me, "Key")
		cer, opts = begin()
		testutil.AssertProblem(t, me.Do("POST", "/api/v1/me/factors/passkeys", map[string]any{"ceremony": cer, "credential": k.register(t, opts, "", "")}),
			409, "webauthn.alreadyRegistered")
		// API tokens do not manage passkeys.
		testutil.AssertProblem(t, lAnon(a).Do("POST", "/api/v1/me/factors/passkeys/begin", nil), 401, "auth.unauthenticated")

		// Sign-in: another origin, another relying party, garbage, a ceremony answered
		// twice or too late: refused, audited, no session.
		try := func(mut func(opts any) any, status int, code string) {
			t.Helper()
			c := lAnon(a)
			cer, opts := beginPasswordless(t, c)
			r := c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": mut(opts)})
			testutil.AssertProblem(t, r, status, code)
			assert.Nil(t, testutil.Cookie(r, "custos_session"))
		}
		try(func(o any) any { return k.assert(t, o, "https://evil.example", "", 1) }, 401, "webauthn.invalidAssertion")
		try(func(o any) any { return k.assert(t, o, "", "evil.example", 1) }, 401, "webauthn.invalidAssertion")
		try(func(o any) any { return map[string]any{"id": "AAAA", "rawId": "AAAA", "type": "public-key"} }, 401, "webauthn.invalidAssertion")
		c := lAnon(a)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": "nope", "credential": map[string]any{}}), 401, "webauthn.ceremonyInvalid")
		cer, opts = beginPasswordless(t, c)
		clock.Advance(6 * time.Minute)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": k.assert(t, opts, "", "", 1)}), 401, "webauthn.ceremonyInvalid")
		ev = auditOf(t, admin, url.Values{"action": {"login.failure"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.reason"), "webauthn.invalidAssertion")
		assert.Contains(t, each(ev, "diff.after.provider"), "passkey")

		// Two failures so far count toward boris's lock-out (limit 4; the garbage named no
		// account): two more lock it, for the password too.
		try(func(o any) any { return k.assert(t, o, "https://evil.example", "", 1) }, 401, "webauthn.invalidAssertion")
		try(func(o any) any { return k.assert(t, o, "https://evil.example", "", 1) }, 401, "webauthn.invalidAssertion")
		try(func(o any) any { return k.assert(t, o, "", "", 1) }, 429, "auth.tooManyAttempts")
		testutil.AssertProblem(t, lAnon(a).Do("POST", "/api/v1/auth/login", map[string]any{"login": "boris", "password": pw}), 429, "auth.tooManyAttempts")
		clock.Advance(20 * time.Minute)
		c = lAnon(a)
		cer, opts = beginPasswordless(t, c)
		r = c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": k.assert(t, opts, "", "", 1)})
		require.Equal(t, 200, r.Status, r.String())

		// A counter that goes backwards (a cloned key) is refused and audited.
		cer, opts = beginPasswordless(t, c)
		r = c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": k.assert(t, opts, "", "", -1)})
		testutil.AssertProblem(t, r, 401, "webauthn.signCountRegressed")
		ch := passwordStep2(t, c, "boris", pw)
		opts = passkeyStep(t, c, ch)
		testutil.AssertProblem(t, c.Do("POST", "/api/v1/auth/login/second-factor", map[string]any{"challenge": ch, "credential": k.assert(t, opts, "", "", 0)}),
			401, "webauthn.signCountRegressed")
		ev = auditOf(t, admin, url.Values{"action": {"login.failure"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.reason"), "webauthn.signCountRegressed")

		// A disabled account's passkey signs in no one.
		u := admin.Do("GET", "/api/v1/users/"+id, nil)
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/users/"+id, map[string]any{"version": u.Get("version"), "active": false}).Status)
		cer, opts = beginPasswordless(t, c)
		r = c.Do("POST", "/api/v1/auth/passkey/finish", map[string]any{"ceremony": cer, "credential": k.assert(t, opts, "", "", 5)})
		testutil.AssertProblem(t, r, 403, "auth.accountDisabled")
		assert.Nil(t, testutil.Cookie(r, "custos_session"))
		ev = auditOf(t, admin, url.Values{"action": {"login.failure"}, "resource_id": {id}})
		assert.Contains(t, each(ev, "diff.reason"), "auth.accountDisabled")
	})
}

// passwordStep2 is a password step whose account has a passkey: its challenge.
func passwordStep2(t *testing.T, c *testutil.Client, login, pw string) string {
	t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": pw})
	require.Equal(t, 200, r.Status, r.String())
	require.NotEmpty(t, r.Str("challenge"), r.String())
	return r.Str("challenge")
}
