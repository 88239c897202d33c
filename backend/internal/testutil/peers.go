package testutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	smevPeerOnce sync.Once
	smevPeerBin  string
	smevPeerErr  error
)

// freePort answers a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startProcess runs cmd until the test ends and waits until it listens on addr; false
// when it exited first (a port taken between the check and its bind).
func startProcess(t testing.TB, cmd *exec.Cmd, addr string) bool {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			return true
		}
		select {
		case <-exited:
			t.Logf("%s exited before listening:\n%s", filepath.Base(cmd.Path), out.String())
			return false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not listen on %s:\n%s", filepath.Base(cmd.Path), addr, out.String())
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// StartSMEVPeer builds backend/cmd/smev-peer (once per test binary) and runs it for the
// test with people as its file of known persons, answering after delay. It answers the
// URL to set as CUSTOS_SMEV_URL.
func StartSMEVPeer(t testing.TB, people []map[string]string, delay time.Duration) string {
	t.Helper()
	smevPeerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "custos-smev-peer.")
		if err != nil {
			smevPeerErr = err
			return
		}
		smevPeerBin = filepath.Join(dir, "smev-peer")
		cmd := exec.Command("go", "build", "-o", smevPeerBin, "./cmd/smev-peer")
		cmd.Dir = filepath.Join(repoRoot(t), "backend")
		if out, err := cmd.CombinedOutput(); err != nil {
			smevPeerErr = fmt.Errorf("go build ./cmd/smev-peer: %v\n%s", err, out)
		}
	})
	if smevPeerErr != nil {
		t.Fatal(smevPeerErr)
	}
	file := filepath.Join(t.TempDir(), "people.json")
	b, _ := json.Marshal(people)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for attempt := 0; attempt < 3; attempt++ {
		addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		cmd := exec.Command(smevPeerBin, "-addr", addr, "-people", file, "-delay", delay.String())
		if startProcess(t, cmd, addr) {
			return "http://" + addr + "/check"
		}
	}
	t.Fatal("smev-peer did not start")
	return ""
}

// MailSink is a real SMTP server (Debian's python3-aiosmtpd) writing every message it
// receives into a Maildir.
type MailSink struct {
	Host string
	Port int
	dir  string
	// authLog is the file the sink's authenticator appends each AUTH attempt to.
	authLog string
}

// Modes of MailSinkOptions.TLS.
const (
	SinkPlain    = ""         // no TLS (aiosmtpd's command line, as StartMailSink runs it)
	SinkStartTLS = "starttls" // STARTTLS offered and required before any mail command
	SinkTLS      = "tls"      // implicit TLS: TLS from the first byte
)

// MailSinkOptions make the sink speak TLS and require AUTH.
type MailSinkOptions struct {
	TLS string
	// CertPEM and KeyPEM are the server's certificate (chain) and key: required with TLS.
	CertPEM, KeyPEM []byte
	// User and Password, when User is set, are the only credentials the sink accepts
	// (AUTH PLAIN or LOGIN, only over TLS); it refuses mail without AUTH.
	User, Password string
}

// SinkAuth is one AUTH attempt the sink saw (never the password).
type SinkAuth struct {
	Mechanism string `json:"mechanism"`
	Login     string `json:"login"`
	Success   bool   `json:"success"`
	// TLS: the attempt came over TLS (STARTTLS or implicit).
	TLS bool `json:"tls"`
}

// mailSinkScript runs aiosmtpd's Controller with TLS and AUTH as its arguments say.
// aiosmtpd 1.4.3 (Debian 12) treats only STARTTLS as TLS for auth_require_tls, so in
// implicit TLS mode the check is off: the whole connection is TLS there.
const mailSinkScript = `
import argparse, json, signal, ssl
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument("--host"); p.add_argument("--port", type=int); p.add_argument("--maildir")
p.add_argument("--mode", choices=["plain", "starttls", "tls"]); p.add_argument("--cert"); p.add_argument("--key")
p.add_argument("--user", default=""); p.add_argument("--password-file"); p.add_argument("--auth-log")
a = p.parse_args()

ctx = None
if a.mode != "plain":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
kw = {}
if a.mode == "starttls":
    kw.update(tls_context=ctx, require_starttls=True)
if a.user:
    with open(a.password_file) as f:
        password = f.read()

    def authenticator(server, session, envelope, mechanism, auth_data):
        login = ""
        ok = False
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            ok = login == a.user and auth_data.password.decode("utf-8", "replace") == password
        tls = server.transport is not None and server.transport.get_extra_info("ssl_object") is not None
        with open(a.auth_log, "a") as f:
            f.write(json.dumps({"mechanism": mechanism, "login": login, "success": ok, "tls": tls}) + "\n")
        return AuthResult(success=ok, handled=False)

    kw.update(authenticator=authenticator, auth_required=True, auth_require_tls=(a.mode != "tls"))

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
c = Controller(Mailbox(a.maildir), hostname=a.host, port=a.port,
               ssl_context=ctx if a.mode == "tls" else None, **kw)
c.start()
print("listening", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
c.stop()
`

// Mail is one received message, decoded.
type Mail struct {
	// Envelope: the SMTP MAIL FROM and RCPT TO.
	EnvelopeFrom string
	EnvelopeTo   []string
	Header       mail.Header
	Subject      string
	Body         string
}

