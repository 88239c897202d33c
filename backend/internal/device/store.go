package device

import (
	"context"
	"encoding/json"
	"strings"

	"custos/internal/platform/db"
	"custos/internal/platform/list"
)

// store is the only code of this package that touches *gorm.DB; store_*.go hold each
// noun's rows and queries, this file what they share.
type store struct{ db *db.DB }

func encodeJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func decodeJSON[T any](s string) T {
	var v T
	_ = json.Unmarshal([]byte(s), &v)
	return v
}

// listRows runs a list query over the table of T.
func listRows[T any](st store, ctx context.Context, p list.Params, spec list.Spec) (list.Page[T], error) {
	var zero T
	return list.Run[T](st.db.Read(ctx).Model(&zero), p, spec, nil)
}

func getRow[T any](st store, ctx context.Context, id, what string, lock bool) (T, error) {
	return db.Get[T](ctx, st.db, id, what, lock)
}

// nameTaken says whether another row of T than id is named name (case-insensitive).
func nameTaken[T any](st store, ctx context.Context, name, id string) (bool, error) {
	var zero T
	var n int64
	err := st.db.Write(ctx).Model(&zero).Where("name_key = ? AND id <> ?", strings.ToLower(name), id).Count(&n).Error
	return n > 0, err
}

// insertRow inserts r; a unique violation is taken.
func insertRow[T any](st store, ctx context.Context, r *T, taken error) error {
	err := st.db.Write(ctx).Create(r).Error
	if db.IsUniqueViolation(err) {
		return taken
	}
	return err
}

// updateRow applies fields to row id of T if it is still at version; false when not.
func updateRow[T any](st store, ctx context.Context, id string, version int, fields map[string]any, taken error) (bool, error) {
	var zero T
	res := st.db.Write(ctx).Model(&zero).Where("id = ? AND version = ?", id, version).Updates(fields)
	if db.IsUniqueViolation(res.Error) {
		return false, taken
	}
	return res.RowsAffected == 1, res.Error
}

func deleteRow[T any](st store, ctx context.Context, id string) error {
	var zero T
	return st.db.Write(ctx).Where("id = ?", id).Delete(&zero).Error
}
