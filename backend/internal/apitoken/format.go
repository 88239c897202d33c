package apitoken

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"hash/crc32"
)

// The token format: <prefix>.<public id>.<secret>, e.g.
//
//	cst01.Q3VzdG9zUHVibGljSWQwMDAx.<58 random characters><6-character checksum>
//
// Every character outside the two dots is [0-9A-Za-z]. The public id is safe to show
// and log; the secret is a password. The last 6 characters of the secret are the CRC32
// of everything before them (prefix, dots, public id, first 58 secret characters) in
// base62, so a mistyped or truncated token is refused without touching the database,
// and a secret scanner can tell a real Custos token from random text.
const (
	PrefixAPI      = "cst01" // organisation API token
	PrefixPersonal = "csp01" // personal access token
	PrefixLen      = 5
	PublicIDLen    = 24
	SecretLen      = 64
	ChecksumLen    = 6
	// TokenLen is the length of a whole token.
	TokenLen = PrefixLen + 1 + PublicIDLen + 1 + SecretLen
)

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Parse errors. Both are answered with the same 401; tests and logs tell them apart.
var (
	ErrMalformed = errors.New("token is not <prefix>.<24-character public id>.<64-character secret>")
	ErrChecksum  = errors.New("token checksum does not match (mistyped or truncated)")
)

// Parsed is a syntactically valid token whose checksum matched.
type Parsed struct {
	Kind     string // KindAPI or KindPersonal
	Prefix   string
	PublicID string
	Secret   string
}

// Display is the part of a token that may be shown and logged: prefix and public id.
func (p Parsed) Display() string { return p.Prefix + "." + p.PublicID }

// Parse checks the shape and the checksum of s. It reads no database and allocates
// nothing for input of the wrong length, so oversized or garbage values cost nothing.
func Parse(s string) (Parsed, error) {
	if len(s) != TokenLen || s[PrefixLen] != '.' || s[PrefixLen+1+PublicIDLen] != '.' {
		return Parsed{}, ErrMalformed
	}
	var kind string
	switch s[:PrefixLen] {
	case PrefixAPI:
		kind = KindAPI
	case PrefixPersonal:
		kind = KindPersonal
	default:
		return Parsed{}, ErrMalformed
	}
	for i := PrefixLen + 1; i < len(s); i++ {
		if i == PrefixLen+1+PublicIDLen {
			continue
		}
		if !isAlnum(s[i]) {
			return Parsed{}, ErrMalformed
		}
	}
	body, sum := s[:len(s)-ChecksumLen], s[len(s)-ChecksumLen:]
	if subtle.ConstantTimeCompare([]byte(checksum(body)), []byte(sum)) != 1 {
		return Parsed{}, ErrChecksum
	}
	return Parsed{Kind: kind, Prefix: s[:PrefixLen], PublicID: s[PrefixLen+1 : PrefixLen+1+PublicIDLen],
		Secret: s[PrefixLen+1+PublicIDLen+1:]}, nil
}

func isAlnum(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')
}

// checksum is the base62 CRC32 of body, left-padded to ChecksumLen characters
// (62^6 > 2^32, so every CRC32 fits).
func checksum(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	var out [ChecksumLen]byte
	for i := ChecksumLen - 1; i >= 0; i-- {
		out[i] = alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// Generate makes a new token of the kind: a random public id, a random secret whose
// last 6 characters are the checksum. It returns the whole token and its parts.
func Generate(kind string) (Parsed, string, error) {
	prefix := PrefixAPI
	if kind == KindPersonal {
		prefix = PrefixPersonal
	}
	pub, err := randomAlnum(PublicIDLen)
	if err != nil {
		return Parsed{}, "", err
	}
	sec, err := randomAlnum(SecretLen - ChecksumLen)
	if err != nil {
		return Parsed{}, "", err
	}
	body := prefix + "." + pub + "." + sec
	sec += checksum(body)
	return Parsed{Kind: kind, Prefix: prefix, PublicID: pub, Secret: sec}, body + checksum(body), nil
}

// randomAlnum returns n uniformly random base62 characters (rejection sampling: bytes
// of 248 and above would bias the modulo and are drawn again).
func randomAlnum(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if b < 248 && len(out) < n {
				out = append(out, alphabet[b%62])
			}
		}
	}
	return string(out), nil
}

// Hash is what the database stores of a secret: SHA-256(pepper ‖ secret). The pepper
// is derived from the application key and never stored, so a copy of the database
// alone does not let anyone test guesses. A fast hash is right here: the secret has
// ~345 bits of entropy, and it is checked on every request.
func Hash(pepper []byte, secret string) [32]byte {
	h := sha256.New()
	h.Write(pepper)
	h.Write([]byte(secret))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Verify compares the hash of secret with stored in constant time.
func Verify(pepper []byte, secret string, stored []byte) bool {
	h := Hash(pepper, secret)
	return subtle.ConstantTimeCompare(h[:], stored) == 1
}
