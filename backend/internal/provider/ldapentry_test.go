package provider

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"

	"custos/internal/platform/validate"
)

// TestEntryClaimsKeepTextOnly: a directory entry's binary values (an AD objectSid, a
// jpegPhoto) are not user attributes and could not be stored as text; text values,
// single or many, come through as they are, and the password never does.
func TestEntryClaimsKeepTextOnly(t *testing.T) {
	e := ldap.NewEntry("uid=alice,dc=custos,dc=test", map[string][]string{
		"uid":          {"alice"},
		"cn":           {"Алиса Иванова"},
		"mail":         {"alice@example.com", "a@example.com"},
		"objectSid":    {"\x01\x05\x00\x00\x00\x00\x00\x05\x15\x00\x00\x00"},
		"jpegPhoto":    {"\xff\xd8\xff\xe0\x00\x10JFIF"},
		"description":  {"text", "bin\x00ary"},
		"userPassword": {"{SSHA}secret"},
	})
	c := entryClaims(e)
	if c["uid"] != "alice" || c["cn"] != "Алиса Иванова" || c["description"] != "text" {
		t.Errorf("text values lost: %v", c)
	}
	if m, ok := c["mail"].([]any); !ok || len(m) != 2 {
		t.Errorf("a multi-valued attribute: %v", c["mail"])
	}
	for _, k := range []string{"objectSid", "jpegPhoto", "userPassword"} {
		if _, ok := c[k]; ok {
			t.Errorf("%s must not be a claim: %q", k, c[k])
		}
	}
}

// TestEntryClaimsAreCleaned: a directory's text values and attribute names reach the
// mapping cleaned — control characters replaced, a huge value cut — never raw.
func TestEntryClaimsAreCleaned(t *testing.T) {
	e := ldap.NewEntry("uid=mallory,dc=custos,dc=test", map[string][]string{
		"title":       {"eng\x1bineer"},
		"x-odd\x01":   {"v"},
		"description": {strings.Repeat("d", 100<<10)},
	})
	c := entryClaims(e)
	if c["title"] != "eng\uFFFDineer" || c["x-odd\uFFFD"] != "v" {
		t.Errorf("control characters in values and names: %q", c)
	}
	if n := utf8.RuneCountInString(c["description"].(string)); n != validate.ClaimTextMax {
		t.Errorf("a 100 KB value is cut to %d characters, got %d", validate.ClaimTextMax, n)
	}
}
