package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"custos/agent/internal/p11"
	"custos/agent/internal/pairing"
)

// StatusOut tells the console whether the agent runs and whether this browser is paired.
type StatusOut struct {
	Agent    string `json:"agent"`
	Version  string `json:"version"`
	Protocol int    `json:"protocol"`
	Module   string `json:"module"`
	// Paired: the call carried a pairing secret valid for its origin.
	Paired bool `json:"paired"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	origin, _ := pairing.NormalizeOrigin(r.Header.Get("Origin"))
	secret, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	out := StatusOut{Agent: "custos-agent", Version: s.cfg.Version, Protocol: ProtocolVersion,
		Paired: s.cfg.Pairing.Check(strings.TrimSpace(secret), origin)}
	if s.cfg.Device != nil {
		out.Module = strings.TrimSpace(s.cfg.Device.Description())
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) pairStart(w http.ResponseWriter, r *http.Request) {
	code, until, err := s.cfg.Pairing.NewCode()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.ShowCode != nil {
		s.cfg.ShowCode(code, until)
	}
	writeJSON(w, http.StatusOK, map[string]any{"expires_at": until.UTC().Format(time.RFC3339),
		"detail": "the agent shows a new pairing code on its terminal"})
}

// PairIn is the pairing request: the code the agent showed and the console's origin.
type PairIn struct {
	Code   string `json:"code"`
	Origin string `json:"origin"`
}

func (s *Server) pair(w http.ResponseWriter, r *http.Request) {
	var in PairIn
	if !bind(w, r, &in) {
		return
	}
	hdr, _ := pairing.NormalizeOrigin(r.Header.Get("Origin"))
	origin, err := pairing.NormalizeOrigin(in.Origin)
	if err != nil || origin != hdr {
		problem(w, http.StatusBadRequest, "pair.originMismatch", "origin", "origin must be the console's origin, the one this request comes from")
		return
	}
	secret, err := s.cfg.Pairing.Pair(in.Code, origin)
	var locked *pairing.LockedError
	switch {
	case errors.As(err, &locked):
		w.Header().Set("Retry-After", retryAfter(locked.Until))
		problem(w, http.StatusTooManyRequests, "pair.locked", "code", err.Error())
	case errors.Is(err, pairing.ErrExpiredCode):
		problem(w, http.StatusUnauthorized, "pair.codeExpired", "code", err.Error())
	case errors.Is(err, pairing.ErrBadCode), errors.Is(err, pairing.ErrNoCode):
		problem(w, http.StatusUnauthorized, "pair.codeInvalid", "code", err.Error())
	case err != nil:
		s.fail(w, r, err)
	default:
		s.cfg.Log.Info("paired", "origin", origin)
		writeJSON(w, http.StatusOK, map[string]string{"secret": secret, "origin": origin})
	}
}

func retryAfter(until time.Time) string {
	secs := int(time.Until(until).Seconds()) + 1
	if secs < 1 {
		secs = 1
	}
	return strconv.Itoa(secs)
}

func (s *Server) unpair(w http.ResponseWriter, r *http.Request) {
	secret, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if err := s.cfg.Pairing.Unpair(strings.TrimSpace(secret)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request) {
	toks, err := s.cfg.Device.Tokens()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": toks})
}

// tokenOut answers the token's state after an operation (its PIN counters).
func (s *Server) tokenOut(w http.ResponseWriter, r *http.Request, ref string) {
	toks, err := s.cfg.Device.Tokens()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range toks {
		if t.Ref == ref {
			writeJSON(w, http.StatusOK, t)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"ref": ref})
}

// InitIn initialises (wipes) a token.
type InitIn struct {
	AdminPIN string `json:"admin_pin"`
	Label    string `json:"label"`
}

func (s *Server) initToken(w http.ResponseWriter, r *http.Request) {
	var in InitIn
	if !bind(w, r, &in) {
		return
	}
	t, err := s.cfg.Device.InitToken(r.PathValue("serial"), in.AdminPIN, in.Label)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// UserPINIn sets the user PIN with the admin PIN, or changes it with the old one.
type UserPINIn struct {
	AdminPIN string `json:"admin_pin"`
	OldPIN   string `json:"old_pin"`
	NewPIN   string `json:"new_pin"`
}

func (s *Server) userPIN(w http.ResponseWriter, r *http.Request) {
	var in UserPINIn
	if !bind(w, r, &in) {
		return
	}
	ref := r.PathValue("serial")
	var err error
	switch {
	case in.AdminPIN != "" && in.OldPIN != "":
		problem(w, http.StatusBadRequest, "pin.ambiguous", "old_pin", "send admin_pin (set the PIN) or old_pin (change it), not both")
		return
	case in.AdminPIN != "":
		err = s.cfg.Device.SetUserPIN(ref, in.AdminPIN, in.NewPIN)
	case in.OldPIN != "":
		err = s.cfg.Device.ChangeUserPIN(ref, in.OldPIN, in.NewPIN)
	default:
		problem(w, http.StatusBadRequest, "required", "admin_pin", "send admin_pin (set the PIN) or old_pin (change it)")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.tokenOut(w, r, ref)
}

// UnblockIn unblocks the user PIN with the admin PIN, setting a new one.
type UnblockIn struct {
	AdminPIN string `json:"admin_pin"`
	NewPIN   string `json:"new_pin"`
}

func (s *Server) unblock(w http.ResponseWriter, r *http.Request) {
	var in UnblockIn
	if !bind(w, r, &in) {
		return
	}
	ref := r.PathValue("serial")
	if err := s.cfg.Device.SetUserPIN(ref, in.AdminPIN, in.NewPIN); err != nil {
		s.fail(w, r, err)
		return
	}
	s.tokenOut(w, r, ref)
}

// LoginIn checks a user PIN.
type LoginIn struct {
	UserPIN string `json:"user_pin"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in LoginIn
	if !bind(w, r, &in) {
		return
	}
	ref := r.PathValue("serial")
	if err := s.cfg.Device.Login(ref, in.UserPIN); err != nil {
		s.fail(w, r, err)
		return
	}
	s.tokenOut(w, r, ref)
}

// KeysIn asks for a key pair on the token.
type KeysIn struct {
	UserPIN   string `json:"user_pin"`
	Algorithm string `json:"algorithm"`
	ID        string `json:"id"`
	Label     string `json:"label"`
	Replace   bool   `json:"replace"`
}

func (s *Server) keys(w http.ResponseWriter, r *http.Request) {
	var in KeysIn
	if !bind(w, r, &in) {
		return
	}
	id, err := p11.ParseID(in.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	csr, err := s.cfg.Device.GenerateKey(r.PathValue("serial"), p11.KeyRequest{UserPIN: in.UserPIN, Algorithm: in.Algorithm,
		ID: id, Label: in.Label, Replace: in.Replace})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"csr": csr, "id": in.ID, "algorithm": in.Algorithm})
}

// CertIn writes a certificate next to its key.
type CertIn struct {
	UserPIN string `json:"user_pin"`
	ID      string `json:"id"`
	Label   string `json:"label"`
	PEM     string `json:"pem"`
}

func (s *Server) writeCert(w http.ResponseWriter, r *http.Request) {
	var in CertIn
	if !bind(w, r, &in) {
		return
	}
	id, err := p11.ParseID(in.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cert, err := p11.ParseCertificatePEM(in.PEM)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fp, err := s.cfg.Device.WriteCertificate(r.PathValue("serial"), in.UserPIN, id, in.Label, cert)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": in.ID, "fingerprint_sha256": fp})
}

func (s *Server) certs(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Device.Certificates(r.PathValue("serial"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
}
