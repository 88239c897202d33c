package testutil

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// RawJSON encodes v as JSON the way a careless peer would: the bytes of every string
// (and key) are written as they are — invalid UTF-8 included, which encoding/json
// would have replaced — with only quotes, backslashes and control characters escaped.
// Maps, lists, strings and what encoding/json encodes are accepted.
func RawJSON(v any) []byte {
	var b strings.Builder
	writeRaw(&b, v)
	return []byte(b.String())
}

func writeRaw(b *strings.Builder, v any) {
	switch t := v.(type) {
	case string:
		rawString(b, t)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			rawString(b, k)
			b.WriteByte(':')
			writeRaw(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeRaw(b, x)
		}
		b.WriteByte(']')
	case []string:
		l := make([]any, len(t))
		for i, s := range t {
			l[i] = s
		}
		writeRaw(b, l)
	default:
		j, err := json.Marshal(t)
		if err != nil {
			panic(err)
		}
		b.Write(j)
	}
}

func rawString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
