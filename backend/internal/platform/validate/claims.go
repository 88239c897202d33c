package validate

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits of CleanClaims: a key's and a text value's length in characters, the
// entries of one object or list, and how deep objects and lists may nest.
const (
	ClaimKeyMax   = 200
	ClaimTextMax  = 4096
	ClaimItemsMax = 1000
	ClaimDepthMax = 8
)

// CleanClaims makes what a peer says about a user (ID-token or user-info claims, a
// REST answer, a directory entry) safe to map and store: in keys and text values,
// invalid UTF-8 and control characters other than tab and newline become U+FFFD (so
// PostgreSQL never sees a NUL), and each is cut to ClaimKeyMax or ClaimTextMax
// characters. Objects and lists keep at most ClaimItemsMax entries (objects by key
// order, so the result does not depend on map iteration) and ClaimDepthMax levels;
// deeper values are dropped. Numbers, booleans and null pass as they are.
//
// Unlike CleanText it replaces rather than drops: a cleaned identifier must not
// become another, clean one ("al\x00ice" is not alice).
func CleanClaims(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return cleanObject(m, 1)
}

func cleanObject(m map[string]any, depth int) map[string]any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]any, min(len(m), ClaimItemsMax))
	for _, k := range keys {
		if len(out) == ClaimItemsMax {
			break
		}
		v, ok := cleanValue(m[k], depth)
		ck := ClaimText(k, ClaimKeyMax)
		if _, taken := out[ck]; ok && !taken { // of keys that clean alike, the first in order wins
			out[ck] = v
		}
	}
	return out
}

// cleanValue cleans one claim value; ok is false when it is dropped.
func cleanValue(v any, depth int) (any, bool) {
	switch t := v.(type) {
	case string:
		return ClaimText(t, ClaimTextMax), true
	case map[string]any:
		if depth >= ClaimDepthMax {
			return nil, false
		}
		return cleanObject(t, depth+1), true
	case []any:
		if depth >= ClaimDepthMax {
			return nil, false
		}
		out := make([]any, 0, min(len(t), ClaimItemsMax))
		for _, x := range t {
			if len(out) == ClaimItemsMax {
				break
			}
			if cx, ok := cleanValue(x, depth+1); ok {
				out = append(out, cx)
			}
		}
		return out, true
	case []string:
		if depth >= ClaimDepthMax {
			return nil, false
		}
		out := make([]any, 0, min(len(t), ClaimItemsMax))
		for _, x := range t[:min(len(t), ClaimItemsMax)] {
			out = append(out, ClaimText(x, ClaimTextMax))
		}
		return out, true
	case nil, bool, float64, float32, int, int32, int64, uint, uint32, uint64:
		return t, true
	default: // no decoder of a peer's answer makes anything else
		return nil, false
	}
}

// ClaimText is one text of a peer cleaned the way CleanClaims cleans: invalid UTF-8
// and control characters other than tab and newline replaced by U+FFFD, at most max
// characters.
func ClaimText(s string, max int) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, dropped) < 0 && len(s) <= max {
		return s // already clean and short enough (bytes bound characters)
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if n == max {
			break
		}
		if dropped(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
