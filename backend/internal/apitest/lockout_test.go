package apitest

import (
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// trustLoopback makes the test server believe X-Forwarded-For from its loopback peer, so
// a test can sign in "from" any address.
func trustLoopback(c *config.Config) {
	_, n, _ := net.ParseCIDR("127.0.0.1/32")
	c.TrustedProxies = []*net.IPNet{n}
}

// loginFrom signs in as name from address ip (through the trusted loopback proxy).
func loginFrom(a *testutil.TestApp, ip, name, password string) *testutil.Resp {
	c := a.Anonymous()
	c.Header.Set("X-Forwarded-For", ip)
	return c.Do("POST", "/api/v1/auth/login", map[string]string{"login": name, "password": password})
}

// parallel runs n wrong guesses at once and returns their statuses.
func parallel(n int, guess func(i int) *testutil.Resp) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	statuses := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := guess(i)
			mu.Lock()
			statuses[r.Status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return statuses
}

func TestParallelGuessesCheckAtMostTheLimit(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback)
		a.Admin() // tech_admin's bootstrap and this sign-in are done before counting
		before := a.PasswordChecks()
		statuses := parallel(100, func(i int) *testutil.Resp {
			return loginFrom(a, "203.0.113.7", "tech_admin", "guess-"+strconv.Itoa(i))
		})
		checked := a.PasswordChecks() - before
		assert.LessOrEqual(t, checked, int64(5), "100 parallel guesses, limit 5: passwords checked %d", checked)
		assert.Equal(t, int(checked), statuses[401], "each checked guess answered 401: %v", statuses)
		assert.Equal(t, 100-int(checked), statuses[429], "all others were refused unchecked: %v", statuses)

		// Locked, the right password is refused too, without being checked.
		before = a.PasswordChecks()
		r := loginFrom(a, "203.0.113.7", "tech_admin", testutil.AdminPassword)
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		assert.Nil(t, testutil.Cookie(r, "custos_session"))
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After %q", r.Header.Get("Retry-After"))
		assert.Greater(t, ra, 14*60, "the pair is locked for the lock-out (15 min)")
		assert.Equal(t, int64(0), a.PasswordChecks()-before)

		// The flood is audited, but not once per refused attempt.
		refused := testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "login.failure", "%tooManyAttempts%")
		assert.GreaterOrEqual(t, refused, int64(1))
		assert.LessOrEqual(t, refused, int64(3), "one event per lock, not one per refusal")
		assert.Equal(t, checked, testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "login.failure", "%invalidCredentials%"))
	})
}

func TestOneRightPasswordAmongParallelWrongOnesDoesNotSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback)
		// Lock the pair first: then a right password hidden in a burst cannot get through.
		for i := 0; i < 5; i++ {
			testutil.AssertProblem(t, loginFrom(a, "203.0.113.8", "tech_admin", "wrong-"+strconv.Itoa(i)), 401, "auth.invalidCredentials")
		}
		statuses := parallel(31, func(i int) *testutil.Resp {
			pw := "wrong-again-" + strconv.Itoa(i)
			if i == 15 {
				pw = testutil.AdminPassword
			}
			return loginFrom(a, "203.0.113.8", "tech_admin", pw)
		})
		assert.Equal(t, map[int]int{429: 31}, statuses)
		assert.Equal(t, int64(0), testutil.Count(t, a, "sessions", ""))
	})
}

func TestLockIsPerSourceSoOthersStillSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback)
		for i := 0; i < 5; i++ {
			testutil.AssertProblem(t, loginFrom(a, "198.51.100.1", "tech_admin", "wrong-"+strconv.Itoa(i)), 401, "auth.invalidCredentials")
		}
		testutil.AssertProblem(t, loginFrom(a, "198.51.100.1", "tech_admin", testutil.AdminPassword), 429, "auth.tooManyAttempts")
		// The real tech_admin, elsewhere, is not locked out by the attacker.
		r := loginFrom(a, "192.0.2.50", "tech_admin", testutil.AdminPassword)
		require.Equal(t, 200, r.Status, r.String())
		require.NotNil(t, testutil.Cookie(r, "custos_session"))
		// The attacker's address stays locked after that success.
		testutil.AssertProblem(t, loginFrom(a, "198.51.100.1", "tech_admin", testutil.AdminPassword), 429, "auth.tooManyAttempts")
	})
}

