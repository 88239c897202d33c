package list

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type keyLevel int

// keyRow has a column renamed by its tag, a time, a bool, a named int, a nullable
// time and an id renamed by its tag.
type keyRow struct {
	Key        string `gorm:"column:uid;primaryKey"`
	Nick       string `gorm:"column:display_name"`
	CreatedAt  time.Time
	Active     bool
	Level      keyLevel
	LastSeenAt *time.Time
	Ignored    string `gorm:"-"`
}

var keySpec = Spec{
	Sorts: map[string]SortField{
		"display_name": {Column: "display_name"}, "created_at": {Column: "created_at", Type: Time},
		"active": {Column: "active", Type: Bool}, "level": {Column: "level", Type: Int},
		"last_seen_at": {Column: "last_seen_at", Type: Time, Nullable: true},
	},
	IDColumn: "uid",
}

// oldKey is the hand-written switch each list used to pass to Run.
func oldKey(sort string) func(*keyRow) (any, string) {
	return func(r *keyRow) (any, string) {
		switch sort {
		case "display_name":
			return r.Nick, r.Key
		case "active":
			return r.Active, r.Key
		case "level":
			return r.Level, r.Key
		case "last_seen_at":
			return r.LastSeenAt, r.Key
		}
		return r.CreatedAt, r.Key
	}
}

func TestRowKeyEqualsTheHandWrittenKey(t *testing.T) {
	seen := time.Date(2026, 3, 4, 5, 6, 7, 890, time.UTC)
	rows := []keyRow{
		{Key: uuid.NewString(), Nick: "Пётр", CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC),
			Active: true, Level: 7, LastSeenAt: &seen},
		{Key: uuid.NewString()}, // zero values and a NULL
	}
	for name, sf := range keySpec.Sorts {
		key, err := rowKey[keyRow](nil, sf, keySpec.IDColumn)
		require.NoError(t, err, name)
		for _, r := range rows {
			wantV, wantID := oldKey(name)(&r)
			gotV, gotID := key(&r)
			assert.Equal(t, wantV, gotV, name)
			assert.Equal(t, wantID, gotID, name)
			// and the cursor that carries them is the same string
			want := Cursor{Page: 2, After: true, FP: "f", Val: wantV, ID: wantID}.Encode()
			assert.Equal(t, want, Cursor{Page: 2, After: true, FP: "f", Val: gotV, ID: gotID}.Encode(), name)
			if !sf.Nullable { // and it decodes as the sort's type
				c, err := decodeCursor(want, sf.Type)
				require.NoError(t, err, name)
				b, _ := json.Marshal(c.Val)
				w, _ := json.Marshal(wantV)
				assert.JSONEq(t, string(w), string(b), name)
			}
		}
	}
}

// stringerID is an id that is not a string but prints as one.
type stringerRow struct {
	ID   uuid.UUID
	Name string
}

func TestRowKeyStringerID(t *testing.T) {
	key, err := rowKey[stringerRow](nil, SortField{Column: "name"}, "id")
	require.NoError(t, err)
	r := stringerRow{ID: uuid.New(), Name: "n"}
	v, id := key(&r)
	assert.Equal(t, "n", v)
	assert.Equal(t, r.ID.String(), id)
}

func TestRowKeyRefusesASpecTheRowDoesNotFit(t *testing.T) {
	cases := []struct {
		name  string
		sf    SortField
		id    string
		error string
	}{
		{"Go field name instead of the tagged column", SortField{Column: "nick"}, "uid", `column "nick" is not a field`},
		{"ignored field", SortField{Column: "ignored"}, "uid", `column "ignored" is not a field`},
		{"unknown id column", SortField{Column: "display_name"}, "id", `column "id" is not a field`},
		{"id that is not a string", SortField{Column: "display_name"}, "level", `id column "level"`},
		{"time sort on a string", SortField{Column: "display_name", Type: Time}, "uid", `sort column "display_name"`},
		{"bool sort on a time", SortField{Column: "created_at", Type: Bool}, "uid", `sort column "created_at"`},
		{"int sort on a bool", SortField{Column: "active", Type: Int}, "uid", `sort column "active"`},
		{"string sort on an int", SortField{Column: "level"}, "uid", `sort column "level"`},
		{"seekable sort on a pointer", SortField{Column: "last_seen_at", Type: Time}, "uid", `sort column "last_seen_at"`},
	}
	for _, c := range cases {
		_, err := rowKey[keyRow](nil, c.sf, c.id)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.error, c.name)
	}
}
