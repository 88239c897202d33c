package smev

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
)

func fields(errs []apperr.FieldError) map[string]string {
	out := map[string]string{}
	for _, e := range errs {
		out[e.Field] = e.Code
	}
	return out
}

func TestPrefillReadsProviderAttributesFirst(t *testing.T) {
	u := identity.User{Email: " a@example.com ",
		Attributes:      map[string]any{"last_name": "Иванова", "snils": "112-233-445 95"},
		ExtraAttributes: map[string]any{"last_name": "Петрова", "first_name": "Анна", "passport_number": 123456}}
	p := Prefill(u)
	assert.Equal(t, "Иванова", p.LastName, "the provider's value wins")
	assert.Equal(t, "Анна", p.FirstName, "an extra attribute fills a gap")
	assert.Equal(t, "11223344595", p.SNILS)
	assert.Equal(t, "123456", p.PassportNumber, "a number attribute becomes its digits")
	assert.Equal(t, "a@example.com", p.Email)
	assert.Equal(t, []string{"middle_name", "birth_date", "inn", "passport_series"}, EditableFields(p, false))
	assert.Len(t, EditableFields(p, true), len(Fields))
}

func TestMergeEditability(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	pre := Person{LastName: "Иванов", FirstName: "Иван", BirthDate: "1980-05-17", SNILS: "11223344595"}
	cases := []struct {
		name     string
		sub      *Person
		editable bool
		want     map[string]string
	}{
		{"nothing sent keeps the directory", nil, false, map[string]string{}},
		{"the same value typed differently", &Person{SNILS: "112 233 445-95"}, false, map[string]string{}},
		{"a missing value added", &Person{INN: "500100732259"}, false, map[string]string{}},
		{"a prefilled value changed", &Person{LastName: "Петров"}, false, map[string]string{"smev.last_name": "notEditable"}},
		{"changed where editable", &Person{LastName: "Петров"}, true, map[string]string{}},
		{"bad formats", &Person{INN: "123", PassportSeries: "45a0", Email: "x", BirthDate: "2030-01-01"}, true,
			map[string]string{"smev.inn": "invalidFormat", "smev.passport_series": "invalidFormat", "smev.email": "invalidFormat",
				"smev.birth_date": "future"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Merge(pre, tc.sub, tc.editable, now)
			assert.Equal(t, tc.want, fields(errs))
		})
	}
	out, errs := Merge(Person{LastName: "Иванов"}, nil, false, now)
	assert.Equal(t, map[string]string{"smev.first_name": "required", "smev.birth_date": "required", "smev.snils": "required"}, fields(errs))
	assert.Equal(t, "Иванов", out.LastName)
}
