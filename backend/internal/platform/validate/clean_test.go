package validate

import (
	"testing"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"Mozilla/5.0", 100, "Mozilla/5.0"},
		{"curl\xff\xfe/8", 100, "curl\uFFFD/8"},
		{"a\x00b\x1bc\td\ne\x7f", 100, "abc\td\ne"},
		{"Иван Петров", 100, "Иван Петров"},
		{"Иван Петров и ещё", 10, "Иван Петро"}, // 10 runes, not 10 bytes
	} {
		got := CleanText(c.in, c.max)
		if got != c.want || !utf8.ValidString(got) {
			t.Errorf("CleanText(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
	if !IsText("uid=alice") || IsText("\xff\xd8\xff\xe0") || IsText("a\x00b") {
		t.Error("IsText tells text from binary values")
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "abc", "\xff", "a\x00", "Иван", "\xe2\x82"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1000 {
			return
		}
		got := CleanText(s, max)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > max {
			t.Fatalf("CleanText(%q, %d) = %q", s, max, got)
		}
		for _, r := range got {
			if r == 0 {
				t.Fatalf("NUL kept in %q", got)
			}
		}
	})
}
