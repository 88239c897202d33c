package apitest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

// catalogue makes a device type, a P-256 template whose subject comes from the user, and
// a group with a usage policy; policy sets the policy's switches. It answers the group's
// code and the ids of the type and the template.
type catalogue struct{ group, typeID, templateID, policyID string }

func newCatalogue(t *testing.T, a *testutil.TestApp, admin *testutil.Client, policy map[string]any) catalogue {
	t.Helper()
	code := fmt.Sprintf("holders%d", time.Now().UnixNano())
	g := testutil.MustCreate(t, admin, "/api/v1/groups", map[string]any{"code": code, "name": "Holders " + code,
		"permissions": []string{"selfservice"}}).Str("id")
	typ := testutil.MustCreate(t, admin, "/api/v1/device-types", map[string]any{"name": "Rutoken " + code,
		"pin_areas": []map[string]any{{"code": "pki", "name": "PKI", "default_admin_pin": "87654321", "default_user_pin": "12345678"}},
		"pin_rules": map[string]any{"min_length": 6, "max_length": 16, "charset": "digits"}}).Str("id")
	tmpl := testutil.MustCreate(t, admin, "/api/v1/certificate-templates", map[string]any{"name": "Sign-in " + code,
		"key_algorithm": "ecdsa-p256", "validity_days": 365,
		"subject":    []map[string]string{{"attr": "CN", "value": "{{display_name}}"}, {"attr": "UID", "value": "{{login}}"}},
		"key_usages": []string{"digitalSignature"}, "extended_key_usages": []string{"clientAuth"}}).Str("id")
	body := map[string]any{"name": "Policy " + code, "priority": time.Now().UnixNano() % 1_000_000, "group_ids": []string{g},
		"self_issuance_allowed": true, "template_ids": []string{tmpl}}
	for k, v := range policy {
		body[k] = v
	}
	pol := testutil.MustCreate(t, admin, "/api/v1/device-policies", body).Str("id")
	return catalogue{group: code, typeID: typ, templateID: tmpl, policyID: pol}
}

