package ca

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// Handler serves /api/v1/ca and the public /pki endpoints.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// requestBase is the scheme and host the caller reached us at (the URLs' base when no
// public URL is configured).
func requestBase(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

// Get godoc
//
//	@Summary				The certificate authority
//	@Description			The active CA: subject, serial, SHA-256 fingerprint, key algorithm, validity, whether it was imported, and the public URLs of its certificate, CRL and OCSP responder (built from CUSTOS_PUBLIC_URL, else from the address of this request). Required permission: certificates.read.
//	@Tags					ca
//	@Produce				json
//	@Success				200	{object}	CAInfo
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/ca [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"certificates.read"
func (h *Handler) Get(c echo.Context) error {
	v, err := h.svc.Info(c.Request().Context(), requestBase(c))
	return httpx.Respond(c, http.StatusOK, v, err)
}

// Import godoc
//
//	@Summary				Import a certificate authority
//	@Description			Replaces the active CA with a certificate and its private key made elsewhere. The certificate must be one PEM CERTIFICATE of a CA (basic constraints CA:TRUE, key usage keyCertSign), valid now; the key (PEM PKCS#8, EC or RSA, unencrypted) must match it. The key is sealed with the application key and never returned or logged. Certificates issued from now on are signed by the imported CA; the OCSP responder still answers for those the previous CA issued. Required permission: settings.write.
//	@Tags					ca
//	@Accept					json
//	@Produce				json
//	@Param					body	body		ImportInput	true	"certificate and private key"
//	@Success				200		{object}	CAInfo
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				409		{object}	httpx.Problem
//	@Router					/ca/import [post]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"settings.write"
func (h *Handler) Import(c echo.Context) error {
	var in ImportInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Import(c.Request().Context(), requestBase(c), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}
