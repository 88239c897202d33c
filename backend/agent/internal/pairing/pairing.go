// Package pairing binds the agent to the console origins a person paired it with. The
// agent shows a one-time 8-digit code (on its own terminal, never over HTTP); the person
// types it into the console, which sends it with its origin and gets a secret back.
// Every later call carries that secret and comes from that origin. The state file keeps
// only the SHA-256 of each secret, so reading it does not let anyone act as the console.
package pairing

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Limits of pairing.
const (
	CodeTTL     = 5 * time.Minute
	MaxFailures = 5
	LockFor     = time.Minute
	// MaxPairings keeps the newest pairings (browsers, profiles) and forgets older ones.
	MaxPairings = 16
)

// Errors of Pair.
var (
	ErrNoCode      = errors.New("no pairing code is active: ask the agent for a new one")
	ErrBadCode     = errors.New("the pairing code is wrong or was already used")
	ErrExpiredCode = errors.New("the pairing code has expired: ask the agent for a new one")
	ErrBadOrigin   = errors.New("origin must be the console's origin, scheme://host[:port]")
)

// LockedError says pairing is locked after too many wrong codes.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "too many wrong pairing codes: pairing is locked until " + e.Until.UTC().Format(time.RFC3339)
}

// Pairing is one paired console origin.
type Pairing struct {
	Origin     string    `json:"origin"`
	SecretHash string    `json:"secret_sha256"`
	PairedAt   time.Time `json:"paired_at"`
}

type state struct {
	Pairings []Pairing `json:"pairings"`
}

// Store holds the active code and the pairings, persisted in a 0600 state file.
type Store struct {
	path string
	now  func() time.Time

	mu        sync.Mutex
	st        state
	code      string
	codeUntil time.Time
	failures  int
	lockUntil time.Time
}

// Open reads the state file at path (a missing file is an empty state). now may be nil.
func Open(path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	s := &Store{path: path, now: now}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("agent state %s: %w", path, err)
	default:
		if err := json.Unmarshal(b, &s.st); err != nil {
			return nil, fmt.Errorf("agent state %s is not valid JSON: %w", path, err)
		}
	}
	return s, nil
}

// DefaultPath is the state file under the user's config directory.
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "custos-agent", "state.json")
}

// NewCode starts a pairing: a fresh single-use 8-digit code valid for CodeTTL,
// replacing any earlier one. The caller shows it on the agent's terminal.
func (s *Store) NewCode() (string, time.Time, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.code = fmt.Sprintf("%08d", n.Int64())
	s.codeUntil = s.now().Add(CodeTTL)
	return s.code, s.codeUntil, nil
}

// NormalizeOrigin checks a browser origin and answers it in canonical form.
func NormalizeOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", ErrBadOrigin
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// Pair checks the code and, when it is right, binds a new secret to origin and answers
// it (base64url of 32 random bytes). The code is spent on success; MaxFailures wrong
// codes lock pairing for LockFor.
func (s *Store) Pair(code, origin string) (string, error) {
	origin, err := NormalizeOrigin(origin)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if now.Before(s.lockUntil) {
		return "", &LockedError{Until: s.lockUntil}
	}
	code = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(code), " ", ""), "-", "")
	if s.code == "" || subtle.ConstantTimeCompare([]byte(code), []byte(s.code)) != 1 {
		s.failures++
		if s.failures >= MaxFailures {
			s.failures = 0
			s.lockUntil = now.Add(LockFor)
			return "", &LockedError{Until: s.lockUntil}
		}
		if s.code == "" {
			return "", ErrNoCode
		}
		return "", ErrBadCode
	}
	if !now.Before(s.codeUntil) {
		s.code = ""
		return "", ErrExpiredCode
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	next := append(s.st.Pairings, Pairing{Origin: origin, SecretHash: hash(secret), PairedAt: now.UTC()})
	if len(next) > MaxPairings {
		next = next[len(next)-MaxPairings:]
	}
	if err := s.save(state{Pairings: next}); err != nil {
		return "", err
	}
	s.st.Pairings = next
	s.code, s.failures = "", 0
	return secret, nil
}

// Check answers whether secret was issued to origin.
func (s *Store) Check(secret, origin string) bool {
	if secret == "" {
		return false
	}
	h := hash(secret)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.st.Pairings {
		if subtle.ConstantTimeCompare([]byte(p.SecretHash), []byte(h)) == 1 && p.Origin == origin {
			return true
		}
	}
	return false
}

// Paired answers whether origin holds any pairing (it then gets CORS answers).
func (s *Store) Paired(origin string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.st.Pairings {
		if p.Origin == origin {
			return true
		}
	}
	return false
}

// Unpair forgets the pairing of secret.
func (s *Store) Unpair(secret string) error {
	h := hash(secret)
	s.mu.Lock()
	defer s.mu.Unlock()
	var next []Pairing
	for _, p := range s.st.Pairings {
		if p.SecretHash != h {
			next = append(next, p)
		}
	}
	if err := s.save(state{Pairings: next}); err != nil {
		return err
	}
	s.st.Pairings = next
	return nil
}

// save writes the state atomically, readable by its owner only.
func (s *Store) save(st state) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("agent state: %w", err)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".state-*")
	if err != nil {
		return fmt.Errorf("agent state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("agent state: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("agent state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("agent state: %w", err)
	}
	return os.Rename(tmp.Name(), s.path)
}

func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
