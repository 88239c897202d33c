package apitest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"custos/internal/platform/db"
	"custos/internal/platform/migrate"
	"custos/internal/testutil"
)

// smevColumn is the raw issuances.smev of issuance id.
func smevColumn(t *testing.T, a *testutil.TestApp, id string) string {
	t.Helper()
	var doc string
	require.NoError(t, a.DB.W.Table("issuances").Where("id = ?", id).Pluck("smev", &doc).Error)
	return doc
}

// personalData are ivanov's values that must never be kept or logged in clear text.
var personalData = []string{"123456", "11223344595", "112-233-445 95", "500100732259", "Иванов"}

func TestSMEVRecordSealedAndReadByOperators(t *testing.T) {
	t.Parallel()
	url := testutil.StartSMEVPeer(t, []map[string]string{ivanov}, 0)
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := smevApp(t, d, url, 5*time.Second)
		admin := a.Admin()
		cat := qualifiedCatalogue(t, a, admin, false)
		anna, _ := person(t, a, cat.group, "ivanov@example.com", directory(nil))
		ok := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"inn": "500100732259"}})
		id := ok.Str("id")

		// At rest: sealed with the app key, no personal data in the column.
		raw := smevColumn(t, a, id)
		assert.Regexp(t, `^v1:`, raw)
		for _, v := range personalData {
			assert.NotContains(t, raw, v)
		}

		// An operator reads it back, never cached; the read is audited without the data.
		op := a.As("operators")
		r := op.Do("GET", "/api/v1/issuances/"+id+"/smev", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
		assert.Equal(t, id, r.Str("issuance_id"))
		assert.Equal(t, id, r.Str("request_id"), "the request id sent to SMEV is the issuance's")
		assert.Equal(t, "Иванов", r.Str("form.last_name"))
		assert.Equal(t, "4510", r.Str("form.passport_series"))
		assert.Equal(t, "123456", r.Str("form.passport_number"))
		assert.Equal(t, "11223344595", r.Str("form.snils"))
		assert.Equal(t, "500100732259", r.Str("form.inn"))
		assert.Equal(t, "match", r.Str("answer.result"))
		assert.Empty(t, r.Get("answer.fields"))
		_, err := time.Parse(time.RFC3339, r.Str("checked_at"))
		assert.NoError(t, err, "checked_at is RFC 3339")
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "action = ? AND resource_type = ? AND resource_id = ?",
			"read_smev_record", "device_issuance", id))
		for _, v := range personalData {
			// (the user's own creation logs their attributes: the directory holds them anyway)
			assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "resource_type = ? AND (diff LIKE ? OR resource_name LIKE ?)",
				"device_issuance", "%"+v+"%", "%"+v+"%"), "no personal data in the issuance's audit events: %s", v)
		}
		require.Equal(t, 200, admin.Do("GET", "/api/v1/issuances/"+id+"/smev", nil).Status)
		assert.Equal(t, int64(2), testutil.Count(t, a, "audit_events", "action = ? AND resource_id = ?", "read_smev_record", id),
			"every read is audited")

		// Without devices.approve: 403 (auditors read devices but do not approve); the owner neither.
		testutil.AssertProblem(t, a.As("auditors").Do("GET", "/api/v1/issuances/"+id+"/smev", nil), 403, "authz.denied")
		assert.Equal(t, 403, anna.Do("GET", "/api/v1/issuances/"+id+"/smev", nil).Status)

		// No check: 404 issuance.noSMEV; an unknown issuance: 404 too.
		plain := newCatalogue(t, a, admin, nil)
		bob, _ := person(t, a, plain.group, "", nil)
		none := testutil.MustCreate(t, bob, "/api/v1/me/issuances", map[string]any{"device_type_id": plain.typeID}).Str("id")
		assert.Equal(t, "{}", smevColumn(t, a, none), "no check stays unsealed")
		testutil.AssertProblem(t, op.Do("GET", "/api/v1/issuances/"+none+"/smev", nil), 404, "issuance.noSMEV")
		testutil.AssertProblem(t, op.Do("GET", "/api/v1/issuances/0190a1b2-0000-7000-8000-000000000000/smev", nil), 404, "resource.notFound")
		assert.Equal(t, int64(2), testutil.Count(t, a, "audit_events", "action = ?", "read_smev_record"), "a refused read is no read")
	})
}

// TestSMEVRecordMigrationSealsClearText: m017 seals the clear-text records kept before it.
func TestSMEVRecordMigrationSealsClearText(t *testing.T) {
	t.Parallel()
	url := testutil.StartSMEVPeer(t, []map[string]string{ivanov}, 0)
	var m017 migrate.Migration
	for _, m := range migrate.All() {
		if m.Version == 17 {
			m017 = m
		}
	}
	require.NotNil(t, m017.Up, "migration 17 exists")
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := smevApp(t, d, url, 5*time.Second)
		admin := a.Admin()
		cat := qualifiedCatalogue(t, a, admin, false)
		anna, _ := person(t, a, cat.group, "", directory(nil))
		id := testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID,
			"smev": map[string]any{"inn": "500100732259"}}).Str("id")
		plain := newCatalogue(t, a, admin, nil)
		bob, _ := person(t, a, plain.group, "", nil)
		none := testutil.MustCreate(t, bob, "/api/v1/me/issuances", map[string]any{"device_type_id": plain.typeID}).Str("id")

		// As a database from before m017 kept it: the record in clear text.
		clear, err := a.Box.Open(smevColumn(t, a, id))
		require.NoError(t, err)
		require.True(t, json.Valid([]byte(clear)))
		require.NoError(t, a.DB.W.Table("issuances").Where("id = ?", id).Update("smev", clear).Error)
		require.NoError(t, a.DB.W.Table("issuances").Where("id = ?", none).Update("smev", "").Error)
		run := func(ctx context.Context) error {
			return a.DB.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return m017.Up(tx, a.DB.Dialect) })
		}

		// Without the app key it refuses rather than leave personal data in clear text.
		require.ErrorContains(t, run(context.Background()), "application key")
		assert.Equal(t, clear, smevColumn(t, a, id))

		require.NoError(t, run(migrate.WithBox(context.Background(), a.Box)))
		sealed := smevColumn(t, a, id)
		assert.Regexp(t, `^v1:`, sealed)
		for _, v := range personalData {
			assert.NotContains(t, sealed, v)
		}
		assert.Equal(t, "", smevColumn(t, a, none), "no check stays as it was")
		r := admin.Do("GET", "/api/v1/issuances/"+id+"/smev", nil)
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "123456", r.Str("form.passport_number"))
		testutil.AssertProblem(t, admin.Do("GET", "/api/v1/issuances/"+none+"/smev", nil), 404, "issuance.noSMEV")

		// Run again: nothing left to seal, the sealed value untouched.
		require.NoError(t, run(context.Background()))
		assert.Equal(t, sealed, smevColumn(t, a, id))
	})
}
