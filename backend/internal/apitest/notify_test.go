package apitest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// useSMTP points the SMTP settings at the sink (or at host:port) and answers the settings.
func useSMTP(t *testing.T, admin *testutil.Client, host string, port int) *testutil.Resp {
	t.Helper()
	cur := admin.Do("GET", "/api/v1/settings/smtp", nil)
	require.Equal(t, 200, cur.Status, cur.String())
	r := admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": cur.Num("version"), "host": host, "port": port,
		"from": "custos@example.com", "tls_mode": "none"})
	require.Equal(t, 200, r.Status, r.String())
	return r
}

func TestSMTPSettingsPasswordIsWriteOnly(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		const pw = "smtp-Secret-7f3a"
		g := admin.Do("GET", "/api/v1/settings/smtp", nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Equal(t, false, g.Get("configured"))
		assert.Equal(t, false, g.Get("has_password"))

		r := admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": g.Num("version"), "host": "smtp.example.com", "port": 587,
			"from": "custos@example.com", "tls_mode": "starttls", "username": "custos", "password": pw})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("has_password"))
		assert.Equal(t, true, r.Get("configured"))
		assert.Equal(t, "starttls", r.Str("tls_mode"))
		assert.NotContains(t, string(r.Body), pw)
		g = admin.Do("GET", "/api/v1/settings/smtp", nil)
		assert.NotContains(t, string(g.Body), pw)
		assert.Nil(t, g.Get("password"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "smtp_settings", "password LIKE ?", "%"+pw+"%"), "sealed at rest")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "resource_type = ?", "smtp_settings"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%"+pw+"%"), "never in the audit log")

		// Absent keeps the password, "" removes it; a stale version is a conflict.
		r = admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": g.Num("version"), "host": "smtp.example.com", "port": 465,
			"from": "custos@example.com", "tls_mode": "tls", "username": "custos"})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, true, r.Get("has_password"))
		testutil.AssertProblem(t, admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": g.Num("version"), "host": "x.example.com",
			"port": 25, "from": "a@example.com"}), 409, "resource.versionConflict")
		r = admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": r.Num("version"), "host": "smtp.example.com", "port": 465,
			"from": "custos@example.com", "tls_mode": "tls", "password": ""})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, false, r.Get("has_password"))

		// Bad input names the fields and changes nothing.
		bad := admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": r.Num("version"), "host": "smtp example", "port": 70000,
			"from": "not an address", "tls_mode": "ssl"})
		testutil.AssertProblem(t, bad, 400, "validation.failed")
		assert.ElementsMatch(t, []string{"host", "port", "from", "tls_mode"}, testutil.FieldsOf(bad))
		creds := admin.Do("PUT", "/api/v1/settings/smtp", map[string]any{"version": r.Num("version"), "host": "smtp.example.com", "port": 25,
			"from": "custos@example.com", "tls_mode": "none", "username": "custos", "password": pw})
		testutil.AssertProblem(t, creds, 400, "validation.failed")
		assert.Equal(t, "credentialsNeedTLS", testutil.FieldCode(creds, "tls_mode"), "no credentials in clear text")
		assert.Equal(t, r.Num("version"), admin.Do("GET", "/api/v1/settings/smtp", nil).Num("version"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%"+pw+"%"))
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "nobody"}), 400, "validation.failed")

		// Administrators hold no settings.write: they neither read nor change the settings.
		adm := a.As("administrators")
		testutil.AssertProblem(t, adm.Do("GET", "/api/v1/settings/smtp", nil), 403, "authz.denied")
	})
}

