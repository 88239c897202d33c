// Package httpx holds the HTTP plumbing every feature shares: problem+json errors,
// strict JSON binding and the request context helpers.
package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
)

// Problem is the RFC 9457 body of every error response.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	Current   any                 `json:"current,omitempty"`
	// Methods lists the second factors a step-up accepts (401 auth.stepUpRequired):
	// totp, recovery_code, webauthn.
	Methods []string `json:"methods,omitempty"`
} //	@name	Problem

// ErrorHandler returns the echo error handler writing problem+json.
func ErrorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := ToProblem(err)
		if p.Status >= 500 {
			log.Error("request failed", "request_id", RequestID(c), "method", c.Request().Method,
				"path", c.Request().URL.Path, "err", err)
		}
		p.RequestID = RequestID(c)
		if e, ok := apperr.As(err); ok && e.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		if c.Request().Method == http.MethodHead {
			return
		}
		_ = c.JSON(p.Status, p) // status already written; JSON only writes the body
	}
}

// ToProblem maps any error to a problem; unknown errors become a generic 500.
func ToProblem(err error) Problem {
	if e, ok := apperr.As(err); ok {
		st := e.Kind.Status()
		return Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: e.Message,
			Code: e.Code, Errors: e.Fields, Current: e.Current, Methods: e.Methods}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		st := he.Code
		code := "http." + strconv.Itoa(st)
		detail := http.StatusText(st)
		switch st {
		case http.StatusNotFound:
			code, detail = "route.notFound", "No such API endpoint."
		case http.StatusMethodNotAllowed:
			code, detail = "route.methodNotAllowed", "This method is not allowed here."
		case http.StatusRequestEntityTooLarge:
			code, detail = "request.tooLarge", "The request body is larger than 1 MiB."
		case http.StatusUnsupportedMediaType:
			code, detail = "request.unsupportedMediaType", "Send application/json."
		}
		if st >= 500 {
			code, detail = "internal", "Something went wrong on our side; the request id identifies it in the log."
		}
		return Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Detail: detail, Code: code}
	}
	return Problem{Type: "about:blank", Title: http.StatusText(500), Status: 500,
		Detail: "Something went wrong on our side; the request id identifies it in the log.", Code: "internal"}
}
