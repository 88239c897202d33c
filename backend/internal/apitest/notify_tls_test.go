package apitest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// putSMTP replaces the SMTP settings with fields over the current version and answers the response.
func putSMTP(t *testing.T, admin *testutil.Client, fields map[string]any) *testutil.Resp {
	t.Helper()
	cur := admin.Do("GET", "/api/v1/settings/smtp", nil)
	require.Equal(t, 200, cur.Status, cur.String())
	body := map[string]any{"version": cur.Num("version"), "from": "custos@example.com"}
	for k, v := range fields {
		body[k] = v
	}
	return admin.Do("PUT", "/api/v1/settings/smtp", body)
}

// TestMailOverSTARTTLSWithAUTH: the real aiosmtpd requires STARTTLS and AUTH, with a
// certificate for 127.0.0.1 from a CA made here that the settings trust.
func TestMailOverSTARTTLSWithAUTH(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		const user, pw, wrong = "custos-mailer", "sink-Pw-91c2e", "wrong-Pw-5d0a7"
		ca := testutil.NewTestCA(t, "Custos test mail CA")
		cert, key := ca.ServerCert(t, "127.0.0.1")
		sink := testutil.StartMailSinkWith(t, testutil.MailSinkOptions{TLS: testutil.SinkStartTLS, CertPEM: cert, KeyPEM: key,
			User: user, Password: pw})
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		ctx := testutil.Ctx()

		// A CA that is not PEM certificates is refused naming the field.
		for _, bad := range []string{"not a certificate", string(key), string(ca.CertPEM) + "\ntrailing garbage"} {
			r := putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "starttls", "tls_ca_pem": bad})
			testutil.AssertProblem(t, r, 400, "validation.failed")
			assert.Equal(t, []string{"tls_ca_pem"}, testutil.FieldsOf(r))
			assert.Equal(t, "invalidFormat", testutil.FieldCode(r, "tls_ca_pem"))
		}
		// Credentials over plain SMTP to a host that is not loopback stay refused.
		creds := putSMTP(t, admin, map[string]any{"host": "smtp.example.com", "port": 25, "tls_mode": "none",
			"username": user, "password": pw, "tls_ca_pem": string(ca.CertPEM)})
		testutil.AssertProblem(t, creds, 400, "validation.failed")
		assert.Equal(t, "credentialsNeedTLS", testutil.FieldCode(creds, "tls_mode"))

		r := putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "starttls",
			"username": user, "password": pw, "tls_ca_pem": string(ca.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, string(ca.CertPEM), r.Str("tls_ca_pem"), "the CA certificate is public: answered as stored")
		assert.Equal(t, string(ca.CertPEM), admin.Do("GET", "/api/v1/settings/smtp", nil).Str("tls_ca_pem"))
		assert.NotContains(t, string(r.Body), pw)

		sent := admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"})
		require.Equal(t, 200, sent.Status, sent.String())
		ms := sink.WaitMessages(t, 1)
		require.Len(t, ms, 1)
		assert.Equal(t, []string{"admin@example.com"}, ms[0].EnvelopeTo)
		assert.Equal(t, "Custos: проверка почты", ms[0].Subject)
		assert.Contains(t, ms[0].Body, "127.0.0.1:")
		assert.Equal(t, []testutil.SinkAuth{{Mechanism: "PLAIN", Login: user, Success: true, TLS: true}}, sink.Auths(t),
			"AUTH PLAIN after STARTTLS")

		// A wrong password: the test mail answers 503 naming the server's refusal; the
		// outbox keeps the mail with the reason and retries; the password is nowhere.
		r = putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "starttls",
			"username": user, "password": wrong, "tls_ca_pem": string(ca.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		failed := admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"})
		testutil.AssertProblem(t, failed, 503, "notify.sendFailed")
		assert.Contains(t, failed.Str("detail"), "535", failed.String())
		assert.NotContains(t, string(failed.Body), wrong)
		auths := sink.Auths(t)
		require.Len(t, auths, 2)
		assert.Equal(t, testutil.SinkAuth{Mechanism: "PLAIN", Login: user, Success: false, TLS: true}, auths[1])

		cat := newCatalogue(t, a, admin, map[string]any{"approval_required": true})
		anna, _ := person(t, a, cat.group, "anna@example.com", map[string]any{"language": "en"})
		id := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/issuances/"+id+"/reject", map[string]any{"comment": "Over TLS"}).Status)
		require.NoError(t, a.Notify.Deliver(ctx))
		assert.Equal(t, int64(1), testutil.Count(t, a, "mail_outbox", "state = ? AND attempts = 1 AND last_error LIKE ?", "pending", "%535%"),
			"the outbox records the refusal and retries")
		// The delivery job logs exactly last_error ("mail not sent"), so checking it covers the log line.
		for _, secret := range []string{pw, wrong} {
			assert.Equal(t, int64(0), testutil.Count(t, a, "mail_outbox", "last_error LIKE ?", "%"+secret+"%"))
			assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%"+secret+"%"), "never in the audit log")
		}
		assert.Len(t, sink.Messages(t), 1, "nothing delivered without AUTH")

		// The right password again: the retry goes.
		r = putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "starttls",
			"username": user, "password": pw, "tls_ca_pem": string(ca.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		a.Notify.SetClock(func() time.Time { return time.Now().UTC().Add(time.Minute) })
		require.NoError(t, a.Notify.Deliver(ctx))
		ms = sink.WaitMessages(t, 2)
		require.Len(t, ms, 2)
		assert.Equal(t, "Device issuance rejected", ms[1].Subject)
		assert.Contains(t, ms[1].Body, "Over TLS")
		assert.Equal(t, int64(1), testutil.Count(t, a, "mail_outbox", "state = ?", "sent"))
	})
}

