package webhook

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/validate"
)

func TestSignAndVerify(t *testing.T) {
	body := []byte(`{"id":"e1","type":"webhook.test"}`)
	now := time.Unix(1_800_000_000, 0)
	sig := Sign("whsec_k", now.Unix(), body)
	// Known answer: printf '1800000000.{...}' | openssl dgst -sha256 -hmac whsec_k
	assert.True(t, strings.HasPrefix(sig, "sha256="))
	assert.Len(t, sig, len("sha256=")+64)
	ts := strconv.FormatInt(now.Unix(), 10)
	assert.True(t, Verify("whsec_k", ts, sig, body, now.Add(time.Minute), ReplayWindow))
	assert.False(t, Verify("whsec_other", ts, sig, body, now, ReplayWindow), "another secret")
	assert.False(t, Verify("whsec_k", ts, sig, append(body, ' '), now, ReplayWindow), "another body")
	assert.False(t, Verify("whsec_k", ts, sig, body, now.Add(6*time.Minute), ReplayWindow), "a replay after the window")
	assert.False(t, Verify("whsec_k", "x", sig, body, now, ReplayWindow))
}

func TestBackoffDoublesUpToTheCapAndEndsAfterADay(t *testing.T) {
	assert.Equal(t, 30*time.Second, backoff(1))
	assert.Equal(t, time.Minute, backoff(2))
	assert.Equal(t, 4*time.Minute, backoff(4))
	assert.Equal(t, MaxRetry, backoff(8))
	assert.Equal(t, MaxRetry, backoff(1000))
	var total time.Duration
	n := 0
	for total <= RetryFor {
		n++
		total += backoff(n)
	}
	assert.Less(t, n, 40, "a day of retries is a bounded number of attempts")
}

func TestCheckURL(t *testing.T) {
	o := Options{AllowHTTP: []string{"receiver.local"}}
	good := []string{"https://hooks.example.com/x?a=1", "http://receiver.local:8080/x", "https://[2001:db8::1]/x"}
	bad := []string{"", "http://hooks.example.com/", "ftp://hooks.example.com/", "https://u:p@hooks.example.com/",
		"https://u@hooks.example.com/", "https://" + strings.Repeat("a", 2048), "hooks.example.com/x", "https://h/#frag",
		"mailto:a@b", "https:///x", "http://RECEIVER.local.evil.com/"}
	for _, u := range good {
		var c validate.Checks
		checkURL(&c, u, o)
		assert.NoError(t, c.Err(), u)
	}
	for _, u := range bad {
		var c validate.Checks
		checkURL(&c, u, o)
		assert.Error(t, c.Err(), u)
		assert.True(t, c.Has("url"), u)
	}
}

func TestDialerRefusesInternalAddresses(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "127.5.5.5", "::1", "169.254.169.254", "fe80::1", "10.1.2.3", "172.16.0.1",
		"192.168.1.1", "fd00::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "100.64.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"} {
		assert.True(t, blocked(netip.MustParseAddr(a)), a)
		assert.ErrorIs(t, control(false)("tcp", netip.AddrPortFrom(netip.MustParseAddr(a), 443).String(), nil), errBlocked, a)
		assert.NoError(t, control(true)("tcp", netip.AddrPortFrom(netip.MustParseAddr(a), 443).String(), nil), a)
	}
	for _, a := range []string{"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"} {
		assert.False(t, blocked(netip.MustParseAddr(a)), a)
	}
}

// TestClientRefusesANameResolvingToLoopback: the check runs on the dialled address,
// after DNS, so "localhost" does not slip past it.
func TestClientRefusesANameResolvingToLoopback(t *testing.T) {
	c := newClient(Options{Timeout: 5 * time.Second})
	for _, u := range []string{"http://localhost:1/", "http://127.0.0.1:1/", "https://169.254.169.254/"} {
		req, err := http.NewRequestWithContext(context.Background(), "POST", u, nil)
		require.NoError(t, err)
		_, err = c.Do(req)
		require.Error(t, err, u)
		assert.ErrorIs(t, err, errBlocked, u)
	}
}
