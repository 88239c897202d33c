package apitest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/testutil"
	"custos/internal/webhook"
)

// received is one request a test receiver got, with the outcome of its own check of
// the signature by the README's recipe.
type received struct {
	Event, Delivery string
	Body            map[string]any
	SignatureOK     bool
}

// receiver is a webhook receiver on 127.0.0.1 that verifies every request like a
// real one would and answers the statuses it is given in turn (then 200).
type receiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secret   string
	statuses []int
	got      []received
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	rc := &receiver{statuses: statuses}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rec := received{Event: r.Header.Get("X-Custos-Event"), Delivery: r.Header.Get("X-Custos-Delivery")}
	_ = json.Unmarshal(body, &rec.Body)
	rec.SignatureOK = verifySignature(rc.secret, r.Header.Get("X-Custos-Timestamp"), r.Header.Get("X-Custos-Signature"), body)
	rc.got = append(rc.got, rec)
	status := http.StatusOK
	if len(rc.statuses) > 0 {
		status, rc.statuses = rc.statuses[0], rc.statuses[1:]
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte("answer " + strconv.Itoa(status)))
}

// verifySignature is the receiver's check as the README documents it, written here
// without the server's code: HMAC-SHA256 over timestamp + "." + body, compared in
// constant time, and the timestamp within 5 minutes of the receiver's clock.
func verifySignature(secret, ts, sig string, body []byte) bool {
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(n, 0)).Abs() > 5*time.Minute {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "." + string(body)))
	return hmac.Equal([]byte("sha256="+hex.EncodeToString(m.Sum(nil))), []byte(sig))
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// allowLocal lets the test app deliver to receivers on 127.0.0.1 over http.
func allowLocal(c *config.Config) {
	c.WebhookAllowHTTP, c.WebhookAllowPrivate = []string{"127.0.0.1", "localhost"}, true
}

// newHook adds a webhook for url to system id and returns its id and secret.
func newHook(t *testing.T, c *testutil.Client, id, url string, events ...string) (string, string) {
	t.Helper()
	r := testutil.MustCreate(t, c, "/api/v1/systems/"+id+"/webhooks", map[string]any{"url": url, "events": events})
	require.NotEmpty(t, r.Str("secret"))
	return r.Str("id"), r.Str("secret")
}

func deliveries(t *testing.T, c *testutil.Client, id, wid string) *testutil.Resp {
	t.Helper()
	r := c.Do("GET", "/api/v1/systems/"+id+"/webhooks/"+wid+"/deliveries", nil)
	require.Equal(t, 200, r.Status, r.String())
	return r
}

func TestWebhookDeliveredSignedAfterARetry(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal)
		clock := a.StepClock()
		a.Webhooks.SetClock(clock.Now)
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		rc := newReceiver(t, 500)
		wid, secret := newHook(t, admin, id, rc.srv.URL+"/hook", webhook.SystemDisabled, webhook.SystemSettingsChanged)
		rc.secret = secret

		p := admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "enabled": false})
		require.Equal(t, 200, p.Status, p.String())
		ctx := testutil.Ctx()
		require.NoError(t, a.Webhooks.Deliver(ctx))
		log := deliveries(t, admin, id, wid)
		require.Equal(t, 1, log.Len("items"))
		assert.Equal(t, "pending", log.Str("items.0.state"))
		assert.Equal(t, float64(1), log.Num("items.0.attempts"))
		assert.Equal(t, float64(500), log.Num("items.0.last_status"))
		assert.Equal(t, "answer 500", log.Str("items.0.response_excerpt"))
		assert.Equal(t, "system.disabled", log.Str("items.0.event"))
		assert.Equal(t, rc.srv.URL+"/hook", log.Str("items.0.url"))

		// Not due before the back-off: nothing is sent.
		require.NoError(t, a.Webhooks.Deliver(ctx))
		assert.Len(t, rc.requests(), 1)
		clock.Advance(webhook.FirstRetry)
		require.NoError(t, a.Webhooks.Deliver(ctx))
		got := rc.requests()
		require.Len(t, got, 2)
		log = deliveries(t, admin, id, wid)
		assert.Equal(t, "delivered", log.Str("items.0.state"))
		assert.Equal(t, float64(2), log.Num("items.0.attempts"))
		assert.Nil(t, log.Get("items.0.next_attempt_at"))
		for _, g := range got {
			assert.True(t, g.SignatureOK, "the receiver verifies the signature")
			assert.Equal(t, "system.disabled", g.Event)
			assert.Equal(t, log.Str("items.0.id"), g.Delivery)
			assert.Equal(t, "system.disabled", g.Body["type"])
			assert.Equal(t, id, g.Body["system_id"])
			assert.NotEmpty(t, g.Body["id"])
			assert.NotEmpty(t, g.Body["created_at"])
		}
		assert.Equal(t, got[0].Body["id"], got[1].Body["id"], "a retry sends the same event")
		require.NoError(t, a.Webhooks.Deliver(ctx))
		assert.Len(t, rc.requests(), 2, "a delivered event is not sent again")

		// A wrong secret does not verify.
		assert.False(t, verifySignature("whsec_other", strconv.FormatInt(time.Now().Unix(), 10), "sha256=00", []byte("{}")))
	})
}

