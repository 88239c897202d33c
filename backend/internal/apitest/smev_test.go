package apitest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/config"
	"custos/internal/identity"
	"custos/internal/platform/db"
	"custos/internal/smev"
	"custos/internal/testutil"
)

// ivanov is a person the SMEV peer knows, as its people file holds him.
var ivanov = map[string]string{"last_name": "Иванов", "first_name": "Иван", "middle_name": "Иванович",
	"birth_date": "1980-05-17", "snils": "112-233-445 95", "passport_series": "4510", "passport_number": "123456"}

// person creates a user in group with e-mail and extra attributes, and signs them in.
func person(t *testing.T, a *testutil.TestApp, group, email string, extra map[string]any) (*testutil.Client, string) {
	t.Helper()
	login := fmt.Sprintf("p%d", time.Now().UnixNano())
	u, err := a.Identity.CreateUser(testutil.Ctx(), identity.UserInput{Login: login, Email: email, DisplayName: "Person " + login,
		Password: "password-123", GroupIDs: []string{testutil.GroupID(t, a, group)}, ExtraAttributes: extra})
	require.NoError(t, err)
	return a.Login(login, "password-123"), u.ID
}

// directory is ivanov's data as the directory holds it (extra attributes), changed by over.
func directory(over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range ivanov {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func smevApp(t *testing.T, d *db.DB, url string, timeout time.Duration) *testutil.TestApp {
	return testutil.NewApp(t, d, func(c *config.Config) { c.SMEVURL, c.SMEVTimeout = url, timeout })
}

// qualifiedCatalogue is a catalogue whose policy checks its qualified template in SMEV.
func qualifiedCatalogue(t *testing.T, a *testutil.TestApp, admin *testutil.Client, editable bool) catalogue {
	t.Helper()
	tq := newTemplate(t, admin, fmt.Sprintf("Qualified %d", time.Now().UnixNano()), true)
	cat := newCatalogue(t, a, admin, map[string]any{"smev_check": true, "smev_form_editable": editable, "template_ids": []string{tq}})
	cat.templateID = tq
	return cat
}

func states(r *testutil.Resp) []string {
	var out []string
	for _, h := range r.Get("history").([]any) {
		out = append(out, h.(map[string]any)["to"].(string))
	}
	return out
}

func TestSMEVCheckBeforeAQualifiedTemplate(t *testing.T) {
	t.Parallel()
	url := testutil.StartSMEVPeer(t, []map[string]string{ivanov}, 0)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := smevApp(t, d, url, 5*time.Second)
		admin := a.Admin()
		cat := qualifiedCatalogue(t, a, admin, false)
		written := func(uid string) int64 { return testutil.Count(t, a, "issuances", "user_id = ?", uid) }

		// The form comes prefilled from the directory; only the missing INN may be filled in.
		anna, annaID := person(t, a, cat.group, "ivanov@example.com", directory(nil))
		f := anna.Do("GET", "/api/v1/me/smev-form", nil)
		require.Equal(t, 200, f.Status, f.String())
		assert.Equal(t, true, f.Get("required"))
		assert.Equal(t, false, f.Get("editable"))
		assert.Equal(t, true, f.Get("configured"))
		assert.Equal(t, "Иванов", f.Str("form.last_name"))
		assert.Equal(t, "11223344595", f.Str("form.snils"), "the number's digits")
		assert.Equal(t, "ivanov@example.com", f.Str("form.email"))
		assert.Equal(t, []string{"inn"}, testutil.Strings(f.Get("editable_fields")))

		// Changing prefilled data is refused when the policy does not allow it; nothing written.
		r := anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"last_name": "Петров", "snils": "11223344595"}})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, []string{"smev.last_name"}, testutil.FieldsOf(r), "the same SNILS typed again is no change")
		assert.Equal(t, "notEditable", testutil.FieldCode(r, "smev.last_name"))
		assert.Equal(t, int64(0), written(annaID))

		// Adding the missing INN is always allowed; SMEV matches; the history shows the check.
		ok := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"inn": "500100732259"}})
		assert.Equal(t, "approved", ok.Str("state"))
		assert.Equal(t, true, ok.Get("policy.smev_check"))
		got := anna.Do("GET", "/api/v1/me/issuances/"+ok.Str("id"), nil)
		assert.Equal(t, []string{"draft", "smev_check", "approved"}, states(got))
		var doc string
		require.NoError(t, a.DB.W.Table("issuances").Where("id = ?", ok.Str("id")).Pluck("smev", &doc).Error)
		assert.NotContains(t, doc, "123456", "sealed at rest")
		doc, err := a.Box.Open(doc)
		require.NoError(t, err)
		assert.Contains(t, doc, `"result":"match"`)
		assert.Contains(t, doc, `"inn":"500100732259"`, "the form as checked is kept")
		assert.Contains(t, doc, ok.Str("id"), "the request id sent to SMEV is the issuance's")

		// A mismatch names the fields; nothing is written, the state machine untouched.
		boris, borisID := person(t, a, cat.group, "boris@example.com", directory(map[string]any{"birth_date": "1981-05-17", "passport_number": "654321"}))
		events := testutil.Count(t, a, "issuance_events", "1 = 1")
		r = boris.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
		testutil.AssertProblem(t, r, 422, "issuance.smevMismatch")
		assert.ElementsMatch(t, []string{"smev.birth_date", "smev.passport_number"}, testutil.FieldsOf(r))
		assert.Equal(t, int64(0), written(borisID))
		assert.Equal(t, events, testutil.Count(t, a, "issuance_events", "1 = 1"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "resource_type = ? AND resource_name = ?", "device_issuance",
			boris.Do("GET", "/api/v1/auth/me", nil).Str("user.login")))

		// Data SMEV cannot go without: a missing SNILS is a 400 before anyone is asked.
		vera, veraID := person(t, a, cat.group, "", directory(map[string]any{"snils": nil, "passport_series": nil}))
		r = vera.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"passport_series": "45 1", "last_name": "Петров"}})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "required", testutil.FieldCode(r, "smev.snils"))
		assert.Equal(t, "invalidFormat", testutil.FieldCode(r, "smev.passport_series"))
		assert.Equal(t, "notEditable", testutil.FieldCode(r, "smev.last_name"), "every problem of the form at once")
		assert.Equal(t, int64(0), written(veraID))
		ok = testutil.MustCreate(t, vera, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"snils": "112 233 445 95", "passport_series": "4510"}})
		assert.Equal(t, "approved", ok.Str("state"), "missing data added by the user")

		// With an editable form the user corrects the directory's data and passes.
		ed := qualifiedCatalogue(t, a, admin, true)
		gleb, _ := person(t, a, ed.group, "", directory(map[string]any{"birth_date": "1981-05-17"}))
		f = gleb.Do("GET", "/api/v1/me/smev-form", nil)
		assert.Equal(t, true, f.Get("editable"))
		assert.Len(t, testutil.Strings(f.Get("editable_fields")), 9)
		r = gleb.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": ed.typeID})
		testutil.AssertProblem(t, r, 422, "issuance.smevMismatch")
		ok = testutil.MustCreate(t, gleb, "/api/v1/me/issuances", map[string]any{"device_type_id": ed.typeID,
			"smev": map[string]any{"birth_date": "1980-05-17"}})
		assert.Equal(t, "approved", ok.Str("state"))

		// An operator issuing for a user goes through the same check.
		r = admin.Do("POST", "/api/v1/issuances", map[string]any{"device_type_id": cat.typeID, "user_id": borisID})
		testutil.AssertProblem(t, r, 422, "issuance.smevMismatch")
		assert.Equal(t, int64(0), written(borisID))
	})
}

