package apitoken

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGenerateMakesParseableTokensOfBothKinds(t *testing.T) {
	for _, kind := range []string{KindAPI, KindPersonal} {
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			parts, tok, err := Generate(kind)
			require.NoError(t, err)
			require.Len(t, tok, TokenLen)
			fields := strings.Split(tok, ".")
			require.Len(t, fields, 3, tok)
			assert.Len(t, fields[1], PublicIDLen)
			assert.Len(t, fields[2], SecretLen)
			for _, r := range fields[1] + fields[2] {
				assert.True(t, strings.ContainsRune(alphabet, r), "%q is alphanumeric", r)
			}
			got, err := Parse(tok)
			require.NoError(t, err, tok)
			assert.Equal(t, parts, got)
			assert.Equal(t, kind, got.Kind)
			assert.Equal(t, tok[:PrefixLen+1+PublicIDLen], got.Display())
			assert.False(t, seen[tok], "tokens are unique")
			seen[tok] = true
		}
	}
	_, api, _ := Generate(KindAPI)
	_, pat, _ := Generate(KindPersonal)
	assert.True(t, strings.HasPrefix(api, "cst01."))
	assert.True(t, strings.HasPrefix(pat, "csp01."))
}

// Every single-character typo anywhere in the token is caught by its shape or its
// checksum: no database read is needed to refuse it.
func TestEverySingleCharacterTypoIsRefused(t *testing.T) {
	_, tok, err := Generate(KindAPI)
	require.NoError(t, err)
	for i := 0; i < len(tok); i++ {
		for _, c := range []byte{'0', 'Z', 'a', 'q', '.', '-'} {
			if tok[i] == c {
				continue
			}
			typo := tok[:i] + string(c) + tok[i+1:]
			_, err := Parse(typo)
			require.Error(t, err, "position %d → %q", i, c)
			if i > PrefixLen && c != '.' && c != '-' && i != PrefixLen+1+PublicIDLen {
				assert.ErrorIs(t, err, ErrChecksum, "position %d", i)
			}
		}
	}
	// Swapping two neighbouring characters is caught too.
	for i := PrefixLen + 1; i < len(tok)-1; i++ {
		if tok[i] == tok[i+1] || tok[i] == '.' || tok[i+1] == '.' {
			continue
		}
		b := []byte(tok)
		b[i], b[i+1] = b[i+1], b[i]
		_, err := Parse(string(b))
		assert.ErrorIs(t, err, ErrChecksum, "swap at %d", i)
	}
}

func TestParseRefusesEveryMalformedShape(t *testing.T) {
	_, tok, err := Generate(KindPersonal)
	require.NoError(t, err)
	cases := map[string]string{
		"empty":             "",
		"short":             "csp01.abc.def",
		"one char short":    tok[:len(tok)-1],
		"one char long":     tok + "A",
		"wrong prefix":      "xxx01" + tok[PrefixLen:],
		"upper-case prefix": "CSP01" + tok[PrefixLen:],
		"no dots":           strings.ReplaceAll(tok, ".", "A"),
		"dot moved":         tok[:PrefixLen] + "A" + tok[PrefixLen+1:PrefixLen+5] + "." + tok[PrefixLen+5:],
		"space inside":      tok[:40] + " " + tok[41:],
		"non-ASCII":         tok[:40] + "ж" + tok[42:],
		"NUL":               tok[:40] + "\x00" + tok[41:],
		"10 KB":             strings.Repeat("A", 10<<10),
		"bearer-looking":    "Bearer " + tok[:len(tok)-7],
		"whitespace around": " " + tok[:len(tok)-1],
	}
	for name, in := range cases {
		_, err := Parse(in)
		assert.ErrorIs(t, err, ErrMalformed, name)
	}
	bad := tok[:len(tok)-1] + string(alphabet[(strings.IndexByte(alphabet, tok[len(tok)-1])+1)%62])
	_, err = Parse(bad)
	assert.ErrorIs(t, err, ErrChecksum, "a wrong checksum character")
}

func TestChecksumIsBase62CRC32(t *testing.T) {
	assert.Equal(t, "000000", checksum(""), "CRC32 of nothing is 0")
	assert.Len(t, checksum(strings.Repeat("z", 500)), ChecksumLen)
	// A value computed independently (Python: zlib.crc32, then base62 of 0-9A-Za-z).
	assert.Equal(t, "0i8kHt", checksum("cst01."+strings.Repeat("A", 24)+"."+strings.Repeat("B", 58)))
}

func TestHashIsPepperedSHA256AndVerifyIsExact(t *testing.T) {
	parts, _, err := Generate(KindAPI)
	require.NoError(t, err)
	pepper := []byte("0123456789abcdef0123456789abcdef")
	h := Hash(pepper, parts.Secret)
	assert.Equal(t, sha256.Sum256(append(append([]byte{}, pepper...), parts.Secret...)), h)
	assert.NotEqual(t, sha256.Sum256([]byte(parts.Secret)), h, "the pepper is part of the hash")
	assert.NotEqual(t, Hash([]byte("another pepper"), parts.Secret), h)
	assert.True(t, Verify(pepper, parts.Secret, h[:]))
	assert.False(t, Verify(pepper, parts.Secret[:63]+"x", h[:]))
	assert.False(t, Verify([]byte("another pepper"), parts.Secret, h[:]))
	assert.False(t, Verify(pepper, parts.Secret, h[:31]), "a truncated stored hash never matches")
	assert.False(t, Verify(pepper, parts.Secret, nil))
}

func TestTakeParamKeepsTheRestOfTheQueryByteForByte(t *testing.T) {
	vals, rest := takeParam("q=a%20b&api-token=X&sort=name&api%2Dtoken=Y")
	assert.Equal(t, []string{"X", "Y"}, vals)
	assert.Equal(t, "q=a%20b&sort=name", rest)
	vals, rest = takeParam("q=api-token")
	assert.Nil(t, vals)
	assert.Equal(t, "q=api-token", rest)
	vals, rest = takeParam("api-token=%zz")
	assert.Len(t, vals, 1)
	assert.Empty(t, rest)
	_, err := Parse(vals[0])
	assert.ErrorIs(t, err, ErrMalformed)
}

func BenchmarkParseAndVerify(b *testing.B) {
	parts, tok, _ := Generate(KindAPI)
	pepper := []byte("0123456789abcdef0123456789abcdef")
	h := Hash(pepper, parts.Secret)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := Parse(tok)
		if err != nil || !Verify(pepper, p.Secret, h[:]) {
			b.Fatal("no match")
		}
	}
}
