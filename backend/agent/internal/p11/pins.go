package p11

import (
	"strconv"
	"unicode/utf8"

	"github.com/miekg/pkcs11"
)

// session opens a session on the token ref names, logs in as who ("user", "admin" or ""
// for none) and runs fn. The module lock is held throughout.
func (m *Module) session(ref string, rw bool, who, pin, field string, fn func(t Token, sh pkcs11.SessionHandle) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.find(ref)
	if err != nil {
		return err
	}
	flags := uint(pkcs11.CKF_SERIAL_SESSION)
	if rw {
		flags |= pkcs11.CKF_RW_SESSION
	}
	sh, err := m.ctx.OpenSession(t.SlotID, flags)
	if err != nil {
		return deviceErr("C_OpenSession", err)
	}
	defer func() { _ = m.ctx.CloseSession(sh) }()
	if who != "" {
		if err := checkPIN(t, field, pin); err != nil {
			return err
		}
		ut := uint(pkcs11.CKU_USER)
		if who == "admin" {
			ut = pkcs11.CKU_SO
		}
		if err := m.ctx.Login(sh, ut, pin); err != nil {
			if isPINError(err) {
				return m.pinErr(t.SlotID, who, field, err)
			}
			return deviceErr("C_Login", err)
		}
		defer func() { _ = m.ctx.Logout(sh) }()
	}
	return fn(t, sh)
}

// checkPIN refuses a PIN the token would refuse anyway, before it costs a retry.
func checkPIN(t Token, field, pin string) error {
	if pin == "" {
		return invalid(field, "required", "the PIN is required")
	}
	n := uint(len(pin))
	if t.MinPINLen > 0 && n < t.MinPINLen || t.MaxPINLen > 0 && t.MaxPINLen < 1<<16 && n > t.MaxPINLen {
		return invalid(field, "pin.length", "the token takes PINs of "+strconv.FormatUint(uint64(t.MinPINLen), 10)+
			" to "+strconv.FormatUint(uint64(t.MaxPINLen), 10)+" characters")
	}
	return nil
}

// InitToken initialises (wipes) a token: every object on it is destroyed, the admin
// (SO) PIN becomes adminPIN on a blank token or must match it on an initialised one,
// and the user PIN is left unset until SetUserPIN. It answers the token as it is after.
func (m *Module) InitToken(ref, adminPIN, label string) (Token, error) {
	if len(label) > 32 || !utf8.ValidString(label) {
		return Token{}, invalid("label", "tooLong", "a token label is at most 32 bytes")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.find(ref)
	if err != nil {
		return Token{}, err
	}
	if err := checkPIN(t, "admin_pin", adminPIN); err != nil {
		return Token{}, err
	}
	_ = m.ctx.CloseAllSessions(t.SlotID)
	if err := m.ctx.InitToken(t.SlotID, adminPIN, label); err != nil {
		if isPINError(err) {
			return Token{}, m.pinErr(t.SlotID, "admin", "admin_pin", err)
		}
		return Token{}, deviceErr("C_InitToken", err)
	}
	// Some modules (SoftHSM2) give a freshly initialised token a new serial, even a new
	// slot: look for it by its old slot first, then by the label just written.
	toks, err := m.tokens()
	if err != nil {
		return Token{}, err
	}
	for _, nt := range toks {
		if nt.SlotID == t.SlotID && nt.Initialized {
			return nt, nil
		}
	}
	for _, nt := range toks {
		if nt.Initialized && nt.Label == label && (t.Serial == "" || nt.Serial == t.Serial) {
			return nt, nil
		}
	}
	return t, nil
}

// SetUserPIN sets the user PIN with the admin PIN (C_InitPIN as SO): the first user PIN
// after initialisation, or a new one that also unblocks a locked user PIN.
func (m *Module) SetUserPIN(ref, adminPIN, newPIN string) error {
	return m.session(ref, true, "admin", adminPIN, "admin_pin", func(t Token, sh pkcs11.SessionHandle) error {
		if err := checkPIN(t, "new_pin", newPIN); err != nil {
			return err
		}
		if err := m.ctx.InitPIN(sh, newPIN); err != nil {
			if isPINError(err) {
				return m.pinErr(t.SlotID, "user", "new_pin", err)
			}
			return deviceErr("C_InitPIN", err)
		}
		return nil
	})
}

// ChangeUserPIN changes the user PIN knowing the old one (C_SetPIN in a public R/W
// session, which changes the user's PIN).
func (m *Module) ChangeUserPIN(ref, oldPIN, newPIN string) error {
	return m.session(ref, true, "", "", "", func(t Token, sh pkcs11.SessionHandle) error {
		if err := checkPIN(t, "old_pin", oldPIN); err != nil {
			return err
		}
		if err := checkPIN(t, "new_pin", newPIN); err != nil {
			return err
		}
		if err := m.ctx.SetPIN(sh, oldPIN, newPIN); err != nil {
			if isPINError(err) {
				return m.pinErr(t.SlotID, "user", "old_pin", err)
			}
			return deviceErr("C_SetPIN", err)
		}
		return nil
	})
}

// Login checks a user PIN (the issuance flow proves the PIN it set works).
func (m *Module) Login(ref, userPIN string) error {
	return m.session(ref, false, "user", userPIN, "user_pin", func(Token, pkcs11.SessionHandle) error { return nil })
}
