// Package bulk is every bulk endpoint's request, per-id results and limits: each id is
// acted on in its own transaction, so one refusal does not undo the others.
package bulk

import (
	"context"
	"fmt"

	"custos/internal/platform/apperr"
)

// Max is the most ids one bulk request may name.
const Max = 1000

// Request is the body of a bulk action.
type Request struct {
	IDs []string `json:"ids"`
} //	@name	IDs

// Result is the outcome of a bulk action for one id.
type Result struct {
	ID      string `json:"id"`
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
} //	@name	BulkResult

// Response wraps the per-id results, in the order of the request.
type Response struct {
	Results []Result `json:"results"`
} //	@name	BulkResponse

// Check refuses an empty or oversized id list, naming the ids field.
func Check(ids []string) error {
	if len(ids) == 0 {
		return apperr.Invalid(apperr.Field("ids", "required", "name at least one id"))
	}
	if len(ids) > Max {
		return apperr.Invalid(apperr.Field("ids", "tooLong", fmt.Sprintf("at most %d ids at once", Max)))
	}
	return nil
}

// Tx runs one id's work in a transaction (a feature's own transaction helper).
type Tx func(ctx context.Context, fn func(ctx context.Context) error) error

// Run checks ids, then runs op for each in its own transaction and reports each outcome.
// A refusal (an *apperr.Error) is that id's result; any other error stops the run.
func Run(ctx context.Context, ids []string, tx Tx, op func(ctx context.Context, id string) error) (Response, error) {
	if err := Check(ids); err != nil {
		return Response{}, err
	}
	out := Response{Results: make([]Result, 0, len(ids))}
	for _, id := range ids {
		err := tx(ctx, func(ctx context.Context) error { return op(ctx, id) })
		r := Result{ID: id, OK: err == nil}
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Code == "db.unavailable" {
				// Not a refusal of this id: the request fails (503 when the database is
				// gone); the ids done so far stay done, each in its own transaction.
				return Response{}, err
			}
			r.Code, r.Message = e.Code, e.Message
		}
		out.Results = append(out.Results, r)
	}
	return out, nil
}
