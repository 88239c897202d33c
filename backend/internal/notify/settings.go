package notify

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/mail"
	"strconv"
	"strings"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/validate"
)

// smtpConfig is the settings with the password opened, for sending only.
type smtpConfig struct {
	Host, From, TLSMode, Username, Password string
	Port                                    int
	// RootCAs is the trusted CA of tls_ca_pem; nil: the system roots.
	RootCAs *x509.CertPool
}

func (c smtpConfig) configured() bool { return c.Host != "" && c.From != "" }

// GetSettings answers the SMTP settings (never the password).
func (s *Service) GetSettings(ctx context.Context) (Settings, error) {
	r, err := s.store.settings(ctx, false)
	return r.toAPI(), err
}

func (s *Service) config(ctx context.Context) (smtpConfig, error) {
	r, err := s.store.settings(ctx, false)
	if err != nil {
		return smtpConfig{}, err
	}
	pw := ""
	if r.Password != "" {
		if pw, err = s.box.Open(r.Password); err != nil {
			return smtpConfig{}, err
		}
	}
	cfg := smtpConfig{Host: r.Host, Port: r.Port, From: r.FromAddress, TLSMode: r.TLSMode, Username: r.Username, Password: pw}
	if r.TLSCAPEM != "" {
		if cfg.RootCAs, err = caPool(r.TLSCAPEM); err != nil {
			return smtpConfig{}, err
		}
	}
	return cfg, nil
}

// maxCAPEM bounds tls_ca_pem (a few CA certificates).
const maxCAPEM = 64 << 10

// caPool parses tls_ca_pem: one or more PEM CERTIFICATE blocks and nothing else.
func caPool(s string) (*x509.CertPool, error) {
	rest := []byte(strings.TrimSpace(s))
	pool := x509.NewCertPool()
	n := 0
	for len(rest) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("must hold only PEM CERTIFICATE blocks")
		}
		if b.Type != "CERTIFICATE" {
			return nil, errors.New("must hold only PEM CERTIFICATE blocks, not " + b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errors.New("a certificate does not parse: " + err.Error())
		}
		pool.AddCert(c)
		n++
		rest = []byte(strings.TrimSpace(string(rest)))
	}
	if n == 0 {
		return nil, errors.New("must hold a PEM CERTIFICATE block")
	}
	return pool, nil
}

func checkHost(c *validate.Checks, host string) {
	switch {
	case host == "":
	case len(host) > 253 || strings.ContainsAny(host, " /:@\t\r\n") && net.ParseIP(host) == nil:
		c.Add("host", "invalidFormat", "must be a host name or an IP address")
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// PutSettings replaces the SMTP settings (version-guarded); the password is sealed with
// the app key, and the audit event says only whether one is set.
func (s *Service) PutSettings(ctx context.Context, in SettingsInput) (Settings, error) {
	var c validate.Checks
	host := strings.TrimSpace(in.Host)
	from := strings.TrimSpace(in.From)
	mode := in.TLSMode
	if mode == "" {
		mode = TLSNone
	}
	checkHost(&c, host)
	c.OneOf("tls_mode", mode, TLSNone, TLSStartTLS, TLSImplicit)
	if in.Port < 0 || in.Port > 65535 || (host != "" && in.Port == 0) {
		c.Add("port", "outOfRange", "must be 1..65535")
	}
	if from != "" {
		if a, err := mail.ParseAddress(from); err != nil || a.Address != from {
			c.Add("from", "invalidFormat", "must be an e-mail address such as custos@example.com")
		}
	} else if host != "" {
		c.Add("from", "required", "the sender's address is required when a host is set")
	}
	c.Text("username", in.Username, false, 320)
	if strings.TrimSpace(in.Username) != "" && mode == TLSNone && !c.Has("host") && !isLoopback(host) {
		// Go's PLAIN authentication refuses to send credentials in clear text but to localhost.
		c.Add("tls_mode", "credentialsNeedTLS", "a user name and password are sent only over TLS: choose starttls or tls")
	}
	if in.Password != nil {
		c.Text("password", *in.Password, false, 1000)
	}
	caPEM := strings.TrimSpace(in.TLSCAPEM)
	if len(caPEM) > maxCAPEM {
		c.Add("tls_ca_pem", "tooLong", "must be at most 64 KiB of PEM")
	} else if caPEM != "" {
		if _, err := caPool(caPEM); err != nil {
			c.Add("tls_ca_pem", "invalidFormat", err.Error())
		}
		caPEM += "\n"
	}
	if err := c.Err(); err != nil {
		return Settings{}, err
	}
	var out Settings
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.store.settings(ctx, true)
		if err != nil {
			return err
		}
		if r.Version != in.Version {
			return apperr.Conflict(r.toAPI())
		}
		before := r.toAPI()
		fields := map[string]any{"host": host, "port": in.Port, "from_address": from, "tls_mode": mode,
			"username": strings.TrimSpace(in.Username), "tls_ca_pem": caPEM, "version": r.Version + 1, "updated_at": s.now()}
		if in.Password != nil {
			sealed := ""
			if *in.Password != "" {
				if sealed, err = s.box.Seal(*in.Password); err != nil {
					return err
				}
			}
			fields["password"] = sealed
		}
		if err := s.store.updateSettings(ctx, r.Version, fields); err != nil {
			return err
		}
		if r, err = s.store.settings(ctx, false); err != nil {
			return err
		}
		out = r.toAPI()
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceSettings, ResourceID: "smtp",
			ResourceName: "SMTP", Before: before, After: out})
	})
	return out, err
}

// SendTest sends a test mail to in.To now (not through the outbox), in the caller's
// language, so an administrator sees at once whether the settings work.
func (s *Service) SendTest(ctx context.Context, in TestInput) (TestResult, error) {
	lang := "ru"
	if p := authz.FromContext(ctx); p != nil && p.UserID != "" {
		if u, err := s.dir.GetUser(ctx, p.UserID); err == nil {
			lang = Language(u)
		}
	}
	var c validate.Checks
	to := strings.TrimSpace(in.To)
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
		c.Add("to", "invalidFormat", "must be an e-mail address")
	}
	if err := c.Err(); err != nil {
		return TestResult{}, err
	}
	cfg, err := s.config(ctx)
	if err != nil {
		return TestResult{}, err
	}
	if !cfg.configured() {
		return TestResult{}, errNotConfigured
	}
	m := render(KindTest, lang, mailData{Host: cfg.Host + ":" + strconv.Itoa(cfg.Port)})
	if err := s.send(ctx, cfg, to, KindTest, lang, m); err != nil {
		_ = audit.RecordAlone(ctx, s.db, audit.Entry{Action: "test", ResourceType: ResourceSettings, ResourceID: "smtp",
			ResourceName: "SMTP", After: map[string]any{"to": to, "sent": false}, Reason: cleanErr(err)})
		return TestResult{}, errSend(err)
	}
	_ = audit.RecordAlone(ctx, s.db, audit.Entry{Action: "test", ResourceType: ResourceSettings, ResourceID: "smtp",
		ResourceName: "SMTP", After: map[string]any{"to": to, "sent": true}})
	return TestResult{To: to, Sent: true}, nil
}
