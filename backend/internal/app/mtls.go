package app

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"

	"custos/internal/system"
)

// mtlsEntry is the second listener: the same echo app behind TLS that requires a client
// certificate, which the systems middleware turns into the system's principal.
type mtlsEntry struct {
	srv interface {
		ServeTLS(ln net.Listener, certFile, keyFile string) error
		Shutdown(ctx context.Context) error
	}
	ln net.Listener
}

// mtlsServer builds the mTLS entry on the given listener, else on CUSTOS_MTLS_ADDR;
// nil when neither is set. Its server certificate comes from CUSTOS_MTLS_CERT_FILE and
// CUSTOS_MTLS_KEY_FILE, else from our CA for CUSTOS_MTLS_HOSTNAMES.
func (a *App) mtlsServer(ctx context.Context, given []net.Listener) (*mtlsEntry, error) {
	var ln net.Listener
	switch {
	case len(given) > 0 && given[0] != nil:
		ln = given[0]
	case a.Cfg.MTLSAddr == "":
		return nil, nil
	}
	var cert tls.Certificate
	var err error
	if a.Cfg.MTLSCertFile != "" {
		cert, err = tls.LoadX509KeyPair(a.Cfg.MTLSCertFile, a.Cfg.MTLSKeyFile)
	} else {
		cert, err = a.CA.ServerCertificate(ctx, a.Cfg.MTLSHostnames)
	}
	if err != nil {
		return nil, fmt.Errorf("the mTLS entry's server certificate: %w", err)
	}
	if ln == nil {
		if ln, err = net.Listen("tcp", a.Cfg.MTLSAddr); err != nil {
			return nil, fmt.Errorf("listen on CUSTOS_MTLS_ADDR: %w", err)
		}
	}
	srv := a.httpServer(system.OnMTLS(a.Echo))
	srv.TLSConfig = system.TLSConfig(cert)
	// Failed handshakes (a client without a certificate) are the client's problem.
	srv.ErrorLog = slog.NewLogLogger(a.Log.Handler(), slog.LevelDebug)
	a.Log.Info("mTLS entry for integrated systems", "addr", ln.Addr().String())
	return &mtlsEntry{srv: srv, ln: ln}, nil
}
