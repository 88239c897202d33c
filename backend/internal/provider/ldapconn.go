package provider

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"custos/internal/platform/validate"
)

// tlsConfig trusts the provider's CA certificates, or the system roots without them.
func tlsConfig(p stored) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: p.Host, MinVersion: tls.VersionTLS12}
	if p.CACert != "" {
		pool, err := certPool(p.CACert)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// dialLDAP connects and binds step by step: DNS, TCP, TLS or STARTTLS, bind. It
// returns nil when a step failed (the tracer holds why). The connection's deadline is
// the context's, so a server that stops answering cannot hang the caller.
func dialLDAP(ctx context.Context, t *tracer, p stored, password string) *ldap.Conn {
	t.run(ctx, "dns", func(ctx context.Context) (string, error) { return lookup(ctx, p.Host) })
	var raw net.Conn
	addr := net.JoinHostPort(p.Host, strconv.Itoa(p.Port))
	t.run(ctx, "tcp", func(ctx context.Context) (string, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return "", err
		}
		raw = c
		return "connected to " + c.RemoteAddr().String(), nil
	})
	if raw == nil {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	conn := startLDAP(ctx, t, raw, p)
	if conn == nil {
		_ = raw.Close()
		return nil
	}
	conn.SetTimeout(t.timeout)
	ok := t.run(ctx, "bind", func(context.Context) (string, error) {
		if p.BindDN == "" {
			if err := conn.UnauthenticatedBind(""); err != nil {
				return "", err
			}
			return "bound anonymously", nil
		}
		if err := conn.Bind(p.BindDN, password); err != nil {
			if password == "" {
				return "", fmt.Errorf("%v (no bind password is stored)", err)
			}
			return "", err
		}
		return "bound as " + p.BindDN, nil
	})
	if !ok {
		_ = conn.Close()
		return nil
	}
	return conn
}

// startLDAP runs the TLS step the connection type asks for and starts the LDAP
// session on raw.
func startLDAP(ctx context.Context, t *tracer, raw net.Conn, p stored) *ldap.Conn {
	cfg, err := tlsConfig(p)
	if err != nil {
		t.run(ctx, "tls", func(context.Context) (string, error) { return "", err })
		return nil
	}
	switch p.Connection {
	case ConnSSL:
		var tc *tls.Conn
		if !t.run(ctx, "tls", func(ctx context.Context) (string, error) {
			tc = tls.Client(raw, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				return "", err
			}
			return tlsSummary(tc.ConnectionState()), nil
		}) {
			return nil
		}
		conn := ldap.NewConn(tc, true)
		conn.Start()
		return conn
	case ConnStartTLS:
		conn := ldap.NewConn(raw, false)
		conn.Start()
		conn.SetTimeout(t.timeout)
		if !t.run(ctx, "starttls", func(context.Context) (string, error) {
			if err := conn.StartTLS(cfg); err != nil {
				return "", err
			}
			st, _ := conn.TLSConnectionState()
			return tlsSummary(st), nil
		}) {
			_ = conn.Close()
			return nil
		}
		return conn
	}
	conn := ldap.NewConn(raw, false)
	conn.Start()
	return conn
}

func tlsSummary(st tls.ConnectionState) string {
	msg := "TLS " + tls.VersionName(st.Version)
	if len(st.PeerCertificates) > 0 {
		c := st.PeerCertificates[0]
		msg += ", certificate " + c.Subject.String() + " valid until " + c.NotAfter.UTC().Format(time.DateOnly)
	}
	return msg
}

// userFilter combines the provider's filter with the username attribute; login "*"
// (or empty) matches any user.
func userFilter(p stored, login string) string {
	f := "(" + p.UsernameAttribute + "=*)"
	if login != "" && login != "*" {
		f = "(" + p.UsernameAttribute + "=" + ldap.EscapeFilter(login) + ")"
	}
	if p.Filter != "" {
		f = "(&" + p.Filter + f + ")"
	}
	return f
}

// searchOne finds one user entry under the base DN with the filter.
func searchOne(conn *ldap.Conn, p stored) (string, error) {
	e, err := findEntry(conn, p, "")
	if err != nil {
		return "", err
	}
	if e == nil {
		return "", errors.New("no entry under " + p.BaseDN + " matches " + userFilter(p, ""))
	}
	return "found " + e.DN + " (" + p.UsernameAttribute + "=" + e.GetEqualFoldAttributeValue(p.UsernameAttribute) + ")", nil
}

// findEntry returns the first entry matching the user filter, or nil.
func findEntry(conn *ldap.Conn, p stored, login string) (*ldap.Entry, error) {
	req := ldap.NewSearchRequest(p.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 1, 10, false,
		userFilter(p, login), []string{"*"}, nil)
	res, err := conn.Search(req)
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		return nil, err
	}
	if res == nil || len(res.Entries) == 0 {
		return nil, nil
	}
	return res.Entries[0], nil
}

// entryClaims turns an LDAP entry into claims: one value as a string, several as a
// list; the DN under "dn"; names and values cleaned (validate.CleanClaims), since a
// directory's values may hold any bytes. Passwords are never carried over.
func entryClaims(e *ldap.Entry) Claims {
	out := Claims{"dn": e.DN}
	for _, a := range e.Attributes {
		if strings.EqualFold(a.Name, "userPassword") || strings.EqualFold(a.Name, "unicodePwd") {
			continue
		}
		// Binary values (jpegPhoto, objectGUID, objectSid…) are no user attribute
		// and could not be stored as text: only text values are kept.
		var vals []any
		for _, v := range a.Values {
			if validate.IsText(v) {
				vals = append(vals, v)
			}
		}
		switch len(vals) {
		case 0:
		case 1:
			out[a.Name] = vals[0]
		default:
			out[a.Name] = vals
		}
	}
	return validate.CleanClaims(out)
}
