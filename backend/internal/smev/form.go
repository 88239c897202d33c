package smev

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
)

// Attributes maps each form field to the user attribute code it is prefilled from (the
// provider-mapped attributes first, then the extra attributes); email comes from the
// user's e-mail address. This is the one place that mapping is written.
var Attributes = map[string]string{
	"last_name": "last_name", "first_name": "first_name", "middle_name": "middle_name", "birth_date": "birth_date",
	"snils": "snils", "inn": "inn", "passport_series": "passport_series", "passport_number": "passport_number",
}

// Required are the fields the check cannot go without.
var Required = []string{"last_name", "first_name", "birth_date", "snils"}

// attr reads attribute code of u: the provider's value, else the extra attribute.
func attr(u identity.User, code string) string {
	for _, m := range []map[string]any{u.Attributes, u.ExtraAttributes} {
		if v, ok := m[code]; ok && v != nil {
			if s := strings.TrimSpace(fmt.Sprint(v)); s != "" {
				return s
			}
		}
	}
	return ""
}

// Prefill is the form as the directory knows u.
func Prefill(u identity.User) Person {
	var p Person
	for f, code := range Attributes {
		p.Set(f, attr(u, code))
	}
	p.Email = strings.TrimSpace(u.Email)
	return Normalise(p)
}

// Normalise trims every field and keeps only the digits of the numbers (SNILS
// "112-233-445 95" is 11223344595), so a form compares and is sent the same way however
// it was typed.
func Normalise(p Person) Person {
	for _, f := range Fields {
		v := strings.TrimSpace(p.Get(f))
		switch f {
		case "snils", "inn", "passport_series", "passport_number":
			v = strings.Map(func(r rune) rune {
				if r == ' ' || r == '-' {
					return -1
				}
				return r
			}, v)
		}
		p.Set(f, v)
	}
	return p
}

// EditableFields are the fields the user may change: every one when the policy lets
// them edit the form, else only those the directory left empty (missing data may always
// be added).
func EditableFields(prefilled Person, editable bool) []string {
	out := []string{}
	for _, f := range Fields {
		if editable || prefilled.Get(f) == "" {
			out = append(out, f)
		}
	}
	return out
}

// Merge lays the submitted form over the prefilled one: an empty submitted field keeps the
// directory's value, a missing value may always be added, and a prefilled value may be
// changed only when editable. The result is checked field by field; errors name
// "smev.<field>".
func Merge(prefilled Person, submitted *Person, editable bool, now time.Time) (Person, []apperr.FieldError) {
	out := prefilled
	var errs []apperr.FieldError
	if submitted != nil {
		sub := Normalise(*submitted)
		for _, f := range Fields {
			v, pre := sub.Get(f), prefilled.Get(f)
			switch {
			case v == "" || v == pre:
			case pre == "" || editable:
				out.Set(f, v)
			default:
				errs = append(errs, apperr.Field("smev."+f, "notEditable",
					"the usage policy does not let you change the data from the directory; you may only add what is missing"))
			}
		}
	}
	for _, e := range check(out, now) {
		if !slices.ContainsFunc(errs, func(x apperr.FieldError) bool { return x.Field == e.Field }) {
			errs = append(errs, e)
		}
	}
	return out, errs
}

func digits(s string, n ...int) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, k := range n {
		if len(s) == k {
			return true
		}
	}
	return false
}

func check(p Person, now time.Time) []apperr.FieldError {
	var errs []apperr.FieldError
	add := func(f, code, msg string) { errs = append(errs, apperr.Field("smev."+f, code, msg)) }
	for _, f := range Fields {
		v := p.Get(f)
		switch {
		case v == "":
			for _, r := range Required {
				if r == f {
					add(f, "required", "is required for the SMEV check")
				}
			}
		case !utf8.ValidString(v) || utf8.RuneCountInString(v) > 200 || strings.IndexFunc(v, unicode.IsControl) >= 0:
			add(f, "invalidFormat", "at most 200 characters of text")
		}
	}
	if v := p.BirthDate; v != "" {
		if d, err := time.Parse(time.DateOnly, v); err != nil {
			add("birth_date", "invalidFormat", "must be a date YYYY-MM-DD")
		} else if d.After(now) {
			add("birth_date", "future", "must not be in the future")
		}
	}
	if v := p.SNILS; v != "" && !digits(v, 11) {
		add("snils", "invalidFormat", "must be 11 digits")
	}
	if v := p.INN; v != "" && !digits(v, 10, 12) {
		add("inn", "invalidFormat", "must be 10 or 12 digits")
	}
	if v := p.PassportSeries; v != "" && !digits(v, 4) {
		add("passport_series", "invalidFormat", "must be 4 digits")
	}
	if v := p.PassportNumber; v != "" && !digits(v, 6) {
		add("passport_number", "invalidFormat", "must be 6 digits")
	}
	if v := p.Email; v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			add("email", "invalidFormat", "must be an e-mail address")
		}
	}
	return errs
}
