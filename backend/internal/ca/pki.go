package ca

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
)

// The public PKI endpoints answer anyone: relying parties (browsers, openssl, curl,
// the mTLS peers) fetch the CA certificate, the CRL and OCSP answers without signing in.

// maxOCSPRequest bounds an OCSP request (one is about a hundred bytes).
const maxOCSPRequest = 8 << 10

var errOCSPRequest = apperr.New(apperr.KindInvalid, "ca.badOcspRequest",
	"Send a DER OCSP request (application/ocsp-request) of at most 8 KiB.")

// CACert serves the active CA certificate as PEM (GET /pki/ca.crt).
func (h *Handler) CACert(c echo.Context) error {
	p, err := h.svc.CertificatePEM(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="ca.crt"`)
	return c.Blob(http.StatusOK, "application/x-pem-file", []byte(p))
}

// CRL serves the current CRL of the active CA as DER (GET /pki/crl).
func (h *Handler) CRL(c echo.Context) error {
	der, err := h.svc.CRL(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/pkix-crl", der)
}

// OCSPGet answers GET /pki/ocsp/{base64 of the DER request} (RFC 6960 appendix A.1).
func (h *Handler) OCSPGet(c echo.Context) error {
	raw := strings.TrimPrefix(c.Request().URL.EscapedPath(), PathOCSP+"/")
	s, err := url.PathUnescape(raw)
	if err != nil || len(s) > maxOCSPRequest*2 {
		return errOCSPRequest
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if der, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
			return errOCSPRequest
		}
	}
	return h.ocsp(c, der)
}

// OCSPPost answers POST /pki/ocsp with a DER request body (RFC 6960 appendix A.1).
func (h *Handler) OCSPPost(c echo.Context) error {
	der, err := io.ReadAll(io.LimitReader(c.Request().Body, maxOCSPRequest+1))
	if err != nil || len(der) > maxOCSPRequest {
		return errOCSPRequest
	}
	return h.ocsp(c, der)
}

func (h *Handler) ocsp(c echo.Context, der []byte) error {
	out, err := h.svc.OCSP(c.Request().Context(), der)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/ocsp-response", out)
}
