package pairing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newStore(t *testing.T) (*Store, *clock, string) {
	t.Helper()
	c := &clock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "sub", "state.json")
	s, err := Open(path, c.now)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, path
}

func TestPairOnceThenReplayRefused(t *testing.T) {
	s, _, path := newStore(t)
	code, _, err := s.NewCode()
	if err != nil || len(code) != 8 {
		t.Fatalf("code %q, %v", code, err)
	}
	secret, err := s.Pair(code, "https://Console.Example:8443/")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Check(secret, "https://console.example:8443") {
		t.Fatal("the secret does not work for its origin")
	}
	if s.Check(secret, "https://evil.example") {
		t.Fatal("the secret works for another origin")
	}
	if _, err := s.Pair(code, "https://console.example:8443"); !errors.Is(err, ErrNoCode) {
		t.Fatalf("replayed code: %v, want refused", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), secret) || !strings.Contains(string(b), "https://console.example:8443") {
		t.Fatalf("state file must hold the origin and only a hash of the secret: %s", b)
	}
	// A restarted agent still knows the pairing.
	again, err := Open(path, nil)
	if err != nil || !again.Check(secret, "https://console.example:8443") {
		t.Fatalf("pairing lost across a restart: %v", err)
	}
}

func TestExpiredCodeRefused(t *testing.T) {
	s, c, _ := newStore(t)
	code, _, _ := s.NewCode()
	c.t = c.t.Add(CodeTTL)
	if _, err := s.Pair(code, "http://localhost:8080"); !errors.Is(err, ErrExpiredCode) {
		t.Fatalf("expired code: %v", err)
	}
	if _, err := s.Pair(code, "http://localhost:8080"); err == nil {
		t.Fatal("an expired code worked on a second try")
	}
}

func TestWrongCodesLockPairingForAMinute(t *testing.T) {
	s, c, _ := newStore(t)
	code, _, _ := s.NewCode()
	wrong := "00000000"
	if wrong == code {
		wrong = "11111111"
	}
	for i := 1; i < MaxFailures; i++ {
		if _, err := s.Pair(wrong, "http://localhost:8080"); !errors.Is(err, ErrBadCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	var locked *LockedError
	if _, err := s.Pair(wrong, "http://localhost:8080"); !errors.As(err, &locked) {
		t.Fatalf("5th wrong code: %v, want locked", err)
	}
	if _, err := s.Pair(code, "http://localhost:8080"); !errors.As(err, &locked) {
		t.Fatalf("right code while locked: %v, want locked", err)
	}
	c.t = c.t.Add(LockFor)
	if _, err := s.Pair(code, "http://localhost:8080"); err != nil {
		t.Fatalf("right code after the lock: %v", err)
	}
}

func TestNewCodeReplacesTheOld(t *testing.T) {
	s, _, _ := newStore(t)
	old, _, _ := s.NewCode()
	cur, _, _ := s.NewCode()
	if old != cur {
		if _, err := s.Pair(old, "http://localhost:8080"); !errors.Is(err, ErrBadCode) {
			t.Fatalf("old code: %v", err)
		}
	}
	if _, err := s.Pair(cur[:4]+" "+cur[4:], "http://localhost:8080"); err != nil {
		t.Fatalf("the code as shown (with a space): %v", err)
	}
}

func TestOrigins(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:8080": "http://localhost:8080", "HTTPS://Custos.Example": "https://custos.example",
		"https://custos.example/": "https://custos.example",
	} {
		if got, err := NormalizeOrigin(in); err != nil || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "null", "file:///x", "https://custos.example/path", "custos.example", "https://u:p@x.example"} {
		if _, err := NormalizeOrigin(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestUnpair(t *testing.T) {
	s, _, _ := newStore(t)
	code, _, _ := s.NewCode()
	secret, _ := s.Pair(code, "http://localhost:8080")
	if err := s.Unpair(secret); err != nil {
		t.Fatal(err)
	}
	if s.Check(secret, "http://localhost:8080") || s.Paired("http://localhost:8080") {
		t.Fatal("still paired after unpairing")
	}
}
