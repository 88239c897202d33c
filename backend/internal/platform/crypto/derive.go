package crypto

import (
	"crypto/hmac"
	"crypto/sha256"
)

// Derive returns a 32-byte subkey of the application key for one purpose (HMAC-SHA256
// of the label under the key), so each use has its own key and none of them exposes
// the application key itself. Labels are fixed strings such as "custos/api-token-pepper/v1";
// changing the application key changes every derived key.
func Derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}
