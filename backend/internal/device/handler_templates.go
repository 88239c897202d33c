package device

import (
	"net/http"

	"github.com/labstack/echo/v4"

	_ "custos/internal/platform/bulk" // swag resolves the annotations' bulk types through it
	"custos/internal/platform/httpx"
	_ "custos/internal/platform/list" // swag resolves the annotations' list.Page through it
)

// List godoc
//
//	@Summary				List certificate templates
//	@Description			List conventions: q searches name, description. Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					q			query		string	false	"search text (name, description)"
//	@Param					qualified	query		bool	false	"qualified or not"
//	@Param					key_algorithm	query		string	false	"key algorithm"	Enums(ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096)
//	@Param					sort		query		string	false	"sort field"	Enums(name, key_algorithm, validity_days, created_at)
//	@Param					order		query		string	false	"sort order"	Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[device.CertificateTemplate]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Router					/certificate-templates [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *TemplateHandler) List(c echo.Context) error {
	return httpx.List(c, TemplateSpec, h.svc.ListTemplates)
}

// Get godoc
//
//	@Summary				Get a certificate template
//	@Description			Required permission: devices.read.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"certificate template id"
//	@Success				200	{object}	CertificateTemplate
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/certificate-templates/{id} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *TemplateHandler) Get(c echo.Context) error { return httpx.Get(c, h.svc.GetTemplate) }

// Create godoc
//
//	@Summary				Create a certificate template
//	@Description			`name` is required (≤ 200, unique case-insensitively: 409 certificateTemplate.nameTaken); `key_algorithm` ecdsa-p256 | ecdsa-p384 | rsa-2048 | rsa-3072 | rsa-4096; `validity_days` 1..3650 and not beyond the CA's own end; `subject` 1..20 RDNs {attr CN|O|OU|E|C|L|ST|SERIALNUMBER|UID, value} whose values may hold placeholders in double curly braces: login, display_name, email, attr.<code> (swag cannot show the braces here); `key_usages` (at least one) and `extended_key_usages` from closed lists, consistent with the key algorithm; `qualified`. Each error names its field (subject.0.value unknownPlaceholder, key_usages.1 incompatible, …). Audited (resource_type "certificate_template"). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		CertificateTemplateInput	true	"the certificate template"
//	@Success				201		{object}	CertificateTemplate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/certificate-templates [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TemplateHandler) Create(c echo.Context) error { return httpx.Create(c, h.svc.CreateTemplate) }

// Update godoc
//
//	@Summary				Change a certificate template
//	@Description			`version` must be the version you edited (409 resource.versionConflict with the current state otherwise). Absent (or null) fields stay.  Audited. Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"certificate template id"
//	@Param					body	body		CertificateTemplatePatch	true	"changes"
//	@Success				200		{object}	CertificateTemplate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/certificate-templates/{id} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TemplateHandler) Update(c echo.Context) error { return httpx.Update(c, h.svc.UpdateTemplate) }

// Delete godoc
//
//	@Summary				Delete a certificate template
//	@Description			A template allowed by a usage policy is not deleted: 409 certificateTemplate.inUse naming the policies. Audited. Required permission: devices.write.
//	@Tags					devices
//	@Param					id	path	string	true	"certificate template id"
//	@Success				204
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Failure				409	{object}	httpx.Problem
//	@Router					/certificate-templates/{id} [delete]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TemplateHandler) Delete(c echo.Context) error { return httpx.Delete(c, h.svc.DeleteTemplate) }

// BulkDelete godoc
//
//	@Summary				Delete several certificate templates
//	@Description			Deletes each id in its own transaction and reports each outcome (A template allowed by a usage policy is not deleted: 409 certificateTemplate.inUse naming the policies.). Required permission: devices.write.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		bulk.Request	true	"ids"
//	@Success				200		{object}	bulk.Response
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/certificate-templates/bulk-delete [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.write"
func (h *TemplateHandler) BulkDelete(c echo.Context) error {
	return httpx.Bulk(c, h.svc.BulkDeleteTemplates)
}

// Preview godoc
//
//	@Summary				Preview a template's subject for a user
//	@Description			Fills `subject` (a saved template's or the form's, unsaved) with the directory's data of `user_id`: the placeholders login, display_name, email, and attr.<code> (in double curly braces) from the user's extra attributes, then the attributes their provider mapped. Answers the distinguished name (RFC 4514, in the template's order), the placeholders the user has no value for, and the attributes left out because they came out empty. The form's other fields may be sent along and are ignored. Nothing is written. Required permission: devices.read.
//	@Tags					devices
//	@Accept					json
//	@Produce				json
//	@Param					body	body		PreviewInput	true	"subject and user"
//	@Success				200		{object}	Preview
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/certificate-templates/preview [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.read"
func (h *TemplateHandler) Preview(c echo.Context) error {
	var in PreviewInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.PreviewSubject(c.Request().Context(), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}
