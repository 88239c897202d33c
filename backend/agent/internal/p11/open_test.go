package p11

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenRefusesWhatIsNotAPKCS11Library(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "module.so")
	if err := os.WriteFile(text, []byte("not a library\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"":                           "set CUSTOS_AGENT_PKCS11_MODULE",
		filepath.Join(dir, "absent"): "no such file",
		dir:                          "is not a file",
		text:                         "is not a PKCS#11 library",
	}
	// A real shared object that is not a PKCS#11 module (the C library, a PIE binary).
	for _, so := range []string{"/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/bin/sh"} {
		if _, err := os.Stat(so); err == nil {
			cases[so] = "is not a PKCS#11 library"
		}
	}
	for path, want := range cases {
		m, err := Open(path)
		if err == nil {
			m.Close()
			t.Errorf("%q was loaded as a PKCS#11 module", path)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want a message with %q", path, err, want)
		}
	}
}

func TestParseID(t *testing.T) {
	if id, err := ParseID("a1B2"); err != nil || len(id) != 2 {
		t.Fatalf("a1B2: %x %v", id, err)
	}
	for _, bad := range []string{"", "zz", "1", strings.Repeat("00", 65)} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
