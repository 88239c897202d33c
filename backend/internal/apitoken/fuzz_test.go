package apitoken

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input either parses into parts that rebuild it exactly and pass the
// checksum, or is refused with one of the two parse errors; nothing panics.
func FuzzParse(f *testing.F) {
	_, api, _ := Generate(KindAPI)
	_, pat, _ := Generate(KindPersonal)
	for _, s := range []string{"", api, pat, api[:len(api)-1], api + "x", "cst01..", strings.Repeat(".", TokenLen),
		"csp01." + strings.Repeat("ж", 12) + "." + strings.Repeat("A", 64), "\x00\xff", api[:40] + "é" + api[42:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if err != ErrMalformed && err != ErrChecksum {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if got := p.Prefix + "." + p.PublicID + "." + p.Secret; got != s {
			t.Fatalf("parts rebuild %q, not %q", got, s)
		}
		if !utf8.ValidString(s) || len(s) != TokenLen || strings.Count(s, ".") != 2 {
			t.Fatalf("accepted a malformed token %q", s)
		}
		if p.Kind != KindAPI && p.Kind != KindPersonal {
			t.Fatalf("unknown kind %q", p.Kind)
		}
		if checksum(s[:len(s)-ChecksumLen]) != p.Secret[SecretLen-ChecksumLen:] {
			t.Fatalf("accepted a wrong checksum %q", s)
		}
	})
}
