// Command custos is the Custos server: custos serve | migrate | version.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"custos/internal/app"
	"custos/internal/audit"
	"custos/internal/config"
	"custos/internal/platform/db"
	"custos/internal/platform/migrate"
)

const usage = `usage: custos <command> [flags]

commands:
  serve     run the server (migrations are applied first)
  migrate   apply pending database migrations and exit
  version   print the version
  user reset-factors LOGIN
            remove LOGIN's second factors and recovery codes and end their sessions
            (break-glass: an administrator who lost their authenticator app)

  audit verify
            check the audit log's hash chain (pending events are chained first); exits 1
            naming the first broken link

flags (serve, migrate, user, audit): -addr, -data-dir, -database-url (see README for the environment variables)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "serve":
		err = serve(args)
	case "migrate":
		err = runMigrate(args)
	case "user":
		err = runUser(args)
	case "audit":
		err = runAudit(args)
	case "version", "-v", "--version":
		fmt.Println("custos", app.Version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "custos:", err)
		os.Exit(1)
	}
}

func logger(cfg config.Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel)))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}

func serve(args []string) error {
	start := time.Now()
	cfg, err := config.Load(args)
	if err != nil {
		return err
	}
	log := logger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Bootstrap(ctx, os.Stdout); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("custos started", "version", app.Version, "addr", "http://"+ln.Addr().String(), "database", a.DB.Dialect,
		"startup_ms", time.Since(start).Milliseconds())
	fmt.Printf("Custos is running at http://%s — sign in as tech_admin (API docs at /api/docs/)\n", ln.Addr())
	err = a.Serve(ctx, ln)
	log.Info("custos stopped")
	return err
}

func runMigrate(args []string) error {
	cfg, err := config.Load(args)
	if err != nil {
		return err
	}
	d, err := db.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := app.MigrateUp(context.Background(), cfg, d) // with the app key: some migrations seal data
	if err != nil {
		return err
	}
	fmt.Printf("applied %d migration(s); schema version %d\n", len(applied), migrate.Latest())
	return nil
}

// runUser runs the account commands: reset-factors LOGIN [flags].
func runUser(args []string) error {
	if len(args) < 2 || args[0] != "reset-factors" || strings.HasPrefix(args[1], "-") {
		return fmt.Errorf("usage: custos user reset-factors LOGIN [flags]")
	}
	login := strings.ToLower(strings.TrimSpace(args[1]))
	cfg, err := config.Load(args[2:])
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, logger(cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	ended, err := a.MFA.Reset(ctx, "", login, "custos user reset-factors")
	if err != nil {
		return err
	}
	fmt.Printf("second factors of %s removed; %d session(s) ended\n", login, ended)
	return nil
}

// runAudit runs the audit commands: verify [flags].
func runAudit(args []string) error {
	if len(args) < 1 || args[0] != "verify" {
		return fmt.Errorf("usage: custos audit verify [flags]")
	}
	cfg, err := config.Load(args[1:])
	if err != nil {
		return err
	}
	d, err := db.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	v, err := audit.NewService(d, audit.NewChainer(d, logger(cfg))).Verify(ctx)
	if err != nil {
		return fmt.Errorf("verify the audit chain: %w", err)
	}
	if !v.OK {
		return fmt.Errorf("audit chain BROKEN at event seq %d: its hash does not follow from the %d event(s) before it "+
			"(the event or an earlier one was changed, removed or inserted)", *v.BrokenAt, v.Checked)
	}
	fmt.Printf("audit chain intact: %d event(s) verified\n", v.Checked)
	return nil
}