func TestWebhookCRUDAndTheSecret(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal)
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		base := "/api/v1/systems/" + id + "/webhooks"
		wid, secret := newHook(t, admin, id, "https://hooks.example.com/custos", webhook.CertificateRevoked)
		assert.True(t, strings.HasPrefix(secret, "whsec_"))

		g := admin.Do("GET", base+"/"+wid, nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Nil(t, g.Get("secret"))
		assert.Equal(t, []string{"certificate.revoked"}, testutil.Strings(g.Get("events")))
		l := admin.Do("GET", base, nil)
		require.Equal(t, 200, l.Status, l.String())
		assert.Equal(t, float64(1), l.Num("total"))
		assert.NotContains(t, l.String(), secret)

		p := admin.Do("PATCH", base+"/"+wid, map[string]any{"version": 1, "enabled": false,
			"events": []string{"certificate.disabled", "certificate.revoked"}})
		require.Equal(t, 200, p.Status, p.String())
		assert.Equal(t, false, p.Get("enabled"))
		assert.Equal(t, float64(2), p.Num("version"))
		testutil.AssertProblem(t, admin.Do("PATCH", base+"/"+wid, map[string]any{"version": 1, "enabled": true}),
			409, "resource.versionConflict")

		rot := admin.Do("POST", base+"/"+wid+"/rotate-secret", nil)
		require.Equal(t, 200, rot.Status, rot.String())
		assert.NotEqual(t, secret, rot.Str("secret"))
		assert.NotEmpty(t, rot.Str("secret"))
		assert.Equal(t, "no-store", rot.Header.Get("Cache-Control"))

		for _, s := range []string{secret, rot.Str("secret")} {
			assert.Zero(t, testutil.Count(t, a, "audit_events", "diff LIKE ?", "%"+s+"%"), "the secret is never audited")
			assert.Zero(t, testutil.Count(t, a, "webhooks", "secret LIKE ?", "%"+s+"%"), "the secret is stored sealed")
		}
		assert.Positive(t, testutil.Count(t, a, "audit_events", "resource_type = ? AND action = ?", "webhook", "rotate_secret"))

		other := newSystem(t, admin, "Other")
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/systems/"+other+"/webhooks/"+wid, nil), 404, "resource.notFound")
		require.Equal(t, 204, admin.Do("DELETE", base+"/"+wid, nil).Status)
		testutil.AssertProblem(t, admin.Do("GET", base+"/"+wid, nil), 404, "resource.notFound")
	})
}

func TestWebhookBadURLsAreRefusedAtTheAPI(t *testing.T) {
	t.Parallel()
	a := testutil.NewApp(t, testutil.NewDB(t, db.SQLite))
	admin := a.Admin()
	id := newSystem(t, admin, "Archive")
	base := "/api/v1/systems/" + id + "/webhooks"
	for _, url := range []string{"", "ftp://hooks.example.com/x", "http://hooks.example.com/x", "https://user:pw@hooks.example.com/x",
		"https://" + strings.Repeat("a", 2040) + ".com/", "not a url", "https:///path", "javascript:alert(1)", "http://127.0.0.1:9/x"} {
		r := admin.Do("POST", base, map[string]any{"url": url, "events": []string{webhook.SystemDisabled}})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"url"}, testutil.FieldsOf(r), url)
	}
	for _, events := range [][]string{{}, {"system.deleted"}, {"webhook.test"}} {
		r := admin.Do("POST", base, map[string]any{"url": "https://hooks.example.com/x", "events": events})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"events"}, testutil.FieldsOf(r))
	}
	assert.Zero(t, testutil.Count(t, a, "webhooks", "1 = 1"))
	testutil.AssertProblem(t, admin.Do("POST", "/api/v1/systems/00000000-0000-0000-0000-000000000000/webhooks",
		map[string]any{"url": "https://hooks.example.com/x", "events": []string{webhook.SystemDisabled}}), 404, "resource.notFound")
}