func TestMailsReachTheSink(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		sink := testutil.StartMailSink(t)
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		ctx := testutil.Ctx()

		// No server yet: the test mail says so.
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"}), 422, "notify.notConfigured")
		useSMTP(t, admin, sink.Host, sink.Port)
		r := admin.Do("POST", "/api/v1/settings/smtp/test", map[string]any{"to": "admin@example.com"})
		require.Equal(t, 200, r.Status, r.String())
		ms := sink.WaitMessages(t, 1)
		require.Len(t, ms, 1)
		assert.Equal(t, []string{"admin@example.com"}, ms[0].EnvelopeTo)
		assert.Equal(t, "custos@example.com", ms[0].EnvelopeFrom)
		assert.Equal(t, "Custos: проверка почты", ms[0].Subject, "tech_admin has no language attribute: Russian")

		// Decisions: the mail in the user's language carries the comment.
		cat := newCatalogue(t, a, admin, map[string]any{"approval_required": true})
		anna, _ := person(t, a, cat.group, "anna@example.com", map[string]any{"language": "en"})
		boris, _ := person(t, a, cat.group, "boris@example.com", nil)
		ia := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		ib := testutil.MustCreate(t, boris, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/issuances/"+ia+"/reject", map[string]any{"comment": "Wrong department: ask IT"}).Status)
		require.Equal(t, 200, admin.Do("POST", "/api/v1/issuances/"+ib+"/approve", map[string]any{"comment": "Одобрено, заберите токен в 214"}).Status)
		assert.Equal(t, int64(2), testutil.Count(t, a, "mail_outbox", "state = ?", "pending"), "queued with the decisions")
		require.NoError(t, a.Notify.Deliver(ctx))
		ms = sink.WaitMessages(t, 3)
		require.Len(t, ms, 3)
		byTo := map[string]testutil.Mail{}
		for _, m := range ms[1:] {
			byTo[m.EnvelopeTo[0]] = m
		}
		en := byTo["anna@example.com"]
		assert.Equal(t, "Device issuance rejected", en.Subject)
		assert.Contains(t, en.Body, "Wrong department: ask IT")
		assert.Contains(t, en.Body, "rejected by tech_admin")
		assert.Equal(t, "en", en.Header.Get("Content-Language"))
		ru := byTo["boris@example.com"]
		assert.Equal(t, "Выпуск устройства одобрен", ru.Subject)
		assert.Contains(t, ru.Body, "Одобрено, заберите токен в 214")
		assert.Contains(t, ru.Body, "Продолжить выпуск устройства")
		assert.Equal(t, "boris@example.com", ru.Header.Get("To"))
		assert.Equal(t, int64(2), testutil.Count(t, a, "mail_outbox", "state = ?", "sent"))

		// The SMTP server down: the mail waits in the outbox and goes when it is back.
		useSMTP(t, admin, "127.0.0.1", 1)
		// boris's approved request is still open: he cancels it before asking again.
		require.Equal(t, 200, boris.Do("POST", "/api/v1/me/issuances/"+ib+"/cancel", nil).Status)
		ic := testutil.MustCreate(t, boris, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		require.Equal(t, 200, admin.Do("POST", "/api/v1/issuances/"+ic+"/reject", map[string]any{"comment": "Повторный запрос"}).Status)
		require.NoError(t, a.Notify.Deliver(ctx))
		assert.Equal(t, int64(1), testutil.Count(t, a, "mail_outbox", "state = ? AND attempts = 1 AND last_error <> ''", "pending"))
		useSMTP(t, admin, sink.Host, sink.Port)
		a.Notify.SetClock(func() time.Time { return time.Now().UTC().Add(time.Minute) })
		require.NoError(t, a.Notify.Deliver(ctx))
		ms = sink.WaitMessages(t, 4)
		require.Len(t, ms, 4)
		assert.Contains(t, ms[3].Body, "Повторный запрос")
		assert.Equal(t, "Выпуск устройства отклонён", ms[3].Subject)
	})
}

