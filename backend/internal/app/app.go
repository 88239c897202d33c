// Package app is the composition root: it opens the database, applies migrations,
// builds the services and the echo server with every route of routes.go.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"custos/internal/apitoken"
	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/cabinet"
	"custos/internal/certsignin"
	"custos/internal/config"
	"custos/internal/dashboard"
	"custos/internal/device"
	"custos/internal/federation"
	"custos/internal/identity"
	"custos/internal/issuance"
	"custos/internal/mfa"
	"custos/internal/notify"
	"custos/internal/platform/authz"
	"custos/internal/platform/changes"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/httpx"
	"custos/internal/platform/migrate"
	"custos/internal/platform/worker"
	"custos/internal/provider"
	"custos/internal/secretq"
	"custos/internal/session"
	"custos/internal/smev"
	"custos/internal/stats"
	"custos/internal/system"
	"custos/internal/webhook"
)

// Version is set at build time (-ldflags "-X custos/internal/app.Version=...").
var Version = "dev"

// App is a running Custos.
type App struct {
	Cfg        config.Config
	Log        *slog.Logger
	DB         *db.DB
	Echo       *echo.Echo
	Authz      *authz.Authorizer
	Chainer    *audit.Chainer
	Sessions   *session.Service
	Identity   *identity.Service
	Provider   *provider.Service
	Tokens     *apitoken.Service
	Stats      *stats.Service
	Federation *federation.Service
	Box        *crypto.Box
	CA         *ca.Service
	Systems    *system.Service
	Webhooks   *webhook.Service
	Devices    *device.Service
	Issuance   *issuance.Service
	// Notify sends mail (SMTP settings, outbox); SecretQuestions keeps self-service's questions.
	Notify          *notify.Service
	SecretQuestions *secretq.Service
	// MFA keeps people's second factors (TOTP, recovery codes, sign-in challenges).
	MFA       *mfa.Service
	Cabinet   *cabinet.Service
	Dashboard *dashboard.Service
	// CertSignin signs people in with client certificates on the mTLS listener.
	CertSignin *certsignin.Service
	Changes    *changes.Bus
	Routes     []Route
}

// New builds the app: database, migrations, services and routes.
func New(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	d, err := db.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if _, err := MigrateUp(ctx, cfg, d); err != nil {
		_ = d.Close()
		return nil, err
	}
	return Build(cfg, log, d)
}