// TestWebhookInternalTargetsRefusedAtDelivery: with the default settings a receiver on
// 127.0.0.1, a name resolving to it and the metadata address are refused after DNS,
// each a failed attempt in the log; the receiver never hears of it.
func TestWebhookInternalTargetsRefusedAtDelivery(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, func(c *config.Config) { c.WebhookAllowHTTP = []string{"127.0.0.1", "localhost"} })
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		rc := newReceiver(t)
		port := rc.srv.URL[strings.LastIndex(rc.srv.URL, ":"):]
		urls := []string{rc.srv.URL + "/hook", "http://localhost" + port + "/hook", "https://169.254.169.254/latest/meta-data/"}
		var hooks []string
		for _, u := range urls {
			wid, _ := newHook(t, admin, id, u, webhook.SystemSettingsChanged)
			hooks = append(hooks, wid)
		}
		p := admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "settings_texts": map[string]any{"ru": "новое", "en": "new"}})
		require.Equal(t, 200, p.Status, p.String())
		require.NoError(t, a.Webhooks.Deliver(testutil.Ctx()))
		for i, wid := range hooks {
			log := deliveries(t, admin, id, wid)
			require.Equal(t, 1, log.Len("items"), urls[i])
			assert.Equal(t, "pending", log.Str("items.0.state"), urls[i])
			assert.Equal(t, float64(1), log.Num("items.0.attempts"), urls[i])
			assert.Nil(t, log.Get("items.0.last_status"), urls[i])
			assert.Contains(t, log.Str("items.0.last_error"), "refused", urls[i])
		}
		assert.Empty(t, rc.requests(), "the receiver is never reached")
		g := admin.Do("GET", "/api/v1/systems/"+id, nil)
		assert.Equal(t, float64(2), g.Num("version"), "the change itself stands")
	})
}

func TestWebhookHangingAndHugeReceivers(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal, func(c *config.Config) { c.WebhookTimeout = 2 * time.Second })
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		release := make(chan struct{})
		hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body) // then the server notices the client hanging up
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(hang.Close)
		t.Cleanup(func() { close(release) }) // runs first
		huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat("x", 64<<10))
			for i := 0; i < 160; i++ { // 10 MB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}))
		t.Cleanup(huge.Close)
		hw, _ := newHook(t, admin, id, hang.URL, webhook.SystemDisabled)
		bw, _ := newHook(t, admin, id, huge.URL, webhook.SystemDisabled)
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "enabled": false}).Status)
		start := time.Now()
		require.NoError(t, a.Webhooks.Deliver(testutil.Ctx()))
		assert.Less(t, time.Since(start), 30*time.Second, "bounded by the timeout")

		log := deliveries(t, admin, id, hw)
		assert.Equal(t, "pending", log.Str("items.0.state"))
		assert.NotEmpty(t, log.Str("items.0.last_error"))
		assert.Nil(t, log.Get("items.0.last_status"))
		log = deliveries(t, admin, id, bw)
		assert.Equal(t, "delivered", log.Str("items.0.state"))
		assert.Len(t, log.Str("items.0.response_excerpt"), webhook.ExcerptMax)
	})
}

func TestWebhookTestEventAndRedeliver(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal)
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		rc := newReceiver(t)
		wid, secret := newHook(t, admin, id, rc.srv.URL, webhook.SystemDisabled)
		rc.secret = secret
		base := "/api/v1/systems/" + id + "/webhooks/" + wid
		r := admin.Do("POST", base+"/test", nil)
		require.Equal(t, 202, r.Status, r.String())
		assert.Equal(t, "webhook.test", r.Str("event"))
		assert.Equal(t, "pending", r.Str("state"))
		require.NoError(t, a.Webhooks.Deliver(testutil.Ctx()))
		got := rc.requests()
		require.Len(t, got, 1)
		assert.Equal(t, "webhook.test", got[0].Event)
		assert.True(t, got[0].SignatureOK)

		rd := admin.Do("POST", base+"/deliveries/"+r.Str("id")+"/redeliver", nil)
		require.Equal(t, 202, rd.Status, rd.String())
		assert.NotEqual(t, r.Str("id"), rd.Str("id"))
		assert.Equal(t, r.Str("event_id"), rd.Str("event_id"))
		require.NoError(t, a.Webhooks.Deliver(testutil.Ctx()))
		got = rc.requests()
		require.Len(t, got, 2)
		assert.Equal(t, got[0].Body["id"], got[1].Body["id"], "the same event")
		assert.Equal(t, rd.Str("id"), got[1].Delivery)
		log := deliveries(t, admin, id, wid)
		assert.Equal(t, 2, log.Len("items"))
		assert.Equal(t, "delivered", log.Str("items.0.state"))
		assert.Equal(t, "delivered", log.Str("items.1.state"))
		testutil.AssertProblem(t, admin.Do("POST", base+"/deliveries/00000000-0000-0000-0000-000000000000/redeliver", nil),
			404, "resource.notFound")
		f := admin.Do("GET", base+"/deliveries?state=failed", nil)
		assert.Equal(t, float64(0), f.Num("total"))
	})
}