func TestRandomPINMail(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		sink := testutil.StartMailSink(t)
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		cat := newCatalogue(t, a, admin, map[string]any{"random_user_pin": map[string]any{"enabled": true, "length": 8,
			"email_user": true, "email_manager": true}})
		anna, _ := person(t, a, cat.group, "anna@example.com", map[string]any{"manager_email": "boss@example.com", "language": "en"})
		id := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}).Str("id")
		base := "/api/v1/me/issuances/" + id
		assert.Equal(t, true, anna.Do("GET", base, nil).Get("policy.random_user_pin_email_manager"))
		const pin = "73915086"

		// Only once the device is being written; no server, no mail.
		testutil.AssertProblem(t, anna.Do("POST", base+"/pin-mail", map[string]any{"pin": pin}), 409, "issuance.wrongState")
		testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": "PIN-1", "template_id": cat.templateID, "csr": deviceCSR(t, false)})
		testutil.AssertProblem(t, anna.Do("POST", base+"/pin-mail", map[string]any{"pin": pin}), 422, "notify.notConfigured")
		useSMTP(t, admin, sink.Host, sink.Port)

		// The PIN must be the policy's length and follow the type's rules; someone else's is 404.
		bad := anna.Do("POST", base+"/pin-mail", map[string]any{"pin": "1234"})
		testutil.AssertProblem(t, bad, 400, "validation.failed")
		assert.Equal(t, "wrongLength", testutil.FieldCode(bad, "pin"))
		assert.NotEmpty(t, testutil.FieldCode(anna.Do("POST", base+"/pin-mail", map[string]any{"pin": "abcdefgh"}), "pin"), "digits only")
		other, _ := person(t, a, cat.group, "other@example.com", nil)
		testutil.AssertProblem(t, other.Do("POST", base+"/pin-mail", map[string]any{"pin": pin}), 404, "resource.notFound")
		assert.Empty(t, sink.Messages(t))

		r := anna.Do("POST", base+"/pin-mail", map[string]any{"pin": pin})
		require.Equal(t, 200, r.Status, r.String())
		assert.ElementsMatch(t, []string{"anna@example.com", "boss@example.com"}, testutil.Strings(r.Get("sent_to")))
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		ms := sink.WaitMessages(t, 2)
		require.Len(t, ms, 2)
		to := map[string]testutil.Mail{}
		for _, m := range ms {
			to[m.EnvelopeTo[0]] = m
		}
		assert.Contains(t, to["anna@example.com"].Body, pin)
		assert.Contains(t, to["anna@example.com"].Body, "your device (serial number PIN-1)")
		assert.Contains(t, to["boss@example.com"].Body, pin)
		assert.Contains(t, to["boss@example.com"].Body, "the device of Person ")
		assert.Equal(t, "The user PIN of a device", to["boss@example.com"].Subject)

		// The PIN is nowhere in the database: not queued, not audited.
		like := "%" + pin + "%"
		assert.Equal(t, int64(0), testutil.Count(t, a, "mail_outbox", "body LIKE ? OR subject LIKE ?", like, like))
		assert.Equal(t, int64(0), testutil.Count(t, a, "issuances", "policy LIKE ? OR smev LIKE ?", like, like))
		assert.Equal(t, int64(0), testutil.Count(t, a, "issuance_events", "comment LIKE ?", like))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%"+pin+"%"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "pin_mail", id))

		// A policy that does not mail the PIN refuses.
		plain := newCatalogue(t, a, admin, map[string]any{"random_user_pin": map[string]any{"enabled": true, "length": 8, "show_once": true}})
		bob, _ := person(t, a, plain.group, "bob@example.com", nil)
		ib := testutil.MustCreate(t, bob, "/api/v1/me/issuances", map[string]any{"device_type_id": plain.typeID}).Str("id")
		testutil.MustCreate(t, bob, "/api/v1/me/issuances/"+ib+"/csr", map[string]any{"serial": "PIN-2", "template_id": plain.templateID, "csr": deviceCSR(t, false)})
		testutil.AssertProblem(t, bob.Do("POST", "/api/v1/me/issuances/"+ib+"/pin-mail", map[string]any{"pin": pin}), 422, "issuance.pinMailOff")
		assert.Len(t, sink.Messages(t), 2)
	})
}