// aiosmtpdPython is a Python that has aiosmtpd ("" when none has it).
func aiosmtpdPython() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import aiosmtpd").Run() == nil {
			return p
		}
	}
	return ""
}

// StartMailSink starts aiosmtpd for the test. Without it the test is skipped loudly — or
// fails when CUSTOS_REQUIRE_SMTP=1 (scripts/install-deps.sh installs python3-aiosmtpd).
func StartMailSink(t testing.TB) *MailSink {
	t.Helper()
	py := aiosmtpdPython()
	if py == "" {
		if os.Getenv("CUSTOS_REQUIRE_SMTP") == "1" {
			t.Fatal("python3-aiosmtpd is required (CUSTOS_REQUIRE_SMTP=1) but missing: run scripts/install-deps.sh")
		}
		t.Skip("!!! python3-aiosmtpd is not installed: the mail tests are NOT running (scripts/install-deps.sh installs it)")
	}
	dir := filepath.Join(t.TempDir(), "maildir")
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(py, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Mailbox", "-l", addr, dir)
		if startProcess(t, cmd, addr) {
			return &MailSink{Host: "127.0.0.1", Port: port, dir: dir}
		}
	}
	t.Fatal("aiosmtpd did not start")
	return nil
}

// StartMailSinkWith starts aiosmtpd for the test with TLS and AUTH as o says (skipped or
// failing like StartMailSink when aiosmtpd is missing). With o zero it is StartMailSink.
func StartMailSinkWith(t testing.TB, o MailSinkOptions) *MailSink {
	t.Helper()
	if o.TLS == SinkPlain && o.User == "" {
		return StartMailSink(t)
	}
	py := aiosmtpdPython()
	if py == "" {
		if os.Getenv("CUSTOS_REQUIRE_SMTP") == "1" {
			t.Fatal("python3-aiosmtpd is required (CUSTOS_REQUIRE_SMTP=1) but missing: run scripts/install-deps.sh")
		}
		t.Skip("!!! python3-aiosmtpd is not installed: the mail tests are NOT running (scripts/install-deps.sh installs it)")
	}
	if o.TLS != SinkPlain && o.TLS != SinkStartTLS && o.TLS != SinkTLS {
		t.Fatalf("mail sink: unknown TLS mode %q", o.TLS)
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "maildir")
	write := func(name string, b []byte) string {
		f := filepath.Join(tmp, name)
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	mode := o.TLS
	if mode == SinkPlain {
		mode = "plain"
	}
	args := []string{"-c", mailSinkScript, "--host", "127.0.0.1", "--maildir", dir, "--mode", mode,
		"--auth-log", filepath.Join(tmp, "auth.log")}
	if o.TLS != SinkPlain {
		if len(o.CertPEM) == 0 || len(o.KeyPEM) == 0 {
			t.Fatal("mail sink: TLS needs CertPEM and KeyPEM")
		}
		args = append(args, "--cert", write("cert.pem", o.CertPEM), "--key", write("key.pem", o.KeyPEM))
	}
	if o.User != "" {
		args = append(args, "--user", o.User, "--password-file", write("password", []byte(o.Password)))
	}
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(py, append(args, "--port", strconv.Itoa(port))...)
		if startProcess(t, cmd, addr) {
			return &MailSink{Host: "127.0.0.1", Port: port, dir: dir, authLog: filepath.Join(tmp, "auth.log")}
		}
	}
	t.Fatal("aiosmtpd did not start")
	return nil
}

// Auths answers the AUTH attempts the sink saw so far, oldest first.
func (s *MailSink) Auths(t testing.TB) []SinkAuth {
	t.Helper()
	if s.authLog == "" {
		return nil
	}
	b, err := os.ReadFile(s.authLog)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []SinkAuth
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var a SinkAuth
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("auth log %q: %v", line, err)
		}
		out = append(out, a)
	}
	return out
}

// Messages answers what the sink received so far, oldest first.
func (s *MailSink) Messages(t testing.TB) []Mail {
	t.Helper()
	var files []string
	for _, sub := range []string{"new", "cur"} {
		es, _ := os.ReadDir(filepath.Join(s.dir, sub))
		for _, e := range es {
			files = append(files, filepath.Join(s.dir, sub, e.Name()))
		}
	}
	sort.Slice(files, func(i, j int) bool {
		a, _ := os.Stat(files[i])
		b, _ := os.Stat(files[j])
		return a.ModTime().Before(b.ModTime())
	})
	var out []Mail
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		body, _ := io.ReadAll(m.Body)
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		}
		subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		var to []string
		for _, a := range strings.Split(m.Header.Get("X-RcptTo"), ",") {
			if a = strings.TrimSpace(a); a != "" {
				to = append(to, a)
			}
		}
		out = append(out, Mail{EnvelopeFrom: m.Header.Get("X-MailFrom"), EnvelopeTo: to, Header: m.Header, Subject: subj,
			Body: strings.ReplaceAll(string(body), "\r\n", "\n")})
	}
	return out
}

// WaitMessages waits (a few seconds at most) until the sink holds n messages and answers them.
func (s *MailSink) WaitMessages(t testing.TB, n int) []Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms := s.Messages(t)
		if len(ms) >= n || time.Now().After(deadline) {
			return ms
		}
		time.Sleep(30 * time.Millisecond)
	}
}