func TestSMEVUnavailable(t *testing.T) {
	t.Parallel()
	slow := testutil.StartSMEVPeer(t, []map[string]string{ivanov}, 3*time.Second)
	broken := testutil.StartSMEVPeer(t, []map[string]string{directoryString(map[string]string{"error": "СМЭВ: сервис поставщика недоступен"})}, 0)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := smevApp(t, d, "", 0)
		admin := a.Admin()
		cat := qualifiedCatalogue(t, a, admin, false)
		anna, annaID := person(t, a, cat.group, "", directory(nil))
		for _, tc := range []struct{ name, url, detail string }{
			{"not configured", "", "no SMEV service is configured"},
			{"timeout", slow, "no answer within the timeout"},
			{"error answer", broken, "СМЭВ: сервис поставщика недоступен"},
		} {
			if tc.url != "" {
				a.Issuance.SetSMEV(smev.New(tc.url, 300*time.Millisecond))
			}
			start := time.Now()
			r := anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
			testutil.AssertProblem(t, r, 503, "issuance.smevUnavailable")
			assert.Contains(t, r.Str("detail"), tc.detail, tc.name)
			assert.Less(t, time.Since(start), 2*time.Second, "the timeout holds")
			assert.Equal(t, int64(0), testutil.Count(t, a, "issuances", "user_id = ?", annaID), "nothing written: %s", tc.name)
			assert.Equal(t, tc.url != "", anna.Do("GET", "/api/v1/me/smev-form", nil).Get("configured"), tc.name)
		}

		// A template that is not qualified needs no check, with or without SMEV.
		a.Issuance.SetSMEV(nil)
		plain := newCatalogue(t, a, admin, map[string]any{"smev_check": true})
		bob, _ := person(t, a, plain.group, "", nil)
		assert.Equal(t, "approved", testutil.MustCreate(t, bob, "/api/v1/me/issuances", map[string]any{"device_type_id": plain.typeID}).Str("state"))
	})
}

func directoryString(over map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range ivanov {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
