package device_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/device"
	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func ptr[T any](v T) *T { return &v }

// fieldsOf returns the fields a validation error names.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	e, ok := apperr.As(err)
	require.True(t, ok, "an application error: %v", err)
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Code
	}
	return out
}

// auditText is every audit diff of a resource, concatenated.
func auditText(t *testing.T, a *testutil.TestApp, resType, id string) string {
	t.Helper()
	var diffs []string
	require.NoError(t, a.DB.W.Table("audit_events").Where("resource_type = ? AND resource_id = ?", resType, id).
		Order("at").Pluck("diff", &diffs).Error)
	require.NotEmpty(t, diffs)
	return strings.Join(diffs, "\n")
}

func TestDeviceTypePINsAreSealedAndChecked(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		svc, ctx := a.Devices, testutil.Ctx()
		in := device.DeviceTypeInput{Name: "JaCarta-2 PKI/GOST", Vendor: "Aladdin", Model: "JaCarta-2",
			PinAreas: []device.PinAreaInput{
				{Code: "pki", Name: "PKI", DefaultAdminPIN: ptr("00000000"), DefaultUserPIN: ptr("11111111")},
				{Code: "gost", Name: "GOST", DefaultUserPIN: ptr("22222222")}},
			PinRules: &device.PinRules{MinLength: 6, MaxLength: 16, Charset: device.CharsetDigits}}
		dt, err := svc.CreateType(ctx, in)
		require.NoError(t, err)
		assert.Equal(t, []device.PinArea{{Code: "pki", Name: "PKI", HasDefaultAdminPIN: true, HasDefaultUserPIN: true},
			{Code: "gost", Name: "GOST", HasDefaultUserPIN: true}}, dt.PinAreas)
		assert.Equal(t, device.DefaultRetryCounts, dt.RetryCounts)

		// At rest the PINs are sealed; the service opens them for issuance only.
		var stored string
		require.NoError(t, a.DB.W.Table("device_types").Where("id = ?", dt.ID).Pluck("pin_areas", &stored).Error)
		for _, pin := range []string{"00000000", "11111111", "22222222"} {
			assert.NotContains(t, stored, pin)
		}
		admin, user, err := svc.DefaultPINs(ctx, dt.ID, "pki")
		require.NoError(t, err)
		assert.Equal(t, []string{"00000000", "11111111"}, []string{admin, user})

		// A PIN breaking the rules names its field; nothing is written.
		_, err = svc.CreateType(ctx, device.DeviceTypeInput{Name: "Rutoken", PinAreas: []device.PinAreaInput{
			{Code: "pki", Name: "PKI", DefaultAdminPIN: ptr("12ab56"), DefaultUserPIN: ptr("123")}},
			PinRules: &device.PinRules{MinLength: 6, MaxLength: 10, Charset: device.CharsetDigits}})
		assert.Equal(t, map[string]string{"pin_areas.0.default_admin_pin": "charset", "pin_areas.0.default_user_pin": "length"},
			fieldsOf(t, err))

		// A change keeps absent PINs, removes "" ones, and checks kept ones against new rules.
		_, err = svc.UpdateType(ctx, dt.ID, device.DeviceTypePatch{Version: 1,
			PinRules: &device.PinRules{MinLength: 10, MaxLength: 16, Charset: device.CharsetDigits}})
		assert.Contains(t, fieldsOf(t, err), "pin_areas.0.default_admin_pin", "a kept PIN too short for the new rules")
		dt, err = svc.UpdateType(ctx, dt.ID, device.DeviceTypePatch{Version: 1, PinAreas: &[]device.PinAreaInput{
			{Code: "pki", Name: "PKI", DefaultUserPIN: ptr("")}, {Code: "gost", Name: "ГОСТ", DefaultAdminPIN: ptr("33333333")}}})
		require.NoError(t, err)
		assert.Equal(t, []device.PinArea{{Code: "pki", Name: "PKI", HasDefaultAdminPIN: true},
			{Code: "gost", Name: "ГОСТ", HasDefaultAdminPIN: true, HasDefaultUserPIN: true}}, dt.PinAreas)
		admin, user, err = svc.DefaultPINs(ctx, dt.ID, "gost")
		require.NoError(t, err)
		assert.Equal(t, []string{"33333333", "22222222"}, []string{admin, user})

		// A stale version is a conflict carrying the current state.
		_, err = svc.UpdateType(ctx, dt.ID, device.DeviceTypePatch{Version: 1, Vendor: ptr("x")})
		assert.True(t, apperr.Is(err, "resource.versionConflict"), "%v", err)

		// The audit log says which PINs changed, never what they are.
		log := auditText(t, a, device.ResourceType, dt.ID)
		for _, pin := range []string{"00000000", "11111111", "22222222", "33333333"} {
			assert.NotContains(t, log, pin)
		}
		assert.Contains(t, log, "pki.user")
		assert.Contains(t, log, "gost.admin")

		require.NoError(t, svc.DeleteType(ctx, dt.ID))
		_, err = svc.GetType(ctx, dt.ID)
		assert.True(t, apperr.Is(err, "resource.notFound"))
	})
}
