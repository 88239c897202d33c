// Package crypto holds password hashing, random values and the secret box that
// encrypts secrets at rest.
package crypto

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 iterations, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Hasher bounds concurrent argon2id work by the core count so a login storm cannot
// exhaust memory (each hash holds 19 MiB while it runs).
type Hasher struct {
	sem          chan struct{}
	verifies     atomic.Int64
	memory, time uint32
	dummy        string
}

// NewHasher makes a hasher allowing n concurrent hashes (0 = number of CPUs).
func NewHasher(n int) *Hasher {
	if n <= 0 {
		n = runtime.NumCPU()
	}
	return &Hasher{sem: make(chan struct{}, n), memory: argonMemory, time: argonTime, dummy: DummyHash}
}

// NewHasherWithParams makes a hasher whose new hashes cost memoryKiB and iterations
// instead of the OWASP minimum. Only tests use it, to make their thousands of fixture
// hashes cheap; the hashes keep the PHC format, so verifying them stays the real thing.
func NewHasherWithParams(n int, memoryKiB, iterations uint32) *Hasher {
	h := NewHasher(n)
	h.memory, h.time = memoryKiB, iterations
	h.dummy, _ = h.Hash(context.Background(), RandomToken(16))
	return h
}

// Dummy is a hash of this hasher's parameters that no password matches: verified
// against when a user has no password, it costs what a real verification costs.
func (h *Hasher) Dummy() string { return h.dummy }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hash returns the PHC string of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.sem }()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.time, h.memory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.memory, h.time, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify checks password against a PHC string in constant time. An empty hash never matches.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, err
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.sem }()
	h.verifies.Add(1)
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Verifications counts the argon2id verifications done so far: tests prove with it how
// many passwords a burst of sign-ins really checked.
func (h *Hasher) Verifications() int64 { return h.verifies.Load() }

// DummyHash is verified against when the user does not exist, so unknown users
// and wrong passwords take the same time.
const DummyHash = "$argon2id$v=19$m=19456,t=2,p=1$8h3Kae0GiIxVbMaPpCGl5Q$y8zzgh5sR0YQ9SLXfJaZEarl0KjYZ+f/g2DC/PH5X2Y"

// RandomString returns n characters from an unambiguous alphabet.
func RandomString(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// RandomToken returns a URL-safe random token of n bytes of entropy.
func RandomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
