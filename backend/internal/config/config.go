// Package config is the one typed configuration: defaults in code, then environment
// variables, then command-line flags.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the server.
type Config struct {
	// StatsRetentionDays is how many days of request statistics are kept (≥ 1).
	StatsRetentionDays int

	Addr             string
	DataDir          string
	DatabaseURL      string
	AdminPassword    string
	AppKey           string
	LogLevel         string
	LogFormat        string
	SessionIdle      time.Duration
	SessionAbsolute  time.Duration
	StepUpAge        time.Duration // how old the last second-factor proof may be before a step-up
	SecureCookies    bool
	LoginMaxFailures int
	LoginIPFailures  int
	LoginWindow      time.Duration
	LoginLockout     time.Duration
	LoginSlowAfter   int
	LoginMaxDelay    time.Duration
	TrustedProxies   []*net.IPNet
	KerberosHeader   string
	PublicURL        string
	ProviderTimeout  time.Duration
	// The mTLS entry of integrated systems: off when MTLSAddr is empty.
	MTLSAddr      string
	MTLSHostnames []string
	MTLSCertFile  string
	MTLSKeyFile   string
	// Webhook deliveries: the timeout of one attempt, the hosts plain http may reach,
	// and whether private addresses may be reached (on-premise receivers).
	WebhookTimeout      time.Duration
	WebhookAllowHTTP    []string
	WebhookAllowPrivate bool
	// CabinetRequireMTLS serves the client cabinet only on the mTLS listener, to people
	// whose browser presents their system's certificate (the seed's «технология mTLS»).
	CabinetRequireMTLS bool
	// ReplicaName names this process among replicas: the X-Custos-Replica answer header
	// (only when set) and the holder of a once-per-cluster job's lease.
	ReplicaName string
	// JobPeriods overrides the period of named background jobs (tests, operators).
	JobPeriods map[string]time.Duration
	// The SMEV adapter (README, "The SMEV check"): off when SMEVURL is empty.
	SMEVURL     string
	SMEVTimeout time.Duration
	// RequestTimeout bounds one HTTP request: a database that stops answering (a frozen
	// primary) makes the request a 503 db.unavailable after it instead of a hang.
	RequestTimeout time.Duration
}

// Var documents one environment variable (the README's table is written from these).
type Var struct{ Name, Default, Meaning string }

