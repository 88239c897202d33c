package validate

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanClaims(t *testing.T) {
	huge := strings.Repeat("x", 100<<10)
	deep := map[string]any{"v": "bottom"}
	for i := 0; i < 20; i++ {
		deep = map[string]any{"d": deep}
	}
	many := make([]any, 5000)
	for i := range many {
		many[i] = "r"
	}
	got := CleanClaims(map[string]any{
		"login":                  "al\x00ice",
		"name":                   "Ivan\x1b[31m Petrov\tJr.\n",
		"bad\xffkey":             "caf\xe9",
		"roles":                  []any{"analysts\x00", "ok", 42.0, true, nil, map[string]any{"k\x00": "v\x7f"}},
		"ldap":                   []string{"a\x00", "b"},
		"huge":                   huge,
		strings.Repeat("k", 300): "long key",
		"deep":                   deep,
		"many":                   many,
		"odd":                    struct{}{},
		"a\x00":                  "first",
		"a\x01":                  "second",
	})
	assert := func(cond bool, msg string, args ...any) {
		t.Helper()
		if !cond {
			t.Errorf(msg, args...)
		}
	}
	assert(got["login"] == "al\uFFFDice", "NUL is replaced, never dropped: %q", got["login"])
	assert(got["name"] == "Ivan\uFFFD[31m Petrov\tJr.\n", "controls replaced, tab and newline kept: %q", got["name"])
	assert(got["bad\uFFFDkey"] == "caf\uFFFD", "invalid UTF-8 in keys and values: %v", got)
	assert(reflect.DeepEqual(got["roles"], []any{"analysts\uFFFD", "ok", 42.0, true, nil, map[string]any{"k\uFFFD": "v\uFFFD"}}),
		"lists and objects are cleaned inside: %#v", got["roles"])
	assert(reflect.DeepEqual(got["ldap"], []any{"a\uFFFD", "b"}), "[]string: %#v", got["ldap"])
	assert(utf8.RuneCountInString(got["huge"].(string)) == ClaimTextMax, "a 100 KB value is cut")
	assert(got[strings.Repeat("k", ClaimKeyMax)] == "long key", "a long key is cut")
	assert(len(got["many"].([]any)) == ClaimItemsMax, "a list is capped")
	_, odd := got["odd"]
	assert(!odd, "a value no decoder makes is dropped")
	assert(got["a\uFFFD"] == "first", "keys that clean alike: the first in key order wins: %v", got["a\uFFFD"])
	d, level := got["deep"], 1
	for {
		m, ok := d.(map[string]any)
		if !ok || m["d"] == nil {
			break
		}
		d, level = m["d"], level+1
	}
	assert(level == ClaimDepthMax-1, "nesting is cut at %d levels, got %d", ClaimDepthMax, level)
	assert(CleanClaims(nil) == nil, "nil stays nil")
}

func FuzzCleanClaims(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"roles":["x\u0000",{"k\u0001":[1,true,null]}]}`, `{}`, `[]`,
		`{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":"j"}}}}}}}}}`, `{"a":[[[[[[[["s"]]]]]]]]}`} {
		f.Add([]byte(s), "k\x00", "v\xff\x1b")
	}
	f.Fuzz(func(t *testing.T, data []byte, key, val string) {
		m := map[string]any{}
		_ = json.Unmarshal(data, &m)
		if m == nil {
			m = map[string]any{}
		}
		m[key] = val // raw bytes a JSON decoder would never hand over (an LDAP value)
		m["list"] = []any{val, map[string]any{key: []string{val}}}
		got := CleanClaims(m)
		checkClean(t, got, 1)
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("cleaned claims do not marshal: %v", err)
		}
		if again := CleanClaims(got); !reflect.DeepEqual(again, got) {
			t.Fatalf("not idempotent:\n%#v\n%#v", got, again)
		}
	})
}

// checkClean walks cleaned claims and fails on anything CleanClaims promises away;
// depth is the level of v if it is an object or a list.
func checkClean(t *testing.T, v any, depth int) {
	t.Helper()
	text := func(s string, max int) {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max || strings.IndexFunc(s, dropped) >= 0 {
			t.Fatalf("unclean text %q", s)
		}
	}
	switch x := v.(type) {
	case string:
		text(x, ClaimTextMax)
	case map[string]any:
		if len(x) > ClaimItemsMax || depth > ClaimDepthMax {
			t.Fatalf("%d keys at level %d", len(x), depth)
		}
		for k, e := range x {
			text(k, ClaimKeyMax)
			checkClean(t, e, depth+1)
		}
	case []any:
		if len(x) > ClaimItemsMax || depth > ClaimDepthMax {
			t.Fatalf("%d items at level %d", len(x), depth)
		}
		for _, e := range x {
			checkClean(t, e, depth+1)
		}
	case nil, bool, float64:
	default:
		t.Fatalf("unexpected %T", v)
	}
}