// TestWebhookOutboxRollsBackWithItsChange: events are written in the change's
// transaction: a change that fails leaves none; certificate changes emit theirs.
func TestWebhookOutboxRollsBackWithItsChange(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal)
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		newHook(t, admin, id, "https://hooks.example.com/x", webhook.Events...)
		ctx := testutil.Ctx()
		boom := errors.New("boom")
		err := a.DB.Tx(ctx, func(ctx context.Context) error {
			require.NoError(t, a.Webhooks.Emit(ctx, id, webhook.SystemDisabled, nil))
			assert.Equal(t, int64(1), countIn(t, a, ctx))
			return boom
		})
		require.ErrorIs(t, err, boom)
		assert.Zero(t, testutil.Count(t, a, "webhook_deliveries", "1 = 1"), "rolled back with its change")

		// A refused change (stale version) emits nothing; the accepted one emits.
		testutil.AssertProblem(t, admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 7, "enabled": false}),
			409, "resource.versionConflict")
		assert.Zero(t, testutil.Count(t, a, "webhook_deliveries", "1 = 1"))
		require.Equal(t, 200, admin.Do("PATCH", "/api/v1/systems/"+id, map[string]any{"version": 1, "name": "Renamed"}).Status)
		assert.Zero(t, testutil.Count(t, a, "webhook_deliveries", "1 = 1"), "a rename is no subscribed event")

		pemText, _ := selfSigned(t, "sigex", time.Now().Add(-time.Hour), time.Now().Add(10*24*time.Hour), nil)
		c := testutil.MustCreate(t, admin, "/api/v1/systems/"+id+"/certificates", map[string]any{"method": "manual", "pem": pemText})
		cert := "/api/v1/systems/" + id + "/certificates/" + c.Str("id")
		require.Equal(t, 200, admin.Do("PATCH", cert, map[string]any{"version": 1, "enabled": false}).Status)
		require.Equal(t, 200, admin.Do("POST", cert+"/revoke", map[string]any{"reason": "keyCompromise"}).Status)
		require.Equal(t, 200, admin.Do("POST", cert+"/revoke", map[string]any{"reason": "keyCompromise"}).Status)
		assert.Equal(t, int64(1), testutil.Count(t, a, "webhook_deliveries", "event_type = ?", webhook.CertificateDisabled))
		assert.Equal(t, int64(1), testutil.Count(t, a, "webhook_deliveries", "event_type = ?", webhook.CertificateRevoked),
			"revoking twice is one event")
	})
}

func countIn(t *testing.T, a *testutil.TestApp, ctx context.Context) int64 {
	t.Helper()
	var n int64
	require.NoError(t, a.DB.Write(ctx).Table("webhook_deliveries").Count(&n).Error)
	return n
}

// TestWebhookCertificateExpiring: 30, 7 and 1 days before the end, each once.
func TestWebhookCertificateExpiring(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d, allowLocal)
		clock := a.StepClock()
		a.Webhooks.SetClock(clock.Now)
		admin := a.Admin()
		id := newSystem(t, admin, "Archive")
		newHook(t, admin, id, "https://hooks.example.com/x", webhook.CertificateExpiring)
		pemText, _ := selfSigned(t, "sigex", time.Now().Add(-time.Hour), time.Now().Add(10*24*time.Hour), nil)
		testutil.MustCreate(t, admin, "/api/v1/systems/"+id+"/certificates", map[string]any{"method": "manual", "pem": pemText})
		ctx := testutil.Ctx()
		days := func() []string {
			var out []string
			rows, err := a.DB.Read(ctx).Table("webhook_deliveries").Where("event_type = ?", webhook.CertificateExpiring).
				Order("created_at").Select("payload").Rows()
			require.NoError(t, err)
			defer rows.Close()
			for rows.Next() {
				var p string
				require.NoError(t, rows.Scan(&p))
				var b webhook.Body
				require.NoError(t, json.Unmarshal([]byte(p), &b))
				out = append(out, strconv.Itoa(int(b.Data.(map[string]any)["days"].(float64))))
			}
			return out
		}
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		assert.Equal(t, []string{"30"}, days())
		clock.Advance(4 * 24 * time.Hour) // 6 days left
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		assert.Equal(t, []string{"30", "7"}, days())
		clock.Advance(5*24*time.Hour + time.Hour) // under a day left
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		require.NoError(t, a.Webhooks.WarnExpiring(ctx))
		assert.Equal(t, []string{"30", "7", "1"}, days())
	})
}
