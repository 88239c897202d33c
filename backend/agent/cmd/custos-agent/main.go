// Command custos-agent is the device agent of Custos: it runs on the workstation where
// the token is plugged in, speaks PKCS#11 to the token's module and answers the paired
// console's browser on 127.0.0.1 only.
//
//	CUSTOS_AGENT_PKCS11_MODULE  the token's PKCS#11 library (required)
//	CUSTOS_AGENT_ADDR           listen address, a loopback one (default 127.0.0.1:7443)
//	CUSTOS_AGENT_STATE          the pairing state file (default <config dir>/custos-agent/state.json)
//	CUSTOS_AGENT_ALLOWED_ORIGINS comma-separated console origins that may pair (default: any)
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"custos/agent/internal/p11"
	"custos/agent/internal/pairing"
	"custos/agent/internal/server"
)

var version = "dev"

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "version" || os.Args[1] == "--version") {
		fmt.Println("custos-agent", version)
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "custos-agent:", err)
		os.Exit(1)
	}
}

func run() error {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	addr := env("CUSTOS_AGENT_ADDR", "127.0.0.1:7443")
	if err := checkLoopback(addr); err != nil {
		return err
	}
	var origins []string
	for _, o := range strings.Split(os.Getenv("CUSTOS_AGENT_ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			n, err := pairing.NormalizeOrigin(o)
			if err != nil {
				return fmt.Errorf("CUSTOS_AGENT_ALLOWED_ORIGINS: %q: %w", o, err)
			}
			origins = append(origins, n)
		}
	}
	mod, err := p11.Open(os.Getenv("CUSTOS_AGENT_PKCS11_MODULE"))
	if err != nil {
		return err
	}
	defer mod.Close()
	store, err := pairing.Open(env("CUSTOS_AGENT_STATE", pairing.DefaultPath()), nil)
	if err != nil {
		return err
	}
	show := func(code string, until time.Time) {
		// The code goes to the terminal only; the person types it into the console.
		fmt.Fprintf(os.Stdout, "custos-agent pairing code: %s %s (valid until %s)\n", code[:4], code[4:], until.Format("15:04:05"))
	}
	code, until, err := store.NewCode()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: server.New(server.Config{Version: version, Device: mod, Pairing: store, Log: log,
			AllowedOrigins: origins, ShowCode: show}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 5 * time.Minute, // RSA-4096 on a smart card takes its time
		IdleTimeout:  time.Minute,
	}
	log.Info("custos-agent listening", "addr", ln.Addr().String(), "module", mod.Path(), "version", version)
	show(code, until)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}
	return nil
}

// checkLoopback refuses an address other browsers' pages or other machines could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("CUSTOS_AGENT_ADDR %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("CUSTOS_AGENT_ADDR %q: the agent listens on a loopback address only (127.0.0.1 or [::1])", addr)
	}
	return nil
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
