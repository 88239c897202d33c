package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/apperr"
)

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// Bind decodes the JSON body strictly into dst: one JSON value, no unknown fields,
// valid UTF-8, at most MaxBody bytes. Errors name the offending field.
func Bind(c echo.Context, dst any) error {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return apperr.New(apperr.KindInvalid, "request.unsupportedMediaType", "Send the body as application/json.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return apperr.Wrap(apperr.KindInvalid, "request.unreadable", "The request body could not be read.", err)
	}
	return Decode(body, dst)
}

// Decode is Bind on bytes; exported for tests and non-HTTP callers.
func Decode(body []byte, dst any) error {
	if len(body) > MaxBody {
		return apperr.New(apperr.KindTooLarge, "request.tooLarge", "The request body is larger than 1 MiB.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.KindInvalid, "request.emptyBody", "The request needs a JSON body.")
	}
	if !utf8.Valid(body) {
		return apperr.New(apperr.KindInvalid, "request.invalidUtf8", "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return apperr.New(apperr.KindInvalid, "request.malformedJson", "The body holds more than one JSON value.")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.New(apperr.KindInvalid, "request.malformedJson", "The body is not valid JSON: "+syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "validation.failed",
			Message: field + ": expected " + typ.Type.String(),
			Fields:  []apperr.FieldError{apperr.Field(field, "wrongType", "expected "+jsonType(typ.Type.String()))}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &apperr.Error{Kind: apperr.KindInvalid, Code: "request.unknownField", Message: "Unknown field " + f + ".",
			Fields: []apperr.FieldError{apperr.Field(f, "unknown", "this field does not exist")}}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.KindInvalid, "request.malformedJson", "The body is truncated JSON.")
	default:
		return apperr.Wrap(apperr.KindInvalid, "request.malformedJson", "The body is not valid JSON.", err)
	}
}

func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	default:
		return "an object"
	}
}

// NoContent answers 204.
func NoContent(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
