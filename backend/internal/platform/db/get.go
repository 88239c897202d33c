package db

import (
	"context"

	"github.com/google/uuid"

	"custos/internal/platform/apperr"
)

// Get loads the row of T with primary key id: in ctx's transaction, else from the
// readers; lock takes a row lock (FOR UPDATE on PostgreSQL) in the transaction. An id
// that is not a UUID, or names no row, is a 404 naming what (never a database error).
func Get[T any](ctx context.Context, d *DB, id, what string, lock bool) (T, error) {
	var r T
	if _, err := uuid.Parse(id); err != nil {
		return r, apperr.NotFound(what)
	}
	q := d.Read(ctx)
	if lock {
		q = d.LockForUpdate(d.Write(ctx))
	}
	if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
		if IsNotFound(err) {
			return r, apperr.NotFound(what)
		}
		return r, err
	}
	return r, nil
}