func TestSuccessGivesTheAttemptBack(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback, func(c *config.Config) { c.LoginIPFailures = 3 })
		// Many sign-ins from one office address that all succeed never lock it.
		for i := 0; i < 6; i++ {
			require.Equal(t, 200, loginFrom(a, "192.0.2.9", "tech_admin", testutil.AdminPassword).Status)
		}
		// Failures from it do.
		for i := 0; i < 3; i++ {
			testutil.AssertProblem(t, loginFrom(a, "192.0.2.9", "someone"+strconv.Itoa(i), "wrong-pass"), 401, "auth.invalidCredentials")
		}
		testutil.AssertProblem(t, loginFrom(a, "192.0.2.9", "tech_admin", testutil.AdminPassword), 429, "auth.tooManyAttempts")
	})
}

func TestGuessesFromManySourcesGetGrowingDelays(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback, func(c *config.Config) { c.LoginSlowAfter = 4 })
		// The delays are read off a clock the test steps: a busy machine that takes
		// seconds to hash a password does not let a delay run out behind its back.
		var mu sync.Mutex
		now := time.Now().UTC().Truncate(time.Microsecond)
		a.Sessions.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		src := 0
		guess := func() *testutil.Resp { // each guess from a fresh address: no per-source lock helps
			src++
			return loginFrom(a, "10.9.0."+strconv.Itoa(src), "tech_admin", "wrong-pass")
		}
		for i := 0; i < 4; i++ {
			testutil.AssertProblem(t, guess(), 401, "auth.invalidCredentials")
		}
		// The 5th attempt is checked and sets the first delay; until it passes the account
		// answers 429 from everywhere, even with the right password.
		testutil.AssertProblem(t, guess(), 401, "auth.invalidCredentials")
		r := guess()
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		assert.Equal(t, "1", r.Header.Get("Retry-After"))
		before := a.PasswordChecks()
		testutil.AssertProblem(t, loginFrom(a, "192.0.2.77", "tech_admin", testutil.AdminPassword), 429, "auth.tooManyAttempts")
		assert.Equal(t, int64(0), a.PasswordChecks()-before, "a delayed attempt checks no password")

		// Each further attempt doubles the wait: waiting it out (a second, then two) is
		// the only way on, and the Retry-After grows.
		var waits []int
		wait := time.Second
		for _, want := range []int{2, 4} {
			advance(wait / 2)
			testutil.AssertProblem(t, guess(), 429, "auth.tooManyAttempts") // half the wait is not enough
			advance(wait/2 + time.Millisecond)
			testutil.AssertProblem(t, guess(), 401, "auth.invalidCredentials")
			r := guess()
			testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
			ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
			assert.LessOrEqual(t, ra, want+1)
			assert.Greater(t, ra, want/2, "the delay doubled")
			waits = append(waits, ra)
			wait *= 2
		}
		assert.Less(t, waits[0], waits[1])
		// Every refusal is audited, once per delay.
		assert.GreaterOrEqual(t, testutil.Count(t, a, "audit_events", "action = ? AND diff LIKE ?", "login.failure", "%tooManyAttempts%"), int64(3))
	})
}

func TestDelaysAreCapped(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, trustLoopback, func(c *config.Config) { c.LoginSlowAfter, c.LoginMaxDelay = 1, 3*time.Second })
		testutil.AssertProblem(t, loginFrom(a, "10.8.0.1", "tech_admin", "wrong-pass"), 401, "auth.invalidCredentials")
		// Force a long run of attempts past the threshold straight into the database, as if
		// they had been spread over time, then see the next delay is the cap.
		require.NoError(t, a.DB.W.Table("login_throttle").Where("key = ?", "acct:tech_admin").
			Updates(map[string]any{"failures": 40, "locked_until": nil}).Error)
		testutil.AssertProblem(t, loginFrom(a, "10.8.0.2", "tech_admin", "wrong-pass"), 401, "auth.invalidCredentials")
		r := loginFrom(a, "10.8.0.3", "tech_admin", "wrong-pass")
		testutil.AssertProblem(t, r, 429, "auth.tooManyAttempts")
		assert.Contains(t, []string{"2", "3"}, r.Header.Get("Retry-After"), "capped at CUSTOS_LOGIN_MAX_DELAY")
	})
}
