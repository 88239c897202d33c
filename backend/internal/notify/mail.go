package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/google/uuid"
)

// Kinds of mail (the X-Custos-Mail header and the outbox's kind).
const (
	KindApproved = "issuance.approved"
	KindRejected = "issuance.rejected"
	KindPIN      = "device.pin"
	KindTest     = "smtp.test"
)

// mailData fills the templates.
type mailData struct {
	Name    string // the person the mail is about
	By      string // who decided
	Comment string
	PIN     string
	Serial  string
	Host    string
	// ForManager: the PIN mail to the person's manager.
	ForManager bool
}

// templates are the subject and body of each kind of mail in each language.
var templates = map[string]map[string][2]string{
	KindApproved: {
		"ru": {"Выпуск устройства одобрен", "Здравствуйте, {{.Name}}!\n\nВаш запрос на выпуск устройства одобрен{{if .By}} ({{.By}}){{end}}.\n{{if .Comment}}Комментарий: {{.Comment}}\n{{end}}\nОткройте сервис самообслуживания и нажмите «Продолжить выпуск устройства».\n\n— Custos\n"},
		"en": {"Device issuance approved", "Hello {{.Name}},\n\nyour device issuance request was approved{{if .By}} by {{.By}}{{end}}.\n{{if .Comment}}Comment: {{.Comment}}\n{{end}}\nOpen self-service and press «Continue device issuance».\n\n— Custos\n"},
	},
	KindRejected: {
		"ru": {"Выпуск устройства отклонён", "Здравствуйте, {{.Name}}!\n\nВаш запрос на выпуск устройства отклонён{{if .By}} ({{.By}}){{end}}.\nКомментарий: {{.Comment}}\n\n— Custos\n"},
		"en": {"Device issuance rejected", "Hello {{.Name}},\n\nyour device issuance request was rejected{{if .By}} by {{.By}}{{end}}.\nComment: {{.Comment}}\n\n— Custos\n"},
	},
	KindPIN: {
		"ru": {"PIN-код пользователя устройства", "Здравствуйте!\n\n{{if .ForManager}}Для устройства сотрудника {{.Name}}{{else}}Для вашего устройства{{end}}{{if .Serial}} (серийный номер {{.Serial}}){{end}} установлен PIN-код пользователя:\n\n    {{.PIN}}\n\nНикому не сообщайте его и удалите это письмо, запомнив PIN-код.\n\n— Custos\n"},
		"en": {"The user PIN of a device", "Hello,\n\n{{if .ForManager}}the device of {{.Name}}{{else}}your device{{end}}{{if .Serial}} (serial number {{.Serial}}){{end}} now has this user PIN:\n\n    {{.PIN}}\n\nTell it to nobody, and delete this mail once you remember the PIN.\n\n— Custos\n"},
	},
	KindTest: {
		"ru": {"Custos: проверка почты", "Это проверочное письмо Custos: сервер {{.Host}} принял его.\n"},
		"en": {"Custos: test message", "This is a Custos test message: the server {{.Host}} accepted it.\n"},
	},
}

var parsed = func() map[string]map[string][2]*template.Template {
	out := map[string]map[string][2]*template.Template{}
	for kind, langs := range templates {
		out[kind] = map[string][2]*template.Template{}
		for lang, t := range langs {
			out[kind][lang] = [2]*template.Template{template.Must(template.New("s").Parse(t[0])),
				template.Must(template.New("b").Parse(t[1]))}
		}
	}
	return out
}()

// rendered is a mail's subject and body.
type rendered struct{ Subject, Body string }

func render(kind, lang string, d mailData) rendered {
	t, ok := parsed[kind][lang]
	if !ok {
		t = parsed[kind]["ru"]
	}
	var s, b bytes.Buffer
	_ = t[0].Execute(&s, d)
	_ = t[1].Execute(&b, d)
	return rendered{Subject: s.String(), Body: b.String()}
}

// message is the RFC 5322 text of a mail: UTF-8 subject in encoded words, the body
// quoted-printable.
func message(from, to, kind, lang string, m rendered, at time.Time) []byte {
	var b bytes.Buffer
	domain := from[strings.LastIndex(from, "@")+1:]
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from)
	h("To", to)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", at.Format(time.RFC1123Z))
	h("Message-ID", "<"+uuid.NewString()+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Content-Language", lang)
	h("X-Custos-Mail", kind)
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	_ = w.Close()
	return b.Bytes()
}

// send delivers one mail to to over SMTP now.
func (s *Service) send(ctx context.Context, cfg smtpConfig, to, kind, lang string, m rendered) error {
	if !cfg.configured() {
		return errors.New("outgoing mail is not configured")
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	dl := net.Dialer{Timeout: 10 * time.Second}
	// RootCAs nil: the system roots; never InsecureSkipVerify.
	tc := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: cfg.RootCAs}
	var conn net.Conn
	var err error
	if cfg.TLSMode == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: &dl, Config: tc}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dl.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(s.timeout))
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		_ = conn.Close()
		return err
	}
	defer c.Close()
	if cfg.TLSMode == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS")
		}
		if err := c.StartTLS(tc); err != nil {
			return err
		}
	}
	if cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(message(cfg.From, to, kind, lang, m, s.now())); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
