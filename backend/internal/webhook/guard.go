package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"custos/internal/platform/validate"
)

// Options are the delivery settings (CUSTOS_WEBHOOK_*).
type Options struct {
	// Timeout bounds one attempt: connect, send, answer (default 10 s).
	Timeout time.Duration
	// AllowHTTP are the host names (or addresses) a URL may name with plain http.
	AllowHTTP []string
	// AllowPrivate lets deliveries reach loopback, link-local, private addresses (on-premise).
	AllowPrivate bool
}

// checkURL validates a webhook URL at the API: https (or http to an allowed host), a
// host, no credentials, at most 2,048 characters.
func checkURL(c *validate.Checks, raw string, o Options) {
	if raw == "" {
		c.Add("url", "required", "is required")
		return
	}
	if len(raw) > maxURL {
		c.Add("url", "tooLong", "must be at most 2048 characters")
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "":
		c.Add("url", "invalidFormat", "must be an absolute https URL")
	case u.User != nil:
		c.Add("url", "credentials", "must not carry a user name or password")
	case u.Fragment != "":
		c.Add("url", "invalidFormat", "must not have a fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && slices.Contains(o.AllowHTTP, strings.ToLower(u.Hostname())):
	case u.Scheme == "http":
		c.Add("url", "insecure", "must be https (http only to hosts in CUSTOS_WEBHOOK_ALLOW_HTTP)")
	default:
		c.Add("url", "invalidFormat", "must be an https URL")
	}
}

// errBlocked is a delivery whose address, after DNS, is internal.
var errBlocked = errors.New("address refused")

// blocked says whether a delivery must not reach ip (unless private targets are allowed).
func blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsPrivate() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(ip) || // carrier-grade NAT
		netip.MustParsePrefix("0.0.0.0/8").Contains(ip)
}

// control runs after DNS, on the very address being dialled, so a name that resolves
// to an internal address (or rebinds to one between checks) is refused.
func control(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("%w: %s", errBlocked, address)
		}
		if !allowPrivate && blocked(ip) {
			return fmt.Errorf("%w: %s is loopback, link-local, private, unspecified or multicast", errBlocked, ip)
		}
		return nil
	}
}

// newClient is the HTTP client of deliveries: no proxy, no redirects followed, no
// kept connections, every dial checked by control, each attempt bounded by the timeout.
func newClient(o Options) *http.Client {
	d := &net.Dialer{Timeout: o.Timeout, Control: control(o.AllowPrivate)}
	tr := &http.Transport{Proxy: nil, DialContext: d.DialContext, DisableKeepAlives: true,
		TLSHandshakeTimeout: o.Timeout, ResponseHeaderTimeout: o.Timeout, MaxResponseHeaderBytes: 64 << 10}
	return &http.Client{Transport: tr, Timeout: o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// recheck refuses at delivery a URL that the API's rules no longer allow (the
// CUSTOS_WEBHOOK_ALLOW_HTTP list changed since).
func recheck(raw string, o Options) error {
	var c validate.Checks
	checkURL(&c, raw, o)
	if c.Err() != nil {
		return fmt.Errorf("%w: the URL is not allowed (https, or http to CUSTOS_WEBHOOK_ALLOW_HTTP hosts)", errBlocked)
	}
	return nil
}