// TestMailOverImplicitTLS: the sink speaks TLS from the first byte (port 465 style).
func TestMailOverImplicitTLS(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		const user, pw = "custos-mailer", "sink-Pw-3b81f"
		ca := testutil.NewTestCA(t, "Custos test mail CA")
		cert, key := ca.ServerCert(t, "127.0.0.1")
		sink := testutil.StartMailSinkWith(t, testutil.MailSinkOptions{TLS: testutil.SinkTLS, CertPEM: cert, KeyPEM: key,
			User: user, Password: pw})
		a := testutil.NewApp(t, d)
		admin := a.Admin()

		r := putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "tls",
			"username": user, "password": pw, "tls_ca_pem": string(ca.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		sent := admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"})
		require.Equal(t, 200, sent.Status, sent.String())
		ms := sink.WaitMessages(t, 1)
		require.Len(t, ms, 1)
		assert.Equal(t, "Custos: проверка почты", ms[0].Subject)
		assert.Equal(t, []testutil.SinkAuth{{Mechanism: "PLAIN", Login: user, Success: true, TLS: true}}, sink.Auths(t))
	})
}

// TestMailRefusesAnUntrustedServer: a server certificate not from the trusted CA (or not
// from the system roots when none is set) stops the conversation before AUTH; a server
// without STARTTLS is not used in clear text when STARTTLS is asked for.
func TestMailRefusesAnUntrustedServer(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		const user, pw = "custos-mailer", "sink-Pw-77e0c"
		trusted := testutil.NewTestCA(t, "Custos trusted mail CA")
		other := testutil.NewTestCA(t, "Somebody else's CA")
		cert, key := other.ServerCert(t, "127.0.0.1")
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		send := func() *testutil.Resp {
			return admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"})
		}

		for _, mode := range []string{testutil.SinkStartTLS, testutil.SinkTLS} {
			sink := testutil.StartMailSinkWith(t, testutil.MailSinkOptions{TLS: mode, CertPEM: cert, KeyPEM: key, User: user, Password: pw})
			for _, caPEM := range []string{string(trusted.CertPEM), ""} {
				r := putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": mode,
					"username": user, "password": pw, "tls_ca_pem": caPEM})
				require.Equal(t, 200, r.Status, r.String())
				failed := send()
				testutil.AssertProblem(t, failed, 503, "notify.sendFailed")
				assert.Contains(t, failed.Str("detail"), "certificate signed by unknown authority", "%s, CA set: %v", mode, caPEM != "")
			}
			assert.Empty(t, sink.Auths(t), "%s: no credentials to an untrusted server", mode)
			assert.Empty(t, sink.Messages(t), mode)
		}

		// The trusted CA but a certificate for another name: refused too.
		wrongName, wrongKey := trusted.ServerCert(t, "mail.example.com")
		sink := testutil.StartMailSinkWith(t, testutil.MailSinkOptions{TLS: testutil.SinkStartTLS, CertPEM: wrongName, KeyPEM: wrongKey})
		r := putSMTP(t, admin, map[string]any{"host": sink.Host, "port": sink.Port, "tls_mode": "starttls", "tls_ca_pem": string(trusted.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		failed := send()
		testutil.AssertProblem(t, failed, 503, "notify.sendFailed")
		assert.Contains(t, failed.Str("detail"), "127.0.0.1", failed.String())
		assert.Empty(t, sink.Messages(t))

		// STARTTLS asked of a plain server: refused, not sent in clear text.
		plain := testutil.StartMailSink(t)
		r = putSMTP(t, admin, map[string]any{"host": plain.Host, "port": plain.Port, "tls_mode": "starttls", "tls_ca_pem": string(trusted.CertPEM)})
		require.Equal(t, 200, r.Status, r.String())
		failed = send()
		testutil.AssertProblem(t, failed, 503, "notify.sendFailed")
		assert.True(t, strings.Contains(failed.Str("detail"), "does not offer STARTTLS"), failed.String())
		assert.Empty(t, plain.Messages(t))
	})
}
