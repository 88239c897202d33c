// Package server is the agent's HTTP API on the loopback interface: pairing, CORS for
// the paired console origin (with Chrome's Private Network Access preflight), and the
// device operations of package p11 as small JSON calls.
package server

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"custos/agent/internal/p11"
	"custos/agent/internal/pairing"
)

// ProtocolVersion is the version of this JSON protocol; the console checks it.
const ProtocolVersion = 1

// Config is what the server is built from.
type Config struct {
	Version string
	Device  *p11.Module
	Pairing *pairing.Store
	Log     *slog.Logger
	// AllowedOrigins, when not empty, are the only origins that may pair.
	AllowedOrigins []string
	// ShowCode shows a new pairing code on the agent's terminal (never over HTTP).
	ShowCode func(code string, until time.Time)
}

// Server is the agent's HTTP handler.
type Server struct {
	cfg Config
	mux *http.ServeMux
}

// New builds the handler.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux()}
	s.routes()
	return s
}

// pairingRoutes answer any origin allowed to pair, paired or not.
var pairingRoutes = []string{"/status", "/pair", "/pair/start"}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /status", s.status)
	s.mux.HandleFunc("POST /pair/start", s.pairStart)
	s.mux.HandleFunc("POST /pair", s.pair)
	s.mux.HandleFunc("DELETE /pair", s.auth(s.unpair))
	s.mux.HandleFunc("GET /tokens", s.auth(s.tokens))
	s.mux.HandleFunc("POST /tokens/{serial}/init", s.auth(s.initToken))
	s.mux.HandleFunc("POST /tokens/{serial}/user-pin", s.auth(s.userPIN))
	s.mux.HandleFunc("POST /tokens/{serial}/unblock", s.auth(s.unblock))
	s.mux.HandleFunc("POST /tokens/{serial}/login", s.auth(s.login))
	s.mux.HandleFunc("POST /tokens/{serial}/keys", s.auth(s.keys))
	s.mux.HandleFunc("POST /tokens/{serial}/certificates", s.auth(s.writeCert))
	s.mux.HandleFunc("GET /tokens/{serial}/certificates", s.auth(s.certs))
}

// ServeHTTP checks the Host and the Origin, answers CORS and preflights, then routes.
// It logs the method, path and status of each call; never a body or a header value
// other than the Origin (bodies hold PINs, headers the pairing secret).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		s.cfg.Log.Info("request", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"),
			"status", rw.status, "ms", time.Since(start).Milliseconds())
	}()
	if !loopbackHost(r.Host) {
		// A DNS-rebinding page reaches 127.0.0.1 under its own host name.
		problem(rw, http.StatusForbidden, "host.refused", "", "the agent answers only on 127.0.0.1, localhost or [::1]")
		return
	}
	origin, err := pairing.NormalizeOrigin(r.Header.Get("Origin"))
	if err != nil {
		problem(rw, http.StatusForbidden, "origin.required", "", "the agent answers browsers of the paired console only (an Origin header is required)")
		return
	}
	if !s.corsAllowed(origin, r.URL.Path) {
		problem(rw, http.StatusForbidden, "origin.refused", "", "this origin is not paired with the agent")
		return
	}
	h := rw.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		h.Set("Access-Control-Max-Age", "600")
		if strings.EqualFold(r.Header.Get("Access-Control-Request-Private-Network"), "true") {
			h.Set("Access-Control-Allow-Private-Network", "true")
		}
		rw.WriteHeader(http.StatusNoContent)
		return
	}
	s.mux.ServeHTTP(rw, r)
}

func (s *Server) corsAllowed(origin, path string) bool {
	if s.cfg.Pairing.Paired(origin) {
		return true
	}
	if !slices.Contains(pairingRoutes, path) {
		return false
	}
	return len(s.cfg.AllowedOrigins) == 0 || slices.Contains(s.cfg.AllowedOrigins, origin)
}

// auth lets through a call that carries a pairing secret issued to its origin.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		origin, _ := pairing.NormalizeOrigin(r.Header.Get("Origin"))
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !s.cfg.Pairing.Check(strings.TrimSpace(secret), origin) {
			problem(w, http.StatusUnauthorized, "agent.unpaired", "", "pair the console with the agent first (the pairing secret is missing or not for this origin)")
			return
		}
		next(w, r)
	}
}

func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Problem is the error body, shaped like the server's problem+json.
type Problem struct {
	Type            string       `json:"type"`
	Title           string       `json:"title"`
	Status          int          `json:"status"`
	Detail          string       `json:"detail"`
	Code            string       `json:"code"`
	Errors          []FieldError `json:"errors,omitempty"`
	PIN             string       `json:"pin,omitempty"`
	RetriesLeftHint string       `json:"retries_left_hint,omitempty"`
}

// FieldError names the field a problem is about.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func problem(w http.ResponseWriter, status int, code, field, detail string) {
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
	if field != "" {
		p.Errors = []FieldError{{Field: field, Code: code, Message: detail}}
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// fail answers an error from the device layer; an unknown one is a 500 with its cause
// in the log only.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *p11.Error
	if !errors.As(err, &e) {
		s.cfg.Log.Error("internal error", "path", r.URL.Path, "err", err)
		problem(w, http.StatusInternalServerError, "agent.internal", "", "the agent failed; see its log")
		return
	}
	status := map[p11.Kind]int{
		p11.KindDevice: http.StatusBadGateway, p11.KindInvalid: http.StatusBadRequest, p11.KindPIN: http.StatusUnauthorized,
		p11.KindNotFound: http.StatusNotFound, p11.KindConflict: http.StatusConflict, p11.KindUnprocessable: http.StatusUnprocessableEntity,
	}[e.Kind]
	if e.Kind == p11.KindDevice {
		s.cfg.Log.Warn("device error", "path", r.URL.Path, "code", e.Code, "err", err)
	}
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: e.Detail, Code: e.Code,
		PIN: e.PIN, RetriesLeftHint: e.Hint}
	if e.Field != "" {
		p.Errors = []FieldError{{Field: e.Field, Code: e.Code, Message: e.Detail}}
	}
	writeProblem(w, p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// bind reads a JSON body of at most 64 KiB.
func bind(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		problem(w, http.StatusBadRequest, "body.invalid", "", "the body must be a JSON object of the documented fields: "+safeJSONErr(err))
		return false
	}
	return true
}

// safeJSONErr names what is wrong with a body without echoing any of its values.
func safeJSONErr(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "malformed JSON"
	case errors.As(err, &te):
		return "field " + te.Field + " has the wrong type"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "unreadable body"
}