// Vars lists every environment variable.
var Vars = []Var{
	{"CUSTOS_ADDR", "127.0.0.1:8080", "address the HTTP server listens on"},
	{"CUSTOS_DATA_DIR", "./data", "directory for the SQLite file and the generated application key"},
	{"DATABASE_URL", "(empty)", "empty = SQLite file in the data dir; postgres://user@host:5432/db?sslmode=disable = PostgreSQL"},
	{"CUSTOS_ADMIN_PASSWORD", "(random)", "first password of tech_admin; when unset a random one is generated and printed once on first start"},
	{"CUSTOS_APP_KEY", "(generated)", "base64 32-byte key encrypting secrets at rest; when unset it is generated into DATA_DIR/app.key"},
	{"CUSTOS_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"CUSTOS_LOG_FORMAT", "json", "json or text"},
	{"CUSTOS_SESSION_IDLE", "30m", "a session ends after this long without requests"},
	{"CUSTOS_SESSION_ABSOLUTE", "12h", "a session ends this long after sign-in, whatever happens"},
	{"CUSTOS_STEP_UP_AGE", "10m", "how old a session's last second-factor proof may be before changing groups' permissions or memberships, importing a CA, creating an API token with write scopes or approving an issuance asks for a new one (401 auth.stepUpRequired)"},
	{"CUSTOS_SECURE_COOKIES", "false", "mark cookies Secure (set true behind TLS)"},
	{"CUSTOS_STATS_RETENTION_DAYS", "400", "days of request statistics kept (older days are pruned daily); also the longest range a stats query may ask for"},
	{"CUSTOS_LOGIN_MAX_FAILURES", "5", "sign-in attempts on one account from one IP within the window before that account is locked for that IP (each attempt counts before its password is checked; a success gives it back)"},
	{"CUSTOS_LOGIN_IP_MAX_FAILURES", "50", "sign-in attempts from one IP, all accounts, within the window before the IP is locked"},
	{"CUSTOS_LOGIN_WINDOW", "15m", "window in which attempts are counted"},
	{"CUSTOS_LOGIN_LOCKOUT", "15m", "how long a locked account+IP pair or IP must wait"},
	{"CUSTOS_LOGIN_SLOW_AFTER", "10", "attempts on one account from all IPs after which each further attempt waits a doubling delay (0 = never)"},
	{"CUSTOS_LOGIN_MAX_DELAY", "60s", "longest of those delays"},
	{"CUSTOS_TRUSTED_PROXIES", "(empty)", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For (and Kerberos user header) is believed; empty = trust nobody"},
	{"CUSTOS_KERBEROS_HEADER", "X-Remote-User", "header in which a trusted reverse proxy passes the user it authenticated by Kerberos (SPNEGO)"},
	{"CUSTOS_PROVIDER_TIMEOUT", "10s", "longest wait for an identity provider during one sign-in (OpenID discovery and token calls, the LDAP exchange, a REST answer); a dead or hanging peer is refused after it"},
	{"CUSTOS_MTLS_ADDR", "(empty)", "address of the mTLS entry for integrated systems (127.0.0.1:8443); empty = off"},
	{"CUSTOS_MTLS_HOSTNAMES", "localhost,127.0.0.1", "comma-separated names and IPs the mTLS entry's server certificate (issued by our CA) is made for"},
	{"CUSTOS_MTLS_CERT_FILE", "(empty)", "PEM server certificate of the mTLS entry, with CUSTOS_MTLS_KEY_FILE; empty = issued by our CA for CUSTOS_MTLS_HOSTNAMES"},
	{"CUSTOS_MTLS_KEY_FILE", "(empty)", "PEM private key of CUSTOS_MTLS_CERT_FILE"},
	{"CUSTOS_REPLICA_NAME", "(empty)", "name of this replica behind a balancer: sent as the X-Custos-Replica answer header and recorded as the holder of once-per-cluster jobs; empty = no header"},
	{"CUSTOS_JOB_PERIODS", "(empty)", "override background job periods, comma-separated name=duration (ca crl refresh=30s,session sweep=1m)"},
	{"CUSTOS_WEBHOOK_TIMEOUT", "10s", "longest wait for one webhook delivery attempt (connect, send, answer); a hanging receiver is a failed attempt after it"},
	{"CUSTOS_WEBHOOK_ALLOW_HTTP", "(empty)", "comma-separated host names a webhook URL may reach with plain http; empty = https only"},
	{"CUSTOS_WEBHOOK_ALLOW_PRIVATE", "false", "let webhook deliveries reach loopback, link-local, private addresses (on-premise receivers)"},
	{"CUSTOS_CABINET_REQUIRE_MTLS", "false", "serve the client cabinet only on the mTLS listener, behind the certificate of the person's own system"},
	{"CUSTOS_SMEV_URL", "(empty)", "URL the SMEV check of qualified device certificates is POSTed to (README, The SMEV check); empty = no SMEV service: a policy that needs the check cannot issue a qualified certificate"},
	{"CUSTOS_SMEV_TIMEOUT", "10s", "longest wait for the SMEV service's answer; no answer within it is a 503 and nothing is written"},
	{"CUSTOS_REQUEST_TIMEOUT", "50s", "longest a request may run (below the server's 60 s write timeout): a database that stops answering makes it a 503 db.unavailable with Retry-After, and its transaction is rolled back"},
	{"CUSTOS_PUBLIC_URL", "(empty)", "external base URL of the console (https://custos.example.com), used in OpenID redirect URIs; empty = the scheme and host of each request"},
}

// Load reads defaults, the environment, then flags (args after the subcommand).
func Load(args []string) (Config, error) {
	env := func(k, def string) string {
		if v, ok := os.LookupEnv(k); ok && v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr: env("CUSTOS_ADDR", "127.0.0.1:8080"), DataDir: env("CUSTOS_DATA_DIR", "./data"),
		DatabaseURL: env("DATABASE_URL", ""), AdminPassword: os.Getenv("CUSTOS_ADMIN_PASSWORD"),
		AppKey: os.Getenv("CUSTOS_APP_KEY"), LogLevel: env("CUSTOS_LOG_LEVEL", "info"), LogFormat: env("CUSTOS_LOG_FORMAT", "json"),
		KerberosHeader: env("CUSTOS_KERBEROS_HEADER", "X-Remote-User"), PublicURL: os.Getenv("CUSTOS_PUBLIC_URL"),
	}
	var errs []error
	dur := func(k, def string) time.Duration {
		d, err := time.ParseDuration(env(k, def))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: not a positive duration", k))
		}
		return d
	}
	num := func(k, def string) int {
		n, err := strconv.Atoi(env(k, def))
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s: not a whole number", k))
		}
		return n
	}
	c.SessionIdle = dur("CUSTOS_SESSION_IDLE", "30m")
	c.SessionAbsolute = dur("CUSTOS_SESSION_ABSOLUTE", "12h")
	c.StepUpAge = dur("CUSTOS_STEP_UP_AGE", "10m")
	if c.StatsRetentionDays = num("CUSTOS_STATS_RETENTION_DAYS", "400"); c.StatsRetentionDays < 1 {
		errs = append(errs, fmt.Errorf("CUSTOS_STATS_RETENTION_DAYS: at least 1"))
	}
	c.LoginWindow = dur("CUSTOS_LOGIN_WINDOW", "15m")
	c.LoginLockout = dur("CUSTOS_LOGIN_LOCKOUT", "15m")
	c.ProviderTimeout = dur("CUSTOS_PROVIDER_TIMEOUT", "10s")
	c.LoginMaxFailures = num("CUSTOS_LOGIN_MAX_FAILURES", "5")
	c.LoginIPFailures = num("CUSTOS_LOGIN_IP_MAX_FAILURES", "50")
	c.LoginSlowAfter = num("CUSTOS_LOGIN_SLOW_AFTER", "10")
	c.LoginMaxDelay = dur("CUSTOS_LOGIN_MAX_DELAY", "60s")
	c.SecureCookies = env("CUSTOS_SECURE_COOKIES", "false") == "true"
	c.WebhookTimeout = dur("CUSTOS_WEBHOOK_TIMEOUT", "10s")
	c.WebhookAllowPrivate = env("CUSTOS_WEBHOOK_ALLOW_PRIVATE", "false") == "true"
	c.CabinetRequireMTLS = env("CUSTOS_CABINET_REQUIRE_MTLS", "false") == "true"
	c.SMEVURL = os.Getenv("CUSTOS_SMEV_URL")
	c.ReplicaName = os.Getenv("CUSTOS_REPLICA_NAME")
	for _, kv := range strings.Split(os.Getenv("CUSTOS_JOB_PERIODS"), ",") {
		if kv = strings.TrimSpace(kv); kv == "" {
			continue
		}
		name, v, _ := strings.Cut(kv, "=")
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d <= 0 || strings.TrimSpace(name) == "" {
			errs = append(errs, fmt.Errorf("CUSTOS_JOB_PERIODS: %q is not name=duration", kv))
			continue
		}
		if c.JobPeriods == nil {
			c.JobPeriods = map[string]time.Duration{}
		}
		c.JobPeriods[strings.TrimSpace(name)] = d
	}
	c.SMEVTimeout = dur("CUSTOS_SMEV_TIMEOUT", "10s")
	if c.RequestTimeout = dur("CUSTOS_REQUEST_TIMEOUT", "50s"); c.RequestTimeout > 55*time.Second {
		errs = append(errs, errors.New("CUSTOS_REQUEST_TIMEOUT: more than 0 and at most 55s (the server's write timeout is 60 s)"))
	}
	if u, err := url.Parse(c.SMEVURL); c.SMEVURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, errors.New("CUSTOS_SMEV_URL: an http(s) URL such as https://smev-adapter.example.com/check"))
	}
	for _, h := range strings.Split(os.Getenv("CUSTOS_WEBHOOK_ALLOW_HTTP"), ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			c.WebhookAllowHTTP = append(c.WebhookAllowHTTP, h)
		}
	}
	for _, s := range strings.Split(os.Getenv("CUSTOS_TRUSTED_PROXIES"), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("CUSTOS_TRUSTED_PROXIES: %q is not a CIDR", s))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	c.MTLSAddr, c.MTLSCertFile, c.MTLSKeyFile = os.Getenv("CUSTOS_MTLS_ADDR"), os.Getenv("CUSTOS_MTLS_CERT_FILE"), os.Getenv("CUSTOS_MTLS_KEY_FILE")
	for _, h := range strings.Split(env("CUSTOS_MTLS_HOSTNAMES", "localhost,127.0.0.1"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			c.MTLSHostnames = append(c.MTLSHostnames, h)
		}
	}
	if (c.MTLSCertFile == "") != (c.MTLSKeyFile == "") {
		errs = append(errs, errors.New("CUSTOS_MTLS_CERT_FILE and CUSTOS_MTLS_KEY_FILE: set both or neither"))
	}
	if c.MTLSAddr != "" {
		if _, _, err := net.SplitHostPort(c.MTLSAddr); err != nil {
			errs = append(errs, errors.New("CUSTOS_MTLS_ADDR: host:port such as 127.0.0.1:8443"))
		}
	}
	fs := flag.NewFlagSet("custos", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (CUSTOS_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (CUSTOS_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "database URL (DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		errs = append(errs, err)
	}
	if u, err := url.Parse(c.PublicURL); c.PublicURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		errs = append(errs, errors.New("CUSTOS_PUBLIC_URL: an http(s) URL such as https://custos.example.com"))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, errors.New("CUSTOS_LOG_FORMAT: json or text"))
	}
	return c, errors.Join(errs...)
}