// deviceCSR is a request made "on the device": a fresh key of the given kind.
func deviceCSR(t *testing.T, rsaKey bool) string {
	t.Helper()
	var key any
	if rsaKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		key = k
	} else {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		key = k
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestSelfServiceIssuanceEndToEnd(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		cat := newCatalogue(t, a, admin, nil)
		anna := a.As(cat.group)

		// What anna may ask for; someone without a policy learns that none applies.
		o := anna.Do("GET", "/api/v1/me/device-options", nil)
		require.Equal(t, 200, o.Status, o.String())
		assert.Equal(t, cat.policyID, o.Str("policy.id"))
		assert.Equal(t, cat.templateID, o.Str("templates.0.id"))
		assert.Equal(t, "ecdsa-p256", o.Str("templates.0.key_algorithm"))
		assert.Equal(t, cat.typeID, o.Str("device_types.0.id"))
		assert.NotContains(t, string(o.Body), "87654321", "default PINs are never answered")
		none := a.As("users").Do("GET", "/api/v1/me/device-options", nil)
		require.Equal(t, 200, none.Status, none.String())
		assert.Nil(t, none.Get("policy"))
		testutil.AssertProblem(t, a.As("users").Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}),
			422, "issuance.noPolicy")

		r := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
		id := r.Str("id")
		assert.Equal(t, "approved", r.Str("state"), "no approval in the policy")
		assert.Equal(t, []string{cat.templateID}, testutil.Strings(r.Get("template_ids")))
		base := "/api/v1/me/issuances/" + id

		// «Empty = the type's defaults»: the defaults of the issuance's type, for its owner only.
		dp := anna.Do("POST", base+"/default-pins", nil)
		require.Equal(t, 200, dp.Status, dp.String())
		assert.Equal(t, "pki", dp.Str("areas.0.code"))
		assert.Equal(t, "87654321", dp.Str("areas.0.admin_pin"))
		assert.Equal(t, "12345678", dp.Str("areas.0.user_pin"))
		assert.Equal(t, "no-store", dp.Header.Get("Cache-Control"))
		testutil.AssertProblem(t, a.As(cat.group).Do("POST", base+"/default-pins", nil), 404, "resource.notFound")
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%87654321%"), "no PIN in the audit log")

		// The device's key must be the template's algorithm.
		bad := anna.Do("POST", base+"/csr", map[string]any{"serial": "0A1B2C", "template_id": cat.templateID, "csr": deviceCSR(t, true)})
		testutil.AssertProblem(t, bad, 400, "validation.failed")
		assert.Equal(t, "algorithmMismatch", testutil.FieldCode(bad, "csr"))
		assert.Equal(t, "approved", anna.Do("GET", base, nil).Str("state"), "a refused step moves nothing")

		first := testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": "0A1B2C", "template_id": cat.templateID, "csr": deviceCSR(t, false)})
		// A retry (the agent lost its answer): the first certificate is superseded.
		c := testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": "0A1B2C", "template_id": cat.templateID, "csr": deviceCSR(t, false)})
		block, _ := pem.Decode([]byte(c.Str("pem")))
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		u := anna.Do("GET", "/api/v1/auth/me", nil)
		// The template's CN is the display name; anna has none, so the login names her.
		require.Empty(t, u.Str("user.display_name"))
		assert.Equal(t, u.Str("user.login"), cert.Subject.CommonName, "the subject is the template's, from the directory")
		assert.Equal(t, "CN="+u.Str("user.login")+",UID="+u.Str("user.login"), c.Str("subject"))
		assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, cert.ExtKeyUsage)
		roots := x509.NewCertPool()
		require.True(t, roots.AppendCertsFromPEM([]byte(anonGet(t, a, "/pki/ca.crt"))))
		_, err = cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
		require.NoError(t, err, "our CA's certificate verifies")

		// Confirm: exactly the live certificate's fingerprint.
		testutil.AssertProblem(t, anna.Do("POST", base+"/confirm", map[string]any{"serial": "0A1B2C",
			"fingerprints": []string{first.Str("fingerprint_sha256")}}), 400, "validation.failed")
		testutil.AssertProblem(t, anna.Do("POST", base+"/confirm", map[string]any{"serial": "0A1B2C", "admin_pin": "12ab",
			"fingerprints": []string{c.Str("fingerprint_sha256")}}), 400, "validation.failed")
		done := anna.Do("POST", base+"/confirm", map[string]any{"serial": "0A1B2C", "label": "Anna's token", "admin_pin": "11223344",
			"fingerprints": []string{c.Str("fingerprint_sha256")}})
		require.Equal(t, 200, done.Status, done.String())
		assert.Equal(t, "issued", done.Str("state"))
		states := []string{}
		for _, h := range done.Get("history").([]any) {
			states = append(states, h.(map[string]any)["to"].(string))
		}
		assert.Equal(t, []string{"draft", "approved", "writing", "issued"}, states)
		assert.Equal(t, true, done.Get("certificates.0.revoked"), "the superseded attempt")
		assert.Equal(t, true, done.Get("certificates.1.confirmed"))

		devs := anna.Do("GET", "/api/v1/me/devices", nil)
		require.Equal(t, 200, devs.Status, devs.String())
		assert.Equal(t, float64(1), devs.Num("total"))
		assert.Equal(t, "0A1B2C", devs.Str("items.0.serial"))
		assert.Equal(t, "issued", devs.Str("items.0.status"))
		assert.Equal(t, true, devs.Get("items.0.has_admin_pin"))
		assert.NotContains(t, string(devs.Body), "11223344")
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%11223344%"), "no PIN in the audit log")
		assert.Equal(t, int64(0), testutil.Count(t, a, "devices", "admin_pin LIKE ?", "%11223344%"), "sealed at rest")

		// The admin PIN recorded at the issuance is released to its owner's agent (audited,
		// never written in the log); another person gets 404.
		devID := devs.Str("items.0.id")
		pinR := anna.Do("POST", "/api/v1/me/devices/"+devID+"/admin-pin", nil)
		require.Equal(t, 200, pinR.Status, pinR.String())
		assert.Equal(t, "11223344", pinR.Str("admin_pin"))
		assert.Equal(t, "device", pinR.Str("source"))
		assert.Equal(t, "no-store", pinR.Header.Get("Cache-Control"))
		testutil.AssertProblem(t, a.As(cat.group).Do("POST", "/api/v1/me/devices/"+devID+"/admin-pin", nil), 404, "resource.notFound")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "release_admin_pin", devID))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ?", "%11223344%"), "no PIN in the audit log")

		// Seed 001: a person with an issued device does not issue another themselves
		// (nothing written); an operator may. The serial is issued: that issuance cannot
		// write it; after a revoke it can.
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}), 409, "issuance.deviceHeld")
		assert.Equal(t, int64(1), testutil.Count(t, a, "issuances", "user_id = ?", done.Str("user_id")), "nothing written")
		r2 := testutil.MustCreate(t, admin, "/api/v1/issuances", map[string]any{"device_type_id": cat.typeID, "user_id": done.Str("user_id")})
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/issuances/"+r2.Str("id")+"/csr", map[string]any{"serial": "0A1B2C",
			"template_id": cat.templateID, "csr": deviceCSR(t, false)}), 409, "device.serialTaken")
		rev := admin.Do("POST", "/api/v1/devices/"+devID+"/revoke", map[string]any{"version": 1, "comment": "lost"})
		require.Equal(t, 200, rev.Status, rev.String())
		assert.Equal(t, "revoked", rev.Str("status"))
		assert.Equal(t, 1, rev.Len("certificates"), "the device page still lists its certificate")
		assert.Equal(t, true, rev.Get("certificates.0.revoked"), rev.String())
		crl := crlSerials(t, a)
		assert.Contains(t, crl, c.Str("serial"), "the device's certificate is on the CRL")
		assert.Contains(t, crl, first.Str("serial"), "the superseded one too")
		testutil.MustCreate(t, anna, "/api/v1/me/issuances/"+r2.Str("id")+"/csr", map[string]any{"serial": "0A1B2C",
			"template_id": cat.templateID, "csr": deviceCSR(t, false)})
		testutil.AssertProblem(t, admin.Do("POST", "/api/v1/devices/"+devID+"/admin-pin", nil), 409, "device.wrongStatus")

		// Another person's issuance is not found.
		other := a.As(cat.group)
		testutil.AssertProblem(t, other.Do("GET", base, nil), 404, "resource.notFound")
		testutil.AssertProblem(t, other.Do("POST", "/api/v1/me/issuances/"+r2.Str("id")+"/cancel", nil), 404, "resource.notFound")
		// Cancel revokes what was signed and not confirmed.
		cx := anna.Do("POST", "/api/v1/me/issuances/"+r2.Str("id")+"/cancel", nil)
		require.Equal(t, 200, cx.Status, cx.String())
		assert.Equal(t, "cancelled", cx.Str("state"))
		assert.Equal(t, true, cx.Get("certificates.0.revoked"))
		assert.Contains(t, crlSerials(t, a), cx.Str("certificates.0.serial"))
	})
}

