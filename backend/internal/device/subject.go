package device

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"custos/internal/identity"
	"custos/internal/platform/validate"
)

// The placeholders of a subject value. attr.<code> reads the user's extra attributes,
// then the attributes their provider mapped; its code is not checked against the
// catalogue, since extra attributes are free keys.
var (
	placeholders = []string{"login", "display_name", "email"}
	attrCodeRe   = regexp.MustCompile(`^attr\.[A-Za-z0-9_.-]{1,100}$`)
)

// part is a literal text or a placeholder of a subject value.
type part struct {
	text        string
	placeholder bool
}

type parseErr struct{ code, msg string }

// parseValue splits a value into literals and {{placeholders}} (spaces inside the
// braces are allowed); an unclosed {{ or an unknown name is an error.
func parseValue(v string) ([]part, *parseErr) {
	var out []part
	for {
		i := strings.Index(v, "{{")
		if i < 0 {
			if v != "" {
				out = append(out, part{text: v})
			}
			return out, nil
		}
		if i > 0 {
			out = append(out, part{text: v[:i]})
		}
		j := strings.Index(v[i:], "}}")
		if j < 0 {
			return nil, &parseErr{"invalidFormat", "a placeholder opened with {{ is not closed with }}"}
		}
		name := strings.TrimSpace(v[i+2 : i+j])
		if !slices.Contains(placeholders, name) && !attrCodeRe.MatchString(name) {
			return nil, &parseErr{"unknownPlaceholder", "unknown placeholder {{" + name + "}}: use {{login}}, {{display_name}}, {{email}} or {{attr.<code>}}"}
		}
		out = append(out, part{text: name, placeholder: true})
		v = v[i+j+2:]
	}
}

func hasPlaceholder(parts []part) bool {
	for _, p := range parts {
		if p.placeholder {
			return true
		}
	}
	return false
}

// userValue is a placeholder's value for u ("" when the user has none).
func userValue(u identity.User, name string) string {
	switch name {
	case "login":
		return u.Login
	case "display_name":
		return u.DisplayName
	case "email":
		return u.Email
	}
	code := strings.TrimPrefix(name, "attr.")
	v, ok := u.ExtraAttributes[code]
	if !ok || v == nil {
		v = u.Attributes[code]
	}
	return textOf(v)
}

func textOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case []any:
		var out []string
		for _, x := range t {
			if s := textOf(x); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, ", ")
	}
	return ""
}

// RenderSubject fills a (valid) subject for u: the RDNs with their values, the
// placeholders u has no value for, and the attributes left out because they came out empty.
func RenderSubject(rdns []SubjectRDN, u identity.User) Preview {
	out := Preview{RDNs: []SubjectRDN{}, EmptyPlaceholders: []string{}, Omitted: []string{}}
	var dn []string
	for _, r := range rdns {
		parts, perr := parseValue(r.Value)
		if perr != nil {
			continue
		}
		var b strings.Builder
		for _, p := range parts {
			if !p.placeholder {
				b.WriteString(p.text)
				continue
			}
			v := userValue(u, p.text)
			if v == "" && !slices.Contains(out.EmptyPlaceholders, p.text) {
				out.EmptyPlaceholders = append(out.EmptyPlaceholders, p.text)
			}
			b.WriteString(v)
		}
		v := strings.TrimSpace(validate.CleanText(b.String(), maxRDNValue))
		if v == "" {
			out.Omitted = append(out.Omitted, r.Attr)
			continue
		}
		out.RDNs = append(out.RDNs, SubjectRDN{Attr: r.Attr, Value: v})
		dn = append(dn, r.Attr+"="+escapeDN(v))
	}
	out.Subject = strings.Join(dn, ",")
	return out
}

// escapeDN escapes an attribute value as RFC 4514 asks.
func escapeDN(v string) string {
	var b strings.Builder
	for i, r := range v {
		switch {
		case strings.ContainsRune(`,+"\<>;=`, r),
			i == 0 && (r == '#' || r == ' '),
			i == len(v)-1 && r == ' ':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
