package system

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// certs is the service bound to the certificates of the path's system.
type certs struct {
	svc *Service
	id  string
}

func (h *Handler) of(c echo.Context) certs { return certs{svc: h.svc, id: c.Param("id")} }

func (s certs) List(ctx context.Context, p list.Params) (list.Page[Certificate], error) {
	return s.svc.ListCertificates(ctx, s.id, p)
}

func (s certs) Add(ctx context.Context, in CertificateInput) (CreatedCertificate, error) {
	return s.svc.AddCertificate(ctx, s.id, in)
}

// ListCertificates godoc
//
//	@Summary				List a system's certificates
//	@Description			List conventions; `status` filters by the computed status (revoked > expired > disabled > active). Required permission: certificates.read.
//	@Tags					systems
//	@Produce				json
//	@Param					id			path		string	true	"system id"
//	@Param					status		query		string	false	"filter by status"	Enums(active, disabled, revoked, expired)
//	@Param					sort		query		string	false	"sort field"		Enums(not_after, created_at)
//	@Param					order		query		string	false	"sort order"		Enums(asc, desc)
//	@Param					page		query		int		false	"page (1-based)"
//	@Param					page_size	query		int		false	"page size (max 200)"
//	@Param					cursor		query		string	false	"cursor from the previous page for seek paging"
//	@Success				200			{object}	list.Page[system.Certificate]
//	@Failure				400			{object}	httpx.Problem
//	@Failure				401			{object}	httpx.Problem
//	@Failure				403			{object}	httpx.Problem
//	@Failure				404			{object}	httpx.Problem
//	@Router					/systems/{id}/certificates [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) ListCertificates(c echo.Context) error {
	return httpx.List(c, CertificateSpec, h.of(c).List)
}

// AddCertificate godoc
//
//	@Summary				Add a certificate to a system
//	@Description			Three methods. `csr`: a PKCS#10 request (PEM; ECDSA P-256/P-384 or RSA 2048–4096) the CA signs for `validity_days` (default 365, at most the CA's remaining life); the subject is written by the CA (CN = the system's name). `p12`: the server makes the key and answers, this once, `p12` (base64 PKCS#12, `password` may be empty, ≤ 128 bytes) and `ca_certificate`; the key is not kept. `manual`: one PEM certificate issued elsewhere, trusted by its SHA-256 fingerprint (not a CA, not expired, never a private key; a duplicate fingerprint is 409 certificate.duplicateFingerprint). Bad input is a 400 naming the field and nothing is issued or kept. Audited (resource_type "system_certificate"). Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string				true	"system id"
//	@Param					body	body		CertificateInput	true	"the method and its fields"
//	@Success				201		{object}	CreatedCertificate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/systems/{id}/certificates [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) AddCertificate(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return httpx.Create(c, h.of(c).Add)
}

// GetCertificate godoc
//
//	@Summary				Get a system's certificate
//	@Description			Required permission: certificates.read.
//	@Tags					systems
//	@Produce				json
//	@Param					id	path		string	true	"system id"
//	@Param					cid	path		string	true	"certificate id"
//	@Success				200	{object}	Certificate
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/systems/{id}/certificates/{cid} [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) GetCertificate(c echo.Context) error {
	v, err := h.svc.GetCertificate(c.Request().Context(), c.Param("id"), c.Param("cid"))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// UpdateCertificate godoc
//
//	@Summary				Switch a system's certificate on or off
//	@Description			`version` must be the version you edited. Off is refused at once on every replica; a revoked certificate cannot be switched on (422 certificate.revoked). Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string				true	"system id"
//	@Param					cid		path		string				true	"certificate id"
//	@Param					body	body		CertificatePatch	true	"changes"
//	@Success				200		{object}	Certificate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Failure				422		{object}	httpx.Problem
//	@Router					/systems/{id}/certificates/{cid} [patch]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) UpdateCertificate(c echo.Context) error {
	var in CertificatePatch
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.UpdateCertificate(c.Request().Context(), c.Param("id"), c.Param("cid"), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}

// RevokeCertificate godoc
//
//	@Summary				Revoke a system's certificate
//	@Description			`reason` is an RFC 5280 name. Refused at once on every replica; a CA-issued certificate is revoked in the CA too (CRL, OCSP), a manual one in our trust store only. Revoking twice changes nothing. Required permission: certificates.write.
//	@Tags					systems
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"system id"
//	@Param					cid		path		string		true	"certificate id"
//	@Param					body	body		RevokeInput	true	"the reason"
//	@Success				200		{object}	Certificate
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Router					/systems/{id}/certificates/{cid}/revoke [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.write"
func (h *Handler) RevokeCertificate(c echo.Context) error {
	var in RevokeInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.RevokeCertificate(c.Request().Context(), c.Param("id"), c.Param("cid"), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}
