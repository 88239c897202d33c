package provider

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
)

// Test godoc
//
//	@Summary				Test a provider's connection
//	@Description			Runs the steps of the provider's type and stops at the first failure: OpenID discovery → issuer → JWKS; LDAP dns → tcp → tls/starttls → bind → search (one entry under the base DN with the filter); REST dns → reachability. Each step has a short timeout. A failed test is still 200 with ok=false. Required permission: providers.write.
//	@Tags					providers
//	@Produce				json
//	@Param					id	path		string	true	"provider id"
//	@Success				200	{object}	ProviderTestResult
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/providers/{id}/test [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) Test(c echo.Context) error { return httpx.Get(c, h.svc.Test) }

// DryRun godoc
//
//	@Summary				Try the schema mapping on a sample
//	@Description			Shows the user the provider would make from sample claims, a sample ID token (read without verification) or, for LDAP, the directory entry of a login: login, email, groups (roles of resource_access.<client_id>.roles that match group codes, except tech_admins, plus base groups), mapped attributes and extra attributes. Nothing is saved. Codes: validation.failed, provider.connectionFailed, provider.entryNotFound. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string				true	"provider id"
//	@Param					body	body		ProviderDryRunInput	true	"the sample"
//	@Success				200		{object}	ProviderDryRunResult
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/providers/{id}/dry-run [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) DryRun(c echo.Context) error { return httpx.Update(c, h.svc.DryRun) }

// Export godoc
//
//	@Summary				Export providers
//	@Description			The providers with the given ids (all when none are given) with their mappings, as a JSON array that POST /providers/import accepts. Secrets are removed; groups and the user type are named by code. Required permission: providers.read.
//	@Tags					providers
//	@Produce				json
//	@Param					ids	query		string	false	"comma-separated provider ids (the parameter may also repeat)"
//	@Success				200	{array}		ProviderExport
//	@Failure				400	{object}	httpx.Problem
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/providers/export [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.read"
func (h *Handler) Export(c echo.Context) error {
	ids, err := exportIDs(c.QueryString())
	if err != nil {
		return err
	}
	out, err := h.svc.Export(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="custos-providers.json"`)
	return c.JSON(http.StatusOK, out)
}

// Import godoc
//
//	@Summary				Import providers
//	@Description			Takes an export (a JSON array). Each item is matched by name and type (the local provider by type): no match creates, a match updates, a name used by another type or any broken rule is a conflict that leaves the other items alone. With dry_run=true nothing is written and the answer previews the actions. Secrets absent from the file keep their stored values. The whole file is refused, nothing written, with a 400 naming the field (providers[2].name) when a text holds invalid UTF-8, control characters or over 64 KiB, and with a 403 (authz.grantNotHeld, authz.techAdminOnly; audited) when a base group holds a permission the caller lacks or is tech_admins. Required permission: providers.write.
//	@Tags					providers
//	@Accept					json
//	@Produce				json
//	@Param					dry_run	query		bool				false	"preview only"
//	@Param					body	body		[]ProviderImportItem	true	"the exported providers"
//	@Success				200		{object}	ProviderImportResponse
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/providers/import [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"providers.write"
func (h *Handler) Import(c echo.Context) error {
	dry, err := dryRunParam(c.QueryParams())
	if err != nil {
		return err
	}
	var items []ImportItem
	if err := httpx.Bind(c, &items); err != nil {
		return err
	}
	r, err := h.svc.Import(c.Request().Context(), items, dry)
	return httpx.Respond(c, http.StatusOK, r, err)
}

// exportIDs reads the export's ids: comma-separated, the parameter possibly repeated,
// and no other parameter.
func exportIDs(query string) ([]string, error) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, apperr.Invalid(apperr.Field("ids", "invalidFormat", "malformed query string"))
	}
	var ids []string
	for k, vs := range q {
		if k != "ids" {
			return nil, apperr.Invalid(apperr.Field(k, "unknown", "unknown query parameter"))
		}
		for _, v := range vs {
			for _, id := range strings.Split(v, ",") {
				if id = strings.TrimSpace(id); id != "" {
					ids = append(ids, id)
				}
			}
		}
	}
	if len(ids) > MaxImport {
		return nil, apperr.Invalid(apperr.Field("ids", "tooLong", "at most 500 ids at once"))
	}
	return ids, nil
}

// dryRunParam reads the import's only query parameter, dry_run=true|false.
func dryRunParam(q url.Values) (bool, error) {
	dry := false
	for k, vs := range q {
		switch {
		case k != "dry_run":
			return false, apperr.Invalid(apperr.Field(k, "unknown", "unknown query parameter"))
		case len(vs) != 1 || (vs[0] != "true" && vs[0] != "false"):
			return false, apperr.Invalid(apperr.Field("dry_run", "invalidValue", "must be true or false"))
		}
		dry = vs[0] == "true"
	}
	return dry, nil
}
