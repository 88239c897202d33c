package testutil

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Visit is where a navigation ended and the URLs it passed through.
type Visit struct {
	Status int
	// Chain lists every URL requested, the first one first; the last is where it ended.
	Chain []*url.URL
}

// Final is the URL the navigation ended on.
func (v Visit) Final() *url.URL { return v.Chain[len(v.Chain)-1] }

// Passed returns the first URL of the chain whose path is path, or nil.
func (v Visit) Passed(path string) *url.URL {
	for _, u := range v.Chain {
		if u.Path == path {
			return u
		}
	}
	return nil
}

// Navigate GETs target as a browser does: following redirects, to other hosts too
// (an identity provider), with the client's cookies. target is a path of the app or
// an absolute URL.
func (c *Client) Navigate(target string, header ...string) Visit {
	c.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = c.base + target
	}
	var v Visit
	hc := *c.hc
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		v.Chain = append(v.Chain, req.URL)
		if len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	v.Chain = append(v.Chain, req.URL)
	res, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	v.Status = res.StatusCode
	return v
}
