package apitoken

import (
	"context"
	"io"
	"log/slog"
	"testing"
)

// BenchmarkAuthenticateCached times what a request with an organisation API token
// costs once its entry is cached (every request after the first): parse and checksum,
// cache look-up, peppered SHA-256 and constant-time compare, the principal, and the
// in-memory last-used note. No database is touched.
func BenchmarkAuthenticateCached(b *testing.B) {
	pepper := []byte("0123456789abcdef0123456789abcdef")
	s := NewService(nil, nil, pepper, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	parts, tok, err := Generate(KindAPI)
	if err != nil {
		b.Fatal(err)
	}
	h := Hash(pepper, parts.Secret)
	s.cache.Put(parts.PublicID, &entry{id: "t1", kind: KindAPI, name: "bench", hash: h[:], scopes: []string{"users.read"}}, 0)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Authenticate(ctx, tok, "127.0.0.1"); err != nil {
			b.Fatal(err)
		}
	}
}
