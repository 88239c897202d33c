package provider

import (
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"custos/internal/platform/validate"
)

// Limits of the text fields.
const (
	maxName        = 200
	maxButtonLabel = 200
	maxClientID    = 255
	maxSecret      = 4096
	maxURL         = 2048
	maxHost        = 253
	maxDN          = 1024
	maxFilter      = 4096
	maxCACert      = 64 << 10
	maxGroups      = 200
)

var (
	hostRe     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$`)
	ldapAttrRe = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]{0,99}|[0-9]+(\.[0-9]+)+)$`)
)

// checkParams validates the merged parameters of a provider of typ.
func checkParams(c *validate.Checks, typ string, p stored, sec secrets, secretStored secretFlags) {
	switch {
	case IsOIDC(typ):
		c.Text("params.client_id", p.ClientID, true, maxClientID)
		checkURL(c, "params.external_url", p.ExternalURL)
		if sec.ClientSecret != nil {
			c.Text("params.client_secret", *sec.ClientSecret, true, maxSecret)
		} else if !secretStored.ClientSecret {
			c.Add("params.client_secret", "required", "is required")
		}
	case typ == TypeREST:
		checkURL(c, "params.external_url", p.ExternalURL)
	case typ == TypeLDAP:
		checkLDAP(c, p, sec, secretStored)
	}
}

func checkURL(c *validate.Checks, field, v string) {
	c.Text(field, v, true, maxURL)
	if c.Has(field) {
		return
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "":
		c.Add(field, "invalidFormat", "must be an absolute http:// or https:// URL")
	case u.User != nil:
		c.Add(field, "invalidFormat", "must not carry a user name or password")
	case u.Fragment != "" || u.RawQuery != "":
		c.Add(field, "invalidFormat", "must not have a query or fragment")
	}
}

func checkLDAP(c *validate.Checks, p stored, sec secrets, secretStored secretFlags) {
	c.Text("params.host", p.Host, true, maxHost)
	if !c.Has("params.host") && net.ParseIP(p.Host) == nil && !hostRe.MatchString(p.Host) {
		c.Add("params.host", "invalidFormat", "must be a host name or an IP address (no scheme, no port)")
	}
	if p.Port < 1 || p.Port > 65535 {
		c.Add("params.port", "outOfRange", "must be from 1 to 65535")
	}
	c.Text("params.bind_dn", p.BindDN, false, maxDN)
	if sec.BindPassword != nil {
		c.Text("params.bind_password", *sec.BindPassword, false, maxSecret)
	}
	hasPassword := (sec.BindPassword != nil && *sec.BindPassword != "") || (sec.BindPassword == nil && secretStored.BindPassword)
	if p.BindDN == "" && hasPassword && !c.Has("params.bind_password") {
		c.Add("params.bind_password", "needsBindDn", "a bind password needs a bind login (bind_dn)")
	}
	c.OneOf("params.connection", p.Connection, ConnPlain, ConnSSL, ConnStartTLS)
	c.OneOf("params.server_type", p.ServerType, ServerAD, ServerOpen)
	c.Text("params.base_dn", p.BaseDN, true, maxDN)
	if !c.Has("params.base_dn") {
		if _, err := ldap.ParseDN(p.BaseDN); err != nil {
			c.Add("params.base_dn", "invalidFormat", "is not a distinguished name such as ou=users,dc=example,dc=com")
		}
	}
	c.Text("params.filter", p.Filter, false, maxFilter)
	if p.Filter != "" && !c.Has("params.filter") {
		if msg := CheckFilter(p.Filter); msg != "" {
			c.Add("params.filter", "invalidLdapFilter", msg)
		}
	}
	c.Text("params.username_attribute", p.UsernameAttribute, true, 100)
	if !c.Has("params.username_attribute") && !ldapAttrRe.MatchString(p.UsernameAttribute) {
		c.Add("params.username_attribute", "invalidFormat", "is not an LDAP attribute name")
	}
	if len(p.CACert) > maxCACert {
		c.Add("params.ca_cert", "tooLong", "must be at most 64 KiB")
	} else if p.CACert != "" {
		if _, err := certPool(p.CACert); err != nil {
			c.Add("params.ca_cert", "invalidFormat", err.Error())
		}
	}
}

// CheckFilter validates an RFC 4515 LDAP filter and returns a message when it is not
// one (empty = valid).
func CheckFilter(f string) string {
	if !strings.HasPrefix(f, "(") {
		return "must be an RFC 4515 filter in parentheses, such as (objectClass=person)"
	}
	if msg := validateFilter(f); msg != "" {
		return "is not a valid RFC 4515 filter: " + msg
	}
	if _, err := ldap.CompileFilter(f); err != nil { // what sign-in will send must compile too
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return "is not a valid RFC 4515 filter: " + msg
	}
	return ""
}

// certPool parses PEM certificates.
func certPool(pemText string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	rest := []byte(pemText)
	n := 0
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, errText("holds a " + b.Type + " block; only CERTIFICATE blocks are accepted")
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errText("certificate " + strconv.Itoa(n+1) + " does not parse")
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 || strings.TrimSpace(string(rest)) != "" {
		return nil, errText("must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)")
	}
	return pool, nil
}

type errText string

func (e errText) Error() string { return string(e) }

// secretFlags tell which secrets a provider already has stored.
type secretFlags struct{ ClientSecret, BindPassword bool }
