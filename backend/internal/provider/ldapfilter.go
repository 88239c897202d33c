package provider

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// validateFilter checks s against the grammar of RFC 4515 (section 3) and returns
// what is wrong and where, or "" when s is a filter. go-ldap's compiler is more
// lenient (it takes "(=a)" and "((uid=a))"), so this is the judge of what we store.
func validateFilter(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	p := &filterParser{s: s}
	if err := p.filter(0); err != "" {
		return err
	}
	if p.i != len(s) {
		return p.fail("unexpected text after the filter")
	}
	return ""
}

type filterParser struct {
	s string
	i int
}

const maxFilterDepth = 50

func (p *filterParser) fail(msg string) string {
	return msg + " at position " + strconv.Itoa(p.i+1)
}

func (p *filterParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// filter = "(" filtercomp ")"
func (p *filterParser) filter(depth int) string {
	if depth > maxFilterDepth {
		return p.fail("filters nest too deeply")
	}
	if p.peek() != '(' {
		return p.fail("expected '('")
	}
	p.i++
	var err string
	switch p.peek() {
	case '&', '|':
		p.i++
		if p.peek() != '(' {
			return p.fail("'&' and '|' need at least one filter")
		}
		for p.peek() == '(' && err == "" {
			err = p.filter(depth + 1)
		}
	case '!':
		p.i++
		err = p.filter(depth + 1)
	default:
		err = p.item()
	}
	if err != "" {
		return err
	}
	if p.peek() != ')' {
		return p.fail("expected ')'")
	}
	p.i++
	return ""
}

// item = simple / present / substring / extensible
func (p *filterParser) item() string {
	attr := p.attrDescr()
	if p.peek() == ':' { // extensible: attr [":dn"] [":" rule] ":=" value, or [":dn"] ":" rule ":=" value
		if strings.HasPrefix(p.s[p.i:], ":dn:") {
			p.i += 3
		}
		rule := false
		if !strings.HasPrefix(p.s[p.i:], ":=") {
			p.i++
			if p.oid() == "" {
				return p.fail("expected a matching rule (an OID or a name)")
			}
			rule = true
		}
		if attr == "" && !rule {
			return p.fail("an extensible match without an attribute needs a matching rule")
		}
		if !strings.HasPrefix(p.s[p.i:], ":=") {
			return p.fail("expected ':='")
		}
		p.i += 2
		return p.value(false)
	}
	if attr == "" {
		return p.fail("expected an attribute name")
	}
	switch {
	case strings.HasPrefix(p.s[p.i:], "~="), strings.HasPrefix(p.s[p.i:], ">="), strings.HasPrefix(p.s[p.i:], "<="):
		p.i += 2
		return p.value(false)
	case p.peek() == '=':
		p.i++
		return p.value(true)
	}
	return p.fail("expected '=', '~=', '>=', '<=' or ':='")
}

// attrDescr = (descr / numericoid) *(";" option)
func (p *filterParser) attrDescr() string {
	start := p.i
	if p.oid() == "" {
		return ""
	}
	for p.peek() == ';' {
		p.i++
		if p.keychars() == 0 {
			p.i = start
			return ""
		}
	}
	return p.s[start:p.i]
}

// oid = descr / numericoid
func (p *filterParser) oid() string {
	start := p.i
	c := p.peek()
	switch {
	case isAlpha(c):
		p.keychars()
	case isDigit(c):
		for {
			if !p.number() {
				p.i = start
				return ""
			}
			if p.peek() != '.' {
				break
			}
			p.i++
		}
		if !strings.Contains(p.s[start:p.i], ".") {
			p.i = start
			return ""
		}
	default:
		return ""
	}
	return p.s[start:p.i]
}

func (p *filterParser) number() bool {
	start := p.i
	for isDigit(p.peek()) {
		p.i++
	}
	return p.i > start && (p.i-start == 1 || p.s[start] != '0')
}

func (p *filterParser) keychars() int {
	n := 0
	for c := p.peek(); isAlpha(c) || isDigit(c) || c == '-'; c = p.peek() {
		p.i++
		n++
	}
	return n
}

// value reads an assertion value up to ')'; stars are allowed (substring/present)
// only when star is true; escapes are "\" and two hex digits.
func (p *filterParser) value(star bool) string {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case ')':
			return ""
		case '(':
			return p.fail("'(' must be escaped as \\28 in a value")
		case 0:
			return p.fail("NUL must be escaped as \\00")
		case '*':
			if !star {
				return p.fail("'*' must be escaped as \\2a here")
			}
			p.i++
		case '\\':
			if p.i+2 >= len(p.s) || !isHex(p.s[p.i+1]) || !isHex(p.s[p.i+2]) {
				return p.fail("'\\' must be followed by two hex digits")
			}
			p.i += 3
		default:
			p.i++
		}
	}
	return p.fail("expected ')'")
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') }
