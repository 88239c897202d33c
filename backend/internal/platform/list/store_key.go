package list

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"time"

	"gorm.io/gorm/schema"
)

// schemas caches gorm's parse of each row type, so a column's field is resolved once
// per type (gorm's own cache is private to a *gorm.DB).
var schemas sync.Map

// rowKey reads a cursor's key — the sort column's value and the id — from the row
// itself: the spec's Column and IDColumn resolved to T's fields by gorm's schema
// parser, which honours `gorm:"column:..."` tags. A column that is not a field of T,
// or whose Go type cannot carry the sort's Type in a cursor, is an error, so a spec
// and its row type cannot silently disagree.
func rowKey[T any](namer schema.Namer, sf SortField, idCol string) (func(*T) (any, string), error) {
	if namer == nil {
		namer = schema.NamingStrategy{}
	}
	var zero T
	s, err := schema.Parse(&zero, &schemas, namer)
	if err != nil {
		return nil, fmt.Errorf("list: parse %T: %w", zero, err)
	}
	val, err := lookUp(s, sf.Column)
	if err != nil {
		return nil, err
	}
	if err := checkSortType(val, sf); err != nil {
		return nil, err
	}
	id, err := lookUp(s, idCol)
	if err != nil {
		return nil, err
	}
	idString := id.FieldType.Kind() == reflect.String
	if !idString && !id.FieldType.Implements(reflect.TypeFor[fmt.Stringer]()) {
		return nil, fmt.Errorf("list: id column %q of %s is a %s, not a string", idCol, s.Name, id.FieldType)
	}
	ctx := context.Background()
	return func(r *T) (any, string) {
		rv := reflect.ValueOf(r)
		iv := id.ReflectValueOf(ctx, rv)
		if idString {
			return val.ReflectValueOf(ctx, rv).Interface(), iv.String()
		}
		return val.ReflectValueOf(ctx, rv).Interface(), iv.Interface().(fmt.Stringer).String()
	}, nil
}

func lookUp(s *schema.Schema, column string) (*schema.Field, error) {
	f := s.FieldsByDBName[column]
	if f == nil {
		return nil, fmt.Errorf("list: column %q is not a field of %s", column, s.Name)
	}
	return f, nil
}

// checkSortType refuses a seekable sort whose field would not survive the cursor's
// JSON round trip as the sort's Type (decodeCursor). Nullable sorts make no cursor.
func checkSortType(f *schema.Field, sf SortField) error {
	if sf.Nullable {
		return nil
	}
	t := f.FieldType
	var ok bool
	switch sf.Type {
	case Time:
		ok = t == reflect.TypeFor[time.Time]()
	case Bool:
		ok = t.Kind() == reflect.Bool
	case Int:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			ok = true
		}
	default:
		ok = t.Kind() == reflect.String
	}
	if !ok {
		return fmt.Errorf("list: sort column %q of %s is a %s, which cannot seek as its sort type", sf.Column, f.Schema.Name, t)
	}
	return nil
}
