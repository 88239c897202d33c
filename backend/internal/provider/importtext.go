package provider

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"custos/internal/platform/apperr"
)

// maxImportErrors bounds the field errors one refused import file reports.
const maxImportErrors = 50

// checkImportText refuses an import file that holds text no export makes: invalid
// UTF-8, NUL or another control character (tab and line breaks aside, which a PEM
// certificate may hold), or a value longer than the longest field (64 KiB). Such a
// file is refused as a whole, before anything is written, naming each field as
// providers[<index>].<field>; the rules of each field are checked per item later.
func checkImportText(items []ImportItem) error {
	var errs []apperr.FieldError
	for i, it := range items {
		at := "providers[" + strconv.Itoa(i) + "]."
		check := func(field, v string) {
			if len(errs) >= maxImportErrors {
				return
			}
			switch {
			case !utf8.ValidString(v):
				errs = append(errs, apperr.Field(at+field, "invalidFormat", "is not valid UTF-8"))
			case strings.IndexFunc(v, importControl) >= 0:
				errs = append(errs, apperr.Field(at+field, "invalidFormat", "must not contain control characters"))
			case len(v) > maxCACert:
				errs = append(errs, apperr.Field(at+field, "tooLong", "must be at most 64 KiB"))
			}
		}
		check("name", it.Name)
		check("type", it.Type)
		check("button_label", it.ButtonLabel)
		for j, g := range it.BaseGroups {
			check("base_groups."+strconv.Itoa(j), g)
		}
		if it.UserType != nil {
			check("user_type", *it.UserType)
		}
		if it.Params != nil {
			for _, t := range it.Params.texts() {
				if t.v != nil {
					check("params."+t.key, *t.v)
				}
			}
		}
		for j, m := range it.Mappings {
			mt := "mappings." + strconv.Itoa(j)
			check(mt+".attribute", m.Attribute)
			check(mt+".source", m.Source)
			for k, r := range m.Rules {
				rt := mt + ".rules." + strconv.Itoa(k)
				check(rt+".from", r.From)
				check(rt+".to", r.To)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return apperr.Invalid(errs...)
}

func importControl(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' }

// paramText is one text parameter of an import item.
type paramText struct {
	key string
	v   *string
}

// texts are the text parameters with their keys, in the order they are checked.
func (p *ParamsInput) texts() []paramText {
	return []paramText{{"client_id", p.ClientID}, {"client_secret", p.ClientSecret}, {"external_url", p.ExternalURL},
		{"host", p.Host}, {"bind_dn", p.BindDN}, {"bind_password", p.BindPassword}, {"connection", p.Connection},
		{"server_type", p.ServerType}, {"base_dn", p.BaseDN}, {"filter", p.Filter},
		{"username_attribute", p.UsernameAttribute}, {"ca_cert", p.CACert}}
}
