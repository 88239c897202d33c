package httpx

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/bulk"
	"custos/internal/platform/list"
)

// The generic handlers below are a handler's body: bind and validate the request, call
// the service with the request's context, answer with the conventional status. A
// handler is then its swag annotations and one line; errors go to the error handler.

// List parses the list query against spec and answers the page fn returns.
func List[T any](c echo.Context, spec list.Spec, fn func(context.Context, list.Params) (list.Page[T], error)) error {
	p, err := list.Parse(c.QueryString(), spec)
	if err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), p)
	return Respond(c, http.StatusOK, v, err)
}

// Get answers the resource fn returns for the path's id.
func Get[T any](c echo.Context, fn func(ctx context.Context, id string) (T, error)) error {
	v, err := fn(c.Request().Context(), c.Param("id"))
	return Respond(c, http.StatusOK, v, err)
}

// Create binds the body, creates, and answers 201 with what fn returns.
func Create[In, Out any](c echo.Context, fn func(context.Context, In) (Out, error)) error {
	var in In
	if err := Bind(c, &in); err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), in)
	return Respond(c, http.StatusCreated, v, err)
}

// Update binds the body, applies it to the path's id and answers 200 with the result.
func Update[In, Out any](c echo.Context, fn func(ctx context.Context, id string, in In) (Out, error)) error {
	var in In
	if err := Bind(c, &in); err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), c.Param("id"), in)
	return Respond(c, http.StatusOK, v, err)
}

// Delete deletes the path's id and answers 204.
func Delete(c echo.Context, fn func(ctx context.Context, id string) error) error {
	if err := fn(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return NoContent(c)
}

// Bulk binds a bulk.Request and answers the per-id results.
func Bulk(c echo.Context, fn func(ctx context.Context, ids []string) (bulk.Response, error)) error {
	var in bulk.Request
	if err := Bind(c, &in); err != nil {
		return err
	}
	v, err := fn(c.Request().Context(), in.IDs)
	return Respond(c, http.StatusOK, v, err)
}

// Respond writes v with status unless err is set (for handlers the helpers above do not fit).
func Respond(c echo.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, v)
}