// appBox is the application key's box (migrations that seal data at rest need it).
func appBox(cfg config.Config) (*crypto.Box, error) {
	key, err := crypto.LoadOrCreateKey(cfg.AppKey, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return crypto.NewBox(key)
}

// MigrateUp applies the pending migrations with the application key of cfg.
func MigrateUp(ctx context.Context, cfg config.Config, d *db.DB) ([]int, error) {
	box, err := appBox(cfg)
	if err != nil {
		return nil, err
	}
	return migrate.Up(migrate.WithBox(ctx, box), d)
}

// Option adjusts how Build wires the app; tests use them.
type Option func(*buildOptions)

type buildOptions struct{ hasher *crypto.Hasher }

// WithHasher makes the app hash and verify passwords with h (tests pass one with cheap
// argon2id parameters).
func WithHasher(h *crypto.Hasher) Option { return func(o *buildOptions) { o.hasher = h } }

// Build wires an app over an opened, migrated database (tests share it).
func Build(cfg config.Config, log *slog.Logger, d *db.DB, opts ...Option) (*App, error) {
	az, err := authz.New(d)
	if err != nil {
		return nil, err
	}
	bus := changes.New(d, log)
	az.SetPublisher(bus)
	bus.Subscribe(authz.Topic, func(ctx context.Context) {
		if err := az.Reload(ctx); err != nil {
			log.Error("reload policies after a change on another replica", "err", err)
		}
	})
	if err := bus.Prime(context.Background()); err != nil {
		return nil, fmt.Errorf("read change counters: %w", err)
	}
	key, err := crypto.LoadOrCreateKey(cfg.AppKey, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	box, err := crypto.NewBox(key)
	if err != nil {
		return nil, err
	}
	var o buildOptions
	for _, opt := range opts {
		opt(&o)
	}
	hasher := o.hasher
	if hasher == nil {
		hasher = crypto.NewHasher(0)
	}
	chain := audit.NewChainer(d, log)
	d.OnCommit(audit.Topic, chain.Kick)
	a := &App{Cfg: cfg, Log: log, DB: d, Authz: az, Chainer: chain, Box: box, Changes: bus,
		Identity: identity.NewService(d, az, hasher),
		Sessions: session.NewService(d, az, hasher, session.Options{IdleTimeout: cfg.SessionIdle,
			AbsoluteTimeout: cfg.SessionAbsolute, SecureCookies: cfg.SecureCookies, MaxFailures: cfg.LoginMaxFailures,
			MaxIPFailures: cfg.LoginIPFailures, Window: cfg.LoginWindow, Lockout: cfg.LoginLockout,
			SlowAfter: cfg.LoginSlowAfter, MaxDelay: cfg.LoginMaxDelay, CSRFKey: crypto.Derive(key, session.CSRFKeyLabel),
			PublicURL: cfg.PublicURL})}
	a.Provider = provider.NewService(d, a.Identity, box, provider.Options{SignInTimeout: cfg.ProviderTimeout})
	a.Federation = federation.New(d, a.Provider, a.Identity, a.Sessions, federation.Options{PublicURL: cfg.PublicURL,
		KerberosHeader: cfg.KerberosHeader, TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.SecureCookies, HTTPTimeout: cfg.ProviderTimeout})
	a.Sessions.SetExternal(a.Federation)
	a.Tokens = apitoken.NewService(d, az, crypto.Derive(key, apitoken.PepperLabel), bus, log)
	bus.Subscribe(apitoken.Topic, a.Tokens.DropCache)
	systemExists := func(ctx context.Context, id string) error { _, err := a.Systems.Get(ctx, id); return err }
	tokenExists := func(ctx context.Context, id string) error {
		_, err := a.Tokens.Get(ctx, apitoken.Org(), id)
		return err
	}
	personalToken := func(ctx context.Context, userID, id string) error {
		_, err := a.Tokens.Get(ctx, apitoken.Personal(userID), id)
		return err
	}
	a.Stats = stats.NewService(d, log, stats.Options{RetentionDays: cfg.StatsRetentionDays, System: systemExists,
		Token: tokenExists, PersonalToken: personalToken})
	a.Identity.SetAccountHooks(a.Sessions, a.Tokens)
	a.Identity.SetBaseGroups(a.Provider)
	a.CA = ca.NewService(d, box, bus, log, ca.Options{PublicURL: cfg.PublicURL, ListenAddr: cfg.Addr})
	bus.Subscribe(ca.Topic, a.CA.DropCache)
	if err := a.CA.Ensure(context.Background()); err != nil {
		return nil, fmt.Errorf("set up the certificate authority: %w", err)
	}
	a.Systems = system.NewService(d, a.Identity, a.CA, bus, log)
	bus.Subscribe(system.Topic, a.Systems.DropCache)
	a.Webhooks = webhook.NewService(d, box, a.Systems, log, webhook.Options{Timeout: cfg.WebhookTimeout,
		AllowHTTP: cfg.WebhookAllowHTTP, AllowPrivate: cfg.WebhookAllowPrivate})
	a.Systems.SetEvents(a.Webhooks)
	a.Devices = device.NewService(d, box, a.Identity, a.CA, log)
	a.Issuance = issuance.NewService(d, a.Devices, a.Identity, a.CA, box, log)
	// Issue 14: the SMEV check, the mails and the secret questions of self-service.
	a.Notify = notify.NewService(d, box, a.Identity, log)
	a.SecretQuestions = secretq.NewService(d, a.Devices, hasher)
	a.MFA = mfa.NewService(d, box, hasher, a.Sessions)
	a.MFA.SetPublicURL(cfg.PublicURL)
	a.Sessions.SetSecondFactor(a.MFA)
	a.Sessions.SetStepUp(a.MFA, cfg.StepUpAge)
	a.Tokens.SetStepUp(a.Sessions.RequireFreshFactor)
	a.CertSignin = certsignin.NewService(d, a.Issuance, a.CA, a.Identity, log)
	a.Sessions.SetCertificates(a.CertSignin)
	a.Systems.SetPersonGate(a.CertSignin)
	a.Issuance.SetNotifier(a.Notify)
	a.Issuance.SetSecretQuestions(a.SecretQuestions)
	if c := smev.New(cfg.SMEVURL, cfg.SMEVTimeout); c != nil {
		a.Issuance.SetSMEV(c)
	}
	a.Cabinet = cabinet.NewService(d, a.Systems, a.Stats, a.Identity, cabinet.Options{RequireMTLS: cfg.CabinetRequireMTLS})
	a.Dashboard = dashboard.NewService(az, a.Stats, a.Systems, a.Tokens, a.Webhooks)
	a.Echo = a.newEcho()
	return a, nil
}

func (a *App) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = httpx.ErrorHandler(a.Log)
	e.IPExtractor = echo.ExtractIPDirect()
	if len(a.Cfg.TrustedProxies) > 0 {
		var opts []echo.TrustOption
		for _, n := range a.Cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	if name := a.Cfg.ReplicaName; name != "" {
		e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { c.Response().Header().Set("X-Custos-Replica", name); return next(c) }
		})
	}
	e.Use(securityHeaders(a.Cfg.SecureCookies), recoverMiddleware(a.Log), requestDeadline(a.Cfg.RequestTimeout),
		httpx.RequestIDMiddleware(), logMiddleware(a.Log),
		a.Stats.Counter().Middleware(), a.Tokens.Middleware(), a.Federation.BearerMiddleware(), a.Sessions.Authenticate(),
		a.Systems.Middleware(), a.Sessions.CSRF())
	a.Routes = a.routes()
	for _, r := range a.Routes {
		mw := []echo.MiddlewareFunc{enrolmentGate(r), a.Authz.Require(r.Access, r.Perm)}
		if r.StepUp {
			mw = append(mw, a.Sessions.RequireStepUp())
		}
		e.Add(r.Method, r.Path, r.Handler, mw...)
	}
	return e
}

