package federation

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSafeNextKeepsRedirectsInTheSPA(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/users?page=2":        "/users?page=2",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"/login?next=/x":       "/",
		"/api/v1/auth/me":      "/",
		"/users\r\nX-A: b":     "/",
	} {
		assert.Equal(t, want, safeNext(in), in)
	}
}

func TestKerberosLogin(t *testing.T) {
	for in, want := range map[string]string{
		"alice@CUSTOS.TEST": "alice",
		`CORP\Bob`:          "bob",
		" carol ":           "carol",
		"":                  "",
		"*)(uid=*":          "",
		"a b":               "",
	} {
		assert.Equal(t, want, kerberosLogin(in), in)
	}
}

func TestTrustedPeers(t *testing.T) {
	_, n, _ := net.ParseCIDR("10.0.0.0/8")
	s := &Service{opt: Options{TrustedProxies: []*net.IPNet{n}}}
	assert.True(t, s.trusted("10.1.2.3:5555"))
	assert.False(t, s.trusted("127.0.0.1:5555"))
	assert.False(t, s.trusted("garbage"))
	assert.False(t, (&Service{}).trusted("10.1.2.3:1"), "no proxies configured: nobody is trusted")
}

func TestUnverifiedIssuer(t *testing.T) {
	iss, ok := unverifiedIssuer("eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIn0.")
	assert.True(t, ok)
	assert.Equal(t, "https://idp.example", iss)
	for _, bad := range []string{"", "a.b", "a.!!!.c", "a.eyJ4IjoxfQ.c"} {
		_, ok := unverifiedIssuer(bad)
		assert.False(t, ok, bad)
	}
}

func TestRESTServiceThatHangsIsCutOff(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(func() { close(release); srv.Close() })
	s := &Service{opt: Options{HTTPTimeout: 300 * time.Millisecond}, hc: newHTTPClient(300 * time.Millisecond)}
	start := time.Now()
	_, _, err := s.postCredentials(context.Background(), srv.URL, "a", "b")
	require.Error(t, err)
	assert.Less(t, time.Since(start), 3*time.Second)
}
