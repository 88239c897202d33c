package identity

import (
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"custos/internal/platform/apperr"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// The directory keeps one store per noun (store_users.go, store_groups.go,
// store_usertypes.go, store_attributes.go, store_licence.go): the only code of the
// package that touches GORM. A store reads and writes in the transaction its context
// carries (db.Read and db.Write join it), so services pass ctx and never a session; it
// turns GORM's errors into apperr kinds (a missing row is a 404, a taken unique key the
// field error the API answers, a version that moved a conflict).

// Groups, user types and access-schema attributes are coded entries: a unique code,
// a name, a version. createCoded and updateCoded are their shared writes.

// errCodeTaken is the answer to a code another entry already has.
func errCodeTaken() error {
	return apperr.Invalid(apperr.Field("code", "taken", "this code is already used"))
}

// createCoded inserts row (omitting the columns in omit); a taken code is a field error.
func createCoded(tx *gorm.DB, row any, omit ...string) error {
	q := tx
	if len(omit) > 0 {
		q = tx.Omit(omit...)
	}
	if err := q.Create(row).Error; err != nil {
		if db.IsUniqueViolation(err) {
			return errCodeTaken()
		}
		return err
	}
	return nil
}

// updateCoded writes code, name and fields to the entry id of model while it is still
// at version, bumping the version and refreshing its search text. A taken code is a
// field error; a version that moved meanwhile is a conflict showing before.
func updateCoded(tx *gorm.DB, model any, id string, version int, code, name string, fields map[string]any, before any) error {
	set := map[string]any{"code": code, "name": name, "search_text": list.SearchText(code, name),
		"version": version + 1, "updated_at": time.Now().UTC().Truncate(time.Microsecond)}
	for k, v := range fields {
		set[k] = v
	}
	res := tx.Model(model).Where("id = ? AND version = ?", id, version).Updates(set)
	if res.Error != nil {
		if db.IsUniqueViolation(res.Error) {
			return errCodeTaken()
		}
		return res.Error
	}
	if res.RowsAffected == 0 {
		return apperr.Conflict(before)
	}
	return nil
}

// isForeignKeyViolation reports a write refused by a foreign key on either database
// (a row it names was deleted meanwhile, or one that names it was added).
func isForeignKeyViolation(err error) bool {
	return errors.Is(err, gorm.ErrForeignKeyViolated) || (err != nil && (strings.Contains(err.Error(), "FOREIGN KEY constraint failed") ||
		strings.Contains(err.Error(), "violates foreign key constraint")))
}

// takeOr reads one row into dst with q, a missing row being notFound.
func takeOr(q *gorm.DB, dst any, notFound error) error {
	if err := q.Take(dst).Error; err != nil {
		if db.IsNotFound(err) {
			return notFound
		}
		return err
	}
	return nil
}