// Bootstrap gives tech_admin its first password: CUSTOS_ADMIN_PASSWORD, or a random
// one printed once to out. Later starts leave the password alone.
func (a *App) Bootstrap(ctx context.Context, out io.Writer) error {
	id, passwordSet, err := a.Identity.TechAdmin(ctx)
	if err != nil || passwordSet {
		return err
	}
	pw, generated := a.Cfg.AdminPassword, false
	if pw == "" {
		pw, generated = crypto.RandomString(20), true
	}
	ctx = httpx.WithMeta(ctx, httpx.Meta{ActorType: "system", ActorName: "bootstrap"})
	if err := a.Identity.SetPassword(ctx, id, identity.PasswordReset{Password: pw}); err != nil {
		return fmt.Errorf("set the first tech_admin password: %w", err)
	}
	if generated {
		fmt.Fprintf(out, "\n  First start: sign in as tech_admin with password %s\n  (shown once; set CUSTOS_ADMIN_PASSWORD to choose it yourself)\n\n", pw)
	}
	return nil
}

// jobs are the background jobs of one replica, in start order; they stop in reverse,
// so the audit chainer, first in, gets the last pass after everything that writes events.
func (a *App) jobs() *worker.Runner {
	r := worker.New(a.Log, 10*time.Second)
	r.Periods(a.Cfg.JobPeriods)
	holder := a.Cfg.ReplicaName
	if holder == "" {
		host, _ := os.Hostname()
		holder = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	r.Leased(func(ctx context.Context, name string, every time.Duration) (bool, error) {
		return a.DB.ClaimJob(ctx, name, holder, every)
	})
	r.Add(a.Chainer.Job())
	for _, j := range a.Changes.Jobs() {
		r.Add(j)
	}
	for _, j := range a.DB.StatsJob(30 * time.Minute) {
		r.Add(j)
	}
	for _, j := range a.Stats.Jobs() {
		r.Add(j)
	}
	r.Add(a.Sessions.SweepJob())
	r.Add(a.MFA.SweepJob())
	r.Add(a.Tokens.UsageJob())
	r.Add(a.CA.CRLJob())
	r.Add(a.Webhooks.ExpiryJob())
	r.Add(a.Webhooks.DeliveryJob())
	r.Add(a.Notify.DeliveryJob())
	return r
}

// Serve runs the HTTP server (and, when configured or given a listener, the mTLS entry
// of integrated systems) and the background jobs until ctx ends, then shuts down
// gracefully: in-flight requests finish, then the jobs stop in order, each with a last
// pass (last-use times written, the audit chain complete).
func (a *App) Serve(ctx context.Context, ln net.Listener, mtls ...net.Listener) error {
	msrv, err := a.mtlsServer(ctx, mtls)
	if err != nil {
		return err
	}
	jobs := a.jobs()
	jobs.Start()
	srv := a.httpServer(a.Echo)
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if msrv != nil {
		go func() { errc <- msrv.srv.ServeTLS(msrv.ln, "", "") }()
	}
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	if msrv != nil {
		if serr := msrv.srv.Shutdown(sctx); serr != nil && err == nil {
			err = serr
		}
	}
	jobs.Stop()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (a *App) httpServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }
