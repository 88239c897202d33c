package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/apitoken"
	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/cabinet"
	"custos/internal/certsignin"
	"custos/internal/dashboard"
	"custos/internal/device"
	"custos/internal/federation"
	"custos/internal/identity"
	"custos/internal/issuance"
	"custos/internal/mfa"
	"custos/internal/notify"
	"custos/internal/platform/authz"
	"custos/internal/platform/list"
	"custos/internal/provider"
	"custos/internal/secretq"
	"custos/internal/session"
	"custos/internal/stats"
	"custos/internal/system"
	"custos/internal/webhook"
	"custos/internal/webui"
)

// Route is one endpoint with its authorisation decision. Every route of the server
// is declared here and nowhere else; a test walks echo's routes and fails on any
// route missing from this table.
type Route struct {
	Method  string
	Path    string
	Access  authz.Access
	Perm    string
	Handler echo.HandlerFunc
	// List is the whitelist a list endpoint parses its query with; the OpenAPI test
	// holds the documented sort and filter parameters to it.
	List *list.Spec
	// StepUp marks an operation that matters: a session must have proved its second
	// factor within CUSTOS_STEP_UP_AGE (session.RequireStepUp, after the permission).
	StepUp bool
}

// stepUp marks the route as asking for a fresh second factor.
func (r Route) stepUp() Route {
	r.StepUp = true
	return r
}

// listing names the spec of a list endpoint.
func (r Route) listing(spec *list.Spec) Route {
	r.List = spec
	return r
}

const v1 = "/api/v1"

