package federation

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"

	"custos/internal/provider"
)

// FuzzBearerToken feeds arbitrary bearer credentials to the code that reads a JWT
// before and during verification: picking the issuer from the unverified payload,
// telling a JWT from another scheme's token, and the verifier configuration sign-in
// uses (audience = IA identifier, expiry with clock skew), against one genuinely
// signed token as the seed. Nothing may panic, and nothing but the genuine token
// (byte for byte in its signed parts) may verify.
func FuzzBearerToken(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	const iss = "https://idp.example/realms/corp"
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	claims := map[string]any{"iss": iss, "aud": "custos", "sub": "u-1", "preferred_username": "alice",
		"exp": now.Add(5 * time.Minute).Unix(), "iat": now.Unix()}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		f.Fatal(err)
	}
	body, _ := json.Marshal(claims)
	jws, err := signer.Sign(body)
	if err != nil {
		f.Fatal(err)
	}
	genuine, _ := jws.CompactSerialize()
	parts := strings.Split(genuine, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	for _, seed := range []string{
		genuine,
		parts[0] + "." + parts[1] + ".", // signature stripped
		b64([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".",                             // alg none
		b64([]byte(`{"alg":"HS256"}`)) + "." + parts[1] + "." + parts[2],                 // algorithm swapped
		parts[0] + "." + b64([]byte(`{"iss":"`+iss+`","aud":"other"}`)) + "." + parts[2], // payload swapped
		"", ".", "..", "a.b.c", "a.eyJpc3MiOiJ4In0.c", strings.Repeat("A", 5000) + ".e30.x",
		"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.x", "cst01.not.a.jwt", "\x00.\xff.\xfe",
	} {
		f.Add(seed)
	}
	s := &Service{opt: Options{ClockSkew: time.Minute}, now: func() time.Time { return now }}
	p := provider.Provider{Params: provider.Params{ClientID: ptr("custos")}}
	keys := &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{&key.PublicKey}}
	verifier := oidc.NewVerifier(iss, keys, s.verifierConfig(p))
	if _, err := verifier.Verify(context.Background(), genuine); err != nil {
		f.Fatalf("the genuine token must verify, or the fuzzing proves nothing: %v", err)
	}
	expired := oidc.NewVerifier(iss, keys, (&Service{opt: Options{ClockSkew: time.Minute},
		now: func() time.Time { return now.Add(7 * time.Minute) }}).verifierConfig(p))
	if _, err := expired.Verify(context.Background(), genuine); err == nil {
		f.Fatal("a token 2 minutes past its expiry (1 minute skew) must not verify")
	}

	f.Fuzz(func(t *testing.T, raw string) {
		if got, ok := unverifiedIssuer(raw); ok && got == "" {
			t.Fatalf("an issuer was read, but it is empty: %q", raw)
		}
		if looksLikeJWT(raw) && !strings.Contains(raw, ".") {
			t.Fatalf("%q has no payload, yet passed for a JWT", raw)
		}
		idt, err := verifier.Verify(context.Background(), raw)
		if err != nil {
			return
		}
		got := strings.Split(raw, ".")
		if len(got) != 3 || got[0] != parts[0] || got[1] != parts[1] {
			t.Fatalf("a token other than the signed one verified: %q", raw)
		}
		var c struct {
			Username string `json:"preferred_username"`
		}
		if err := idt.Claims(&c); err != nil || c.Username != "alice" || idt.Subject != "u-1" {
			t.Fatalf("verified claims differ from the signed ones: %+v %v", c, err)
		}
		if iss, ok := unverifiedIssuer(raw); !ok || iss != idt.Issuer {
			t.Fatalf("the issuer picked before verification (%q) is not the verified one (%q)", iss, idt.Issuer)
		}
	})
}

func ptr(s string) *string { return &s }