// crlSerials are the serials (lower-case hex) on the CA's current CRL.
func crlSerials(t *testing.T, a *testutil.TestApp) []string {
	t.Helper()
	r := testutil.Raw(t, a, "GET", "/pki/crl", nil, nil)
	require.Equal(t, 200, r.Status)
	l, err := x509.ParseRevocationList(r.Body)
	require.NoError(t, err)
	var out []string
	for _, e := range l.RevokedCertificateEntries {
		out = append(out, fmt.Sprintf("%x", e.SerialNumber))
	}
	return out
}

func TestIssuanceApprovalAndPolicyRules(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		cat := newCatalogue(t, a, admin, map[string]any{"approval_required": true, "skzi_accounting": true})
		anna := a.As(cat.group)
		count := func() int64 { return testutil.Count(t, a, "issuances", "1 = 1") }

		// SKZI accounting: the document is required, its date a real day not in the future.
		before := count()
		r := anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.ElementsMatch(t, []string{"skzi_number", "skzi_date"}, testutil.FieldsOf(r))
		tomorrow := time.Now().Add(48 * time.Hour).Format("2006-01-02")
		r = anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID, "skzi_number": "СКЗИ-17", "skzi_date": tomorrow})
		assert.Equal(t, "future", testutil.FieldCode(r, "skzi_date"))
		r = anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID, "skzi_number": "СКЗИ-17",
			"skzi_date": "2026-11-01", "template_ids": []string{cat.templateID}})
		assert.Equal(t, "notAllowed", testutil.FieldCode(r, "template_ids"), "the policy does not let the user choose")
		assert.Equal(t, before, count(), "nothing written")

		req := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"skzi_number": "СКЗИ-17", "skzi_date": "2026-11-01"})
		id := req.Str("id")
		assert.Equal(t, "pending_approval", req.Str("state"))
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/issuances/"+id+"/csr", map[string]any{"serial": "77",
			"template_id": cat.templateID, "csr": deviceCSR(t, false)}), 409, "issuance.wrongState")

		// The queue; nobody approves their own request; of concurrent approvals one wins.
		q := admin.Do("GET", "/api/v1/issuances?state=pending_approval&user_id="+req.Str("user_id"), nil)
		require.Equal(t, 200, q.Status, q.String())
		assert.Equal(t, float64(1), q.Num("total"))
		self := a.As(cat.group, "operators")
		own := testutil.MustCreate(t, self, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"skzi_number": "СКЗИ-18", "skzi_date": "2026-11-02"})
		testutil.AssertProblem(t, self.Do("POST", "/api/v1/issuances/"+own.Str("id")+"/approve", map[string]any{}), 403, "issuance.ownRequest")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "access.denied", own.Str("id")))

		ops := []*testutil.Client{a.As("operators"), a.As("operators"), a.As("operators")}
		statuses := make([]int, len(ops))
		var wg sync.WaitGroup
		for i, op := range ops {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = op.Do("POST", "/api/v1/issuances/"+id+"/approve", map[string]any{"comment": "ok"}).Status
			}()
		}
		wg.Wait()
		assert.ElementsMatch(t, []int{200, 409, 409}, statuses)
		got := anna.Do("GET", "/api/v1/me/issuances/"+id, nil)
		assert.Equal(t, "approved", got.Str("state"))
		assert.Equal(t, "ok", got.Str("decision_comment"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "issuance_events", "issuance_id = ? AND to_state = ?", id, "approved"))

		// A rejected request cannot be continued; a reject needs its reason.
		testutil.AssertProblem(t, ops[0].Do("POST", "/api/v1/issuances/"+own.Str("id")+"/reject", map[string]any{}), 400, "validation.failed")
		rj := ops[0].Do("POST", "/api/v1/issuances/"+own.Str("id")+"/reject", map[string]any{"comment": "no SKZI licence"})
		require.Equal(t, 200, rj.Status, rj.String())
		testutil.AssertProblem(t, self.Do("POST", "/api/v1/me/issuances/"+own.Str("id")+"/csr", map[string]any{"serial": "78",
			"template_id": cat.templateID, "csr": deviceCSR(t, false)}), 409, "issuance.wrongState")
		testutil.AssertProblem(t, self.Do("POST", "/api/v1/me/issuances/"+own.Str("id")+"/cancel", nil), 409, "issuance.wrongState")

		// Bulk approval reports each id.
		// A second request of one's own while one is open is refused; an operator may ask for one.
		openBefore := testutil.Count(t, a, "issuances", "user_id = ?", req.Str("user_id"))
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID, "skzi_number": "1",
			"skzi_date": "2026-11-03"}), 409, "issuance.requestOpen")
		assert.Equal(t, openBefore, testutil.Count(t, a, "issuances", "user_id = ?", req.Str("user_id")), "nothing written")
		b1 := testutil.MustCreate(t, a.As("operators"), "/api/v1/issuances", map[string]any{"user_id": req.Str("user_id"), "device_type_id": cat.typeID,
			"skzi_number": "1", "skzi_date": "2026-11-03"}).Str("id")
		bk := ops[1].Do("POST", "/api/v1/issuances/bulk-approve", map[string]any{"ids": []string{b1, id}})
		require.Equal(t, 200, bk.Status, bk.String())
		assert.Equal(t, true, bk.Get("results.0.ok"))
		assert.Equal(t, "issuance.wrongState", bk.Str("results.1.code"))

		// Failing a step is resumable: the next request is signed again.
		base := "/api/v1/me/issuances/" + id
		testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": "77", "template_id": cat.templateID, "csr": deviceCSR(t, false)})
		f := anna.Do("POST", base+"/fail", map[string]any{"reason": "the token was removed"})
		require.Equal(t, 200, f.Status, f.String())
		assert.Equal(t, "failed", f.Str("state"))
		assert.Equal(t, true, f.Get("certificates.0.revoked"))
		again := testutil.MustCreate(t, anna, base+"/csr", map[string]any{"serial": "77", "template_id": cat.templateID, "csr": deviceCSR(t, false)})
		ok := anna.Do("POST", base+"/confirm", map[string]any{"serial": "77", "fingerprints": []string{again.Str("fingerprint_sha256")}})
		require.Equal(t, 200, ok.Status, ok.String())
		dev := admin.Do("GET", "/api/v1/devices/"+ok.Str("device_id"), nil)
		require.Equal(t, 200, dev.Status, dev.String())
		assert.Equal(t, "СКЗИ-17", dev.Str("skzi_number"))
		assert.Equal(t, "2026-11-01", dev.Str("skzi_date"))
		assert.GreaterOrEqual(t, dev.Len("history"), 6, dev.String())
	})
}
