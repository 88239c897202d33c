// Package p11 is the agent's only contact with a PKCS#11 module: it lists tokens,
// initialises them, sets PINs, makes key pairs on the token (never extractable) with a
// PKCS#10 request signed by the token key, and writes certificates next to their keys.
// Every call is serialised: tokens are slow, and one user at one workstation drives them.
package p11

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/miekg/pkcs11"
)

// Module is a loaded and initialised PKCS#11 library.
type Module struct {
	path string
	mu   sync.Mutex
	ctx  *pkcs11.Ctx
	info pkcs11.Info
}

// Open loads the PKCS#11 library at path and initialises it. A path that is not a
// PKCS#11 library (not a shared object, or one without C_GetFunctionList) is refused
// with a message naming the path.
func Open(path string) (*Module, error) {
	if path == "" {
		return nil, errors.New("no PKCS#11 module: set CUSTOS_AGENT_PKCS11_MODULE to the token's library (e.g. /usr/lib/softhsm/libsofthsm2.so, librtpkcs11ecp.so)")
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("PKCS#11 module %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("PKCS#11 module %s is not a file", path)
	}
	if err := checkSharedObject(path); err != nil {
		return nil, err
	}
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("%s is not a PKCS#11 library: it cannot be loaded or has no C_GetFunctionList", path)
	}
	if err := ctx.Initialize(); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		ctx.Destroy()
		return nil, fmt.Errorf("PKCS#11 module %s: C_Initialize: %w", path, err)
	}
	info, err := ctx.GetInfo()
	if err != nil {
		_ = ctx.Finalize()
		ctx.Destroy()
		return nil, fmt.Errorf("%s is not a working PKCS#11 library: C_GetInfo: %w", path, err)
	}
	return &Module{path: path, ctx: ctx, info: info}, nil
}

// checkSharedObject refuses a file that is plainly not a shared library before dlopen
// sees it (a text file, an executable). On Linux only ELF shared objects load; other
// systems leave the check to the loader.
func checkSharedObject(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("PKCS#11 module %s: %w", path, err)
	}
	defer f.Close()
	magic := make([]byte, 4)
	if _, err := f.Read(magic); err != nil || string(magic) != "\x7fELF" {
		if isELFPlatform() {
			return fmt.Errorf("%s is not a PKCS#11 library: not a shared object (ELF)", path)
		}
		return nil
	}
	ef, err := elf.NewFile(f)
	if err != nil || ef.Type != elf.ET_DYN {
		return fmt.Errorf("%s is not a PKCS#11 library: not a shared object", path)
	}
	syms, _ := ef.DynamicSymbols()
	for _, s := range syms {
		if s.Name == "C_GetFunctionList" {
			return nil
		}
	}
	return fmt.Errorf("%s is not a PKCS#11 library: it exports no C_GetFunctionList", path)
}

// Path is the library the module was loaded from.
func (m *Module) Path() string { return m.path }

// Description names the library as it describes itself.
func (m *Module) Description() string {
	return strings.TrimSpace(m.info.ManufacturerID) + " " + strings.TrimSpace(m.info.LibraryDescription)
}

// Close finalises and unloads the library.
func (m *Module) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx != nil {
		_ = m.ctx.Finalize()
		m.ctx.Destroy()
		m.ctx = nil
	}
}

// PINState is what a token's flags say about one PIN's retry counter.
type PINState struct {
	CountLow    bool `json:"count_low"`
	FinalTry    bool `json:"final_try"`
	Locked      bool `json:"locked"`
	ToBeChanged bool `json:"to_be_changed"`
}

// Token is one token as its slot reports it.
type Token struct {
	SlotID       uint   `json:"slot_id"`
	Ref          string `json:"ref"`
	Label        string `json:"label"`
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	Initialized  bool   `json:"initialized"`
	// UserPINInitialized: the user PIN is set (after C_InitPIN).
	UserPINInitialized bool     `json:"user_pin_initialized"`
	LoginRequired      bool     `json:"login_required"`
	WriteProtected     bool     `json:"write_protected"`
	ProtectedAuthPath  bool     `json:"protected_auth_path"`
	MinPINLen          uint     `json:"min_pin_len"`
	MaxPINLen          uint     `json:"max_pin_len"`
	Flags              uint     `json:"flags"`
	UserPIN            PINState `json:"user_pin"`
	AdminPIN           PINState `json:"admin_pin"`
}

func tokenFrom(slot uint, ti pkcs11.TokenInfo) Token {
	f := ti.Flags
	has := func(b uint) bool { return f&b != 0 }
	t := Token{
		SlotID: slot, Label: clean(ti.Label), Serial: clean(ti.SerialNumber),
		Manufacturer: clean(ti.ManufacturerID), Model: clean(ti.Model),
		Initialized: has(pkcs11.CKF_TOKEN_INITIALIZED), UserPINInitialized: has(pkcs11.CKF_USER_PIN_INITIALIZED),
		LoginRequired: has(pkcs11.CKF_LOGIN_REQUIRED), WriteProtected: has(pkcs11.CKF_WRITE_PROTECTED),
		ProtectedAuthPath: has(pkcs11.CKF_PROTECTED_AUTHENTICATION_PATH),
		MinPINLen:         ti.MinPinLen, MaxPINLen: ti.MaxPinLen, Flags: f,
		UserPIN: PINState{CountLow: has(pkcs11.CKF_USER_PIN_COUNT_LOW), FinalTry: has(pkcs11.CKF_USER_PIN_FINAL_TRY),
			Locked: has(pkcs11.CKF_USER_PIN_LOCKED), ToBeChanged: has(pkcs11.CKF_USER_PIN_TO_BE_CHANGED)},
		AdminPIN: PINState{CountLow: has(pkcs11.CKF_SO_PIN_COUNT_LOW), FinalTry: has(pkcs11.CKF_SO_PIN_FINAL_TRY),
			Locked: has(pkcs11.CKF_SO_PIN_LOCKED), ToBeChanged: has(pkcs11.CKF_SO_PIN_TO_BE_CHANGED)},
	}
	t.Ref = t.Serial
	if t.Ref == "" {
		t.Ref = "slot-" + strconv.FormatUint(uint64(slot), 10)
	}
	return t
}

// clean trims the blank padding and any NUL bytes a module leaves in its fixed fields.
func clean(s string) string { return strings.TrimSpace(strings.TrimRight(s, "\x00 ")) }

// Tokens lists the tokens present in the module's slots.
func (m *Module) Tokens() ([]Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens()
}

func (m *Module) tokens() ([]Token, error) {
	slots, err := m.ctx.GetSlotList(true)
	if err != nil {
		return nil, deviceErr("C_GetSlotList", err)
	}
	out := make([]Token, 0, len(slots))
	for _, s := range slots {
		ti, err := m.ctx.GetTokenInfo(s)
		if err != nil {
			continue // removed between the two calls
		}
		out = append(out, tokenFrom(s, ti))
	}
	return out, nil
}

// find resolves a token reference: its serial number, or "slot-N" for a token that has
// none yet (a blank one).
func (m *Module) find(ref string) (Token, error) {
	toks, err := m.tokens()
	if err != nil {
		return Token{}, err
	}
	for _, t := range toks {
		if t.Ref == ref || (t.Serial != "" && t.Serial == ref) {
			return t, nil
		}
	}
	return Token{}, &Error{Kind: KindNotFound, Code: "token.notFound", Detail: "no token with serial " + strconv.Quote(ref) + " is plugged in"}
}