func (a *App) routes() []Route {
	users := identity.NewUsersHandler(a.Identity)
	groups := identity.NewGroupsHandler(a.Identity)
	userTypes := identity.NewUserTypesHandler(a.Identity)
	attrs := identity.NewAttributesHandler(a.Identity)
	licence := identity.NewLicenceHandler(a.Identity)
	login := session.NewHandler(a.Sessions, a.Identity)
	sessions := session.NewSessionsHandler(a.Sessions, a.Identity, a.Identity)
	auditLog := audit.NewHandler(audit.NewService(a.DB, a.Chainer))
	providers := provider.NewHandler(a.Provider)
	tokens := apitoken.NewHandler(a.Tokens)
	deviceTypes, templates, policies := device.NewTypeHandler(a.Devices), device.NewTemplateHandler(a.Devices), device.NewPolicyHandler(a.Devices)
	issue := issuance.NewHandler(a.Issuance)
	mail := notify.NewHandler(a.Notify)
	secrets := secretq.NewHandler(a.SecretQuestions)
	factors := mfa.NewHandler(a.MFA, a.Identity)
	federated := federation.NewHandler(a.Federation, login.WriteMe)
	systems := system.NewHandler(a.Systems)
	hooks := webhook.NewHandler(a.Webhooks)
	pki := ca.NewHandler(a.CA)
	counts := stats.NewHandler(a.Stats)
	cab := cabinet.NewHandler(a.Cabinet)
	home := dashboard.NewHandler(a.Dashboard)
	boundCerts := certsignin.NewHandler(a.CertSignin, a.Identity)
	pub := func(m, p string, h echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Access: authz.Public, Handler: h}
	}
	signedIn := func(m, p string, h echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Access: authz.Authenticated, Handler: h}
	}
	perm := func(m, p, perm string, h echo.HandlerFunc) Route {
		return Route{Method: m, Path: v1 + p, Access: authz.Permission, Perm: perm, Handler: h}
	}
	const (
		get, post, patch, put, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete
		ur, uw                     = authz.UsersRead, authz.UsersWrite
		pr, pw                     = authz.ProvidersRead, authz.ProvidersWrite
	)
	return []Route{
		// Infrastructure.
		pub(get, "/healthz", a.healthz),
		pub(get, "/readyz", a.readyz),
		pub(get, "/api/docs", redirectDocs),
		pub(get, "/api/docs/", a.docsIndex),
		pub(get, "/api/docs/*", a.docsFiles),
		pub(get, "/api/openapi.json", a.openapiJSON),

		// Sessions.
		pub(post, v1+"/auth/login", login.Login),
		pub(post, v1+"/auth/login/second-factor", login.SecondFactor),
		pub(post, v1+"/auth/login/second-factor/passkey", login.SecondFactorPasskey),
		pub(get, v1+"/auth/certificate", login.PresentedCertificate),
		pub(post, v1+"/auth/login/certificate", login.CertificateLogin),
		pub(post, v1+"/auth/login/second-factor/certificate", login.SecondFactorCertificate),
		pub(post, v1+"/auth/passkey/begin", login.PasskeyBegin),
		pub(post, v1+"/auth/passkey/finish", login.PasskeyFinish),
		signedIn(post, v1+"/auth/logout", login.Logout),
		signedIn(post, v1+"/auth/logout-all", sessions.LogoutAll),
		signedIn(post, v1+"/auth/password", sessions.ChangePassword),
		signedIn(post, v1+"/auth/step-up", login.StepUp),
		signedIn(post, v1+"/auth/step-up/passkey/begin", login.StepUpPasskeyBegin),
		signedIn(post, v1+"/auth/step-up/passkey/finish", login.StepUpPasskeyFinish),
		signedIn(get, v1+"/auth/me", login.Me),
		signedIn(get, v1+"/me/factors", factors.Mine),
		signedIn(post, v1+"/me/factors/totp", factors.StartTOTP),
		signedIn(post, v1+"/me/factors/totp/confirm", factors.ConfirmTOTP),
		signedIn(del, v1+"/me/factors/totp", factors.RemoveTOTP),
		signedIn(post, v1+"/me/factors/recovery-codes", factors.RegenerateCodes),
		signedIn(get, v1+"/me/factors/passkeys", factors.ListPasskeys),
		signedIn(post, v1+"/me/factors/passkeys/begin", factors.BeginPasskey),
		signedIn(post, v1+"/me/factors/passkeys", factors.FinishPasskey),
		signedIn(patch, v1+"/me/factors/passkeys/:id", factors.RenamePasskey),
		signedIn(del, v1+"/me/factors/passkeys/:id", factors.RemovePasskey),
		signedIn(get, v1+"/permissions", listPermissions),
		signedIn(get, v1+"/dashboard", home.Get),

		// Signing in through providers (SPEC §5).
		pub(get, v1+"/auth/providers", federated.Buttons),
		pub(get, v1+"/auth/oidc/:id/start", federated.StartOIDC),
		pub(get, v1+"/auth/oidc/callback", federated.Callback),
		pub(get, v1+"/auth/oidc/silent", federated.Silent),
		pub(post, v1+"/auth/oidc-token/session", federated.TokenSession),
		pub(get, v1+"/auth/kerberos", federated.Kerberos),
		pub(post, v1+"/auth/rest/:id/session", federated.RESTSession),

		// Users.
		perm(get, "/users", ur, users.List).listing(&identity.UserSpec),
		perm(post, "/users", uw, users.Create).stepUp(),
		perm(post, "/users/bulk-delete", uw, users.BulkDelete),
		perm(post, "/users/bulk-activate", uw, users.BulkActivate),
		perm(get, "/users/:id", ur, users.Get),
		perm(patch, "/users/:id", uw, users.Update).stepUp(),
		perm(del, "/users/:id", uw, users.Delete),
		perm(post, "/users/:id/password", uw, users.SetPassword),
		perm(get, "/users/:id/sessions", ur, sessions.ListUserSessions).listing(&session.SessionSpec),
		perm(post, "/users/:id/sessions/end", uw, sessions.EndUserSessions),
		perm(get, "/users/:id/factors", ur, factors.UserStatus),
		perm(post, "/users/:id/factors/reset", uw, factors.ResetUser),
		perm(get, "/users/:id/certificates", ur, boundCerts.List).listing(&certsignin.Spec),
		perm(post, "/users/:id/certificates", uw, boundCerts.Bind),
		perm(del, "/users/:id/certificates/:cid", uw, boundCerts.Unbind),

		// Groups.
		perm(get, "/groups", ur, groups.List).listing(&identity.GroupSpec),
		perm(post, "/groups", uw, groups.Create).stepUp(),
		perm(post, "/groups/bulk-delete", uw, groups.BulkDelete),
		perm(get, "/groups/:id", ur, groups.Get),
		perm(patch, "/groups/:id", uw, groups.Update).stepUp(),
		perm(del, "/groups/:id", uw, groups.Delete),

		// User types and licence.
		perm(get, "/user-types", ur, userTypes.List).listing(&identity.UserTypeSpec),
		perm(post, "/user-types", uw, userTypes.Create),
		perm(post, "/user-types/bulk-delete", uw, userTypes.BulkDelete),
		perm(get, "/user-types/:id", ur, userTypes.Get),
		perm(patch, "/user-types/:id", uw, userTypes.Update),
		perm(del, "/user-types/:id", uw, userTypes.Delete),
		perm(get, "/settings/licence", ur, licence.Get),
		perm(put, "/settings/licence", authz.SettingsWrite, licence.Set),

		// Access schema.
		perm(get, "/attributes", ur, attrs.List).listing(&identity.AttributeSpec),
		perm(post, "/attributes", uw, attrs.Create),
		perm(post, "/attributes/bulk-delete", uw, attrs.BulkDelete),
		perm(get, "/attributes/:id", ur, attrs.Get),
		perm(patch, "/attributes/:id", uw, attrs.Update),
		perm(del, "/attributes/:id", uw, attrs.Delete),

		// Providers.
		perm(get, "/providers", pr, providers.List).listing(&provider.Spec),
		perm(post, "/providers", pw, providers.Create),
		perm(get, "/providers/export", pr, providers.Export),
		perm(post, "/providers/import", pw, providers.Import),
		perm(post, "/providers/bulk-delete", pw, providers.BulkDelete),
		perm(post, "/providers/bulk-activate", pw, providers.BulkActivate),
		perm(post, "/providers/bulk-deactivate", pw, providers.BulkDeactivate),
		perm(get, "/providers/:id", pr, providers.Get),
		perm(patch, "/providers/:id", pw, providers.Update),
		perm(del, "/providers/:id", pw, providers.Delete),
		perm(post, "/providers/:id/test", pw, providers.Test),
		perm(post, "/providers/:id/dry-run", pw, providers.DryRun),

		// API tokens (the organisation's), a user's personal tokens for administrators, and
		// personal access tokens (the caller's own).
		perm(get, "/tokens", authz.APITokensRead, tokens.List).listing(&apitoken.Spec),
		perm(post, "/tokens", authz.APITokensWrite, tokens.Create),
		perm(post, "/tokens/bulk-delete", authz.APITokensWrite, tokens.BulkDelete),
		perm(get, "/tokens/:id", authz.APITokensRead, tokens.Get),
		perm(patch, "/tokens/:id", authz.APITokensWrite, tokens.Update),
		perm(del, "/tokens/:id", authz.APITokensWrite, tokens.Delete),
		perm(post, "/tokens/:id/revoke", authz.APITokensWrite, tokens.Revoke),
		perm(get, "/tokens/:id/stats", authz.StatsRead, counts.Token),
		perm(get, "/users/:id/tokens", authz.APITokensRead, tokens.ListOfUser).listing(&apitoken.Spec),
		perm(post, "/users/:id/tokens/:tid/revoke", authz.APITokensWrite, tokens.RevokeOfUser),
		perm(get, "/me/tokens", authz.SelfService, tokens.ListMine).listing(&apitoken.Spec),
		perm(post, "/me/tokens", authz.SelfService, tokens.CreateMine),
		perm(post, "/me/tokens/bulk-delete", authz.SelfService, tokens.BulkDeleteMine),
		perm(get, "/me/tokens/:id", authz.SelfService, tokens.GetMine),
		perm(patch, "/me/tokens/:id", authz.SelfService, tokens.UpdateMine),
		perm(del, "/me/tokens/:id", authz.SelfService, tokens.DeleteMine),
		perm(post, "/me/tokens/:id/revoke", authz.SelfService, tokens.RevokeMine),
		perm(get, "/me/tokens/:id/stats", authz.SelfService, counts.MyToken),

		// The certificate authority; its public PKI endpoints answer relying parties unsigned.
		perm(get, "/ca", authz.CertificatesRead, pki.Get),
		perm(post, "/ca/import", authz.SettingsWrite, pki.Import).stepUp(),
		pub(get, ca.PathCACert, pki.CACert),
		pub(get, ca.PathCRL, pki.CRL),
		pub(get, ca.PathOCSP+"/*", pki.OCSPGet),
		pub(post, ca.PathOCSP, pki.OCSPPost),

		// The device catalogue (issue 14): device types, certificate templates, usage policies.
		perm(get, "/device-types", authz.DevicesRead, deviceTypes.List).listing(&device.TypeSpec),
		perm(post, "/device-types", authz.DevicesWrite, deviceTypes.Create),
		perm(post, "/device-types/bulk-delete", authz.DevicesWrite, deviceTypes.BulkDelete),
		perm(get, "/device-types/:id", authz.DevicesRead, deviceTypes.Get),
		perm(patch, "/device-types/:id", authz.DevicesWrite, deviceTypes.Update),
		perm(del, "/device-types/:id", authz.DevicesWrite, deviceTypes.Delete),
		perm(get, "/certificate-templates", authz.DevicesRead, templates.List).listing(&device.TemplateSpec),
		perm(post, "/certificate-templates", authz.DevicesWrite, templates.Create),
		perm(post, "/certificate-templates/bulk-delete", authz.DevicesWrite, templates.BulkDelete),
		perm(post, "/certificate-templates/preview", authz.DevicesRead, templates.Preview),
		perm(get, "/certificate-templates/:id", authz.DevicesRead, templates.Get),
		perm(patch, "/certificate-templates/:id", authz.DevicesWrite, templates.Update),
		perm(del, "/certificate-templates/:id", authz.DevicesWrite, templates.Delete),
		perm(get, "/device-policies", authz.DevicesRead, policies.List).listing(&device.PolicySpec),
		perm(post, "/device-policies", authz.DevicesWrite, policies.Create),
		perm(post, "/device-policies/bulk-delete", authz.DevicesWrite, policies.BulkDelete),
		perm(get, "/device-policies/:id", authz.DevicesRead, policies.Get),
		perm(patch, "/device-policies/:id", authz.DevicesWrite, policies.Update),
		perm(del, "/device-policies/:id", authz.DevicesWrite, policies.Delete),
		perm(get, "/users/:id/device-policy", authz.DevicesRead, policies.Effective),
		// Device issuance: the operators' queue, the devices, and a person's own.
		perm(get, "/issuances", authz.DevicesRead, issue.List).listing(&issuance.Spec),
		perm(post, "/issuances", authz.DevicesWrite, issue.CreateFor),
		perm(post, "/issuances/bulk-approve", authz.DevicesApprove, issue.BulkApprove).stepUp(),
		perm(get, "/issuances/:id", authz.DevicesRead, issue.Get),
		perm(post, "/issuances/:id/approve", authz.DevicesApprove, issue.Approve).stepUp(),
		perm(post, "/issuances/:id/reject", authz.DevicesApprove, issue.Reject),
		perm(get, "/issuances/:id/smev", authz.DevicesApprove, issue.GetSMEV),
		perm(get, "/devices", authz.DevicesRead, issue.ListDevices).listing(&issuance.DeviceSpec),
		perm(get, "/devices/:id", authz.DevicesRead, issue.GetDevice),
		perm(post, "/devices/:id/block", authz.DevicesWrite, issue.BlockDevice),
		perm(post, "/devices/:id/unblock", authz.DevicesWrite, issue.UnblockDevice),
		perm(post, "/devices/:id/revoke", authz.DevicesWrite, issue.RevokeDevice),
		perm(post, "/devices/:id/admin-pin", authz.DevicesWrite, issue.DeviceAdminPIN),
		perm(get, "/me/issuances", authz.SelfService, issue.ListMine).listing(&issuance.MySpec),
		perm(post, "/me/issuances", authz.SelfService, issue.CreateMine),
		perm(get, "/me/issuances/:id", authz.SelfService, issue.GetMine),
		perm(post, "/me/issuances/:id/csr", authz.SelfService, issue.SignMine),
		perm(post, "/me/issuances/:id/confirm", authz.SelfService, issue.ConfirmMine),
		perm(post, "/me/issuances/:id/fail", authz.SelfService, issue.FailMine),
		perm(post, "/me/issuances/:id/cancel", authz.SelfService, issue.CancelMine),
		perm(post, "/me/issuances/:id/default-pins", authz.SelfService, issue.MyDefaultPINs),
		perm(get, "/me/device-options", authz.SelfService, issue.MyOptions),
		perm(post, "/me/devices/:id/admin-pin", authz.SelfService, issue.MyAdminPIN),
		perm(get, "/me/devices", authz.SelfService, issue.ListMyDevices).listing(&issuance.MyDeviceSpec),
		// Issue 14 items 3, 5, 6: the SMEV form, the random PIN mail, secret questions, SMTP settings.
		perm(get, "/me/smev-form", authz.SelfService, issue.MySMEVForm),
		perm(post, "/me/issuances/:id/pin-mail", authz.SelfService, issue.MailPINMine),
		perm(get, "/me/secret-questions", authz.SelfService, secrets.GetMine),
		perm(put, "/me/secret-questions", authz.SelfService, secrets.SetMine),
		perm(get, "/settings/smtp", authz.SettingsWrite, mail.GetSettings),
		perm(put, "/settings/smtp", authz.SettingsWrite, mail.PutSettings),
		perm(post, "/settings/smtp/test", authz.SettingsWrite, mail.SendTest),
		// Integrated systems and their certificates.
		perm(get, "/systems", authz.CertificatesRead, systems.List).listing(&system.Spec),
		perm(post, "/systems", authz.CertificatesWrite, systems.Create),
		perm(post, "/systems/bulk-delete", authz.CertificatesWrite, systems.BulkDelete),
		perm(get, "/systems/:id", authz.CertificatesRead, systems.Get),
		perm(patch, "/systems/:id", authz.CertificatesWrite, systems.Update),
		perm(del, "/systems/:id", authz.CertificatesWrite, systems.Delete),
		perm(get, "/systems/:id/certificates", authz.CertificatesRead, systems.ListCertificates).listing(&system.CertificateSpec),
		perm(post, "/systems/:id/certificates", authz.CertificatesWrite, systems.AddCertificate),
		perm(get, "/systems/:id/certificates/:cid", authz.CertificatesRead, systems.GetCertificate),
		perm(patch, "/systems/:id/certificates/:cid", authz.CertificatesWrite, systems.UpdateCertificate),
		perm(post, "/systems/:id/certificates/:cid/revoke", authz.CertificatesWrite, systems.RevokeCertificate),
		perm(get, "/systems/:id/stats", authz.StatsRead, counts.System),
		// The client cabinet: the systems of the caller's groups.
		perm(get, "/cabinet/systems", authz.Cabinet, cab.List),
		perm(get, "/cabinet/systems/:id", authz.Cabinet, cab.Get),
		perm(patch, "/cabinet/systems/:id", authz.Cabinet, cab.Update),
		perm(get, "/cabinet/systems/:id/stats", authz.Cabinet, cab.Stats),
		perm(get, "/cabinet/systems/:id/certificates", authz.Cabinet, cab.Certificates).listing(&system.CertificateSpec),
		perm(post, "/cabinet/systems/:id/certificates", authz.Cabinet, cab.AddCertificate),
		// A system's webhooks and their delivery logs.
		perm(get, "/systems/:id/webhooks", authz.CertificatesRead, hooks.List).listing(&webhook.Spec),
		perm(post, "/systems/:id/webhooks", authz.CertificatesWrite, hooks.Create),
		perm(get, "/systems/:id/webhooks/:wid", authz.CertificatesRead, hooks.Get),
		perm(patch, "/systems/:id/webhooks/:wid", authz.CertificatesWrite, hooks.Update),
		perm(del, "/systems/:id/webhooks/:wid", authz.CertificatesWrite, hooks.Delete),
		perm(post, "/systems/:id/webhooks/:wid/rotate-secret", authz.CertificatesWrite, hooks.RotateSecret),
		perm(post, "/systems/:id/webhooks/:wid/test", authz.CertificatesWrite, hooks.SendTest),
		perm(get, "/systems/:id/webhooks/:wid/deliveries", authz.CertificatesRead, hooks.ListDeliveries).listing(&webhook.DeliverySpec),
		perm(post, "/systems/:id/webhooks/:wid/deliveries/:did/redeliver", authz.CertificatesWrite, hooks.Redeliver),

		// Audit.
		perm(get, "/audit", authz.AuditRead, auditLog.List).listing(&audit.Spec),
		perm(get, "/audit/verify", authz.AuditRead, auditLog.Verify),

		// Unknown API paths answer a 404 problem; everything else is the SPA.
		pub(echo.RouteNotFound, "/api/*", apiNotFound),
		pub(get, "/*", webui.Handler()),
		pub(http.MethodHead, "/*", webui.Handler()),
	}
}

// PermissionInfo describes one permission of the catalogue.
type PermissionInfo struct {
	Code     string `json:"code"`
	Resource string `json:"resource"`
	Action   string `json:"action"`
} //	@name	PermissionInfo

// listPermissions godoc
//
//	@Summary				The permission catalogue
//	@Description			Every permission string a group (or token scope) can hold. Required permission: a signed-in caller.
//	@Tags					auth
//	@Produce				json
//	@Success				200	{array}		PermissionInfo
//	@Failure				401	{object}	httpx.Problem
//	@Router					/permissions [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"authenticated"
func listPermissions(c echo.Context) error {
	out := make([]PermissionInfo, 0, len(authz.All))
	for _, p := range authz.All {
		obj, act := authz.Split(p)
		out = append(out, PermissionInfo{Code: p, Resource: obj, Action: act})
	}
	return c.JSON(http.StatusOK, out)
}

func apiNotFound(c echo.Context) error { return echo.ErrNotFound }
