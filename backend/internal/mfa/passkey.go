package mfa

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/crypto"
	"custos/internal/platform/validate"
)

// KindWebAuthn names passkeys among the second factors.
const KindWebAuthn = "webauthn"

// Ceremony purposes.
const (
	purposeRegister     = "register"
	purposeSecondFactor = "second_factor"
	purposePasswordless = "passwordless"
)

// Passkey errors the API answers.
var (
	ErrCeremony = apperr.New(apperr.KindUnauthenticated, "webauthn.ceremonyInvalid",
		"The passkey request has expired or was already answered; start again.")
	ErrRegistrationExpired = apperr.New(apperr.KindUnprocessable, "webauthn.registrationExpired",
		"The passkey registration has expired or was already answered; start again.")
	ErrAttestation = apperr.New(apperr.KindUnprocessable, "webauthn.invalidAttestation",
		"The authenticator's answer could not be verified; nothing was registered.")
	ErrAssertion = apperr.New(apperr.KindUnauthenticated, "webauthn.invalidAssertion",
		"The passkey could not be verified.")
	ErrSignCount = apperr.New(apperr.KindUnauthenticated, "webauthn.signCountRegressed",
		"This passkey's signature counter went backwards: the key may have been cloned. Ask an administrator.")
	ErrAlreadyRegistered = apperr.New(apperr.KindConflict, "webauthn.alreadyRegistered",
		"This passkey is already registered.")
	ErrUnsupportedHost = apperr.New(apperr.KindUnprocessable, "webauthn.unsupportedHost",
		"Passkeys need the console to be opened by its domain name (CUSTOS_PUBLIC_URL), not by an IP address.")
	errPasskeyNotFound = apperr.NotFound("passkey")
)

// Passkey is one of a person's registered passkeys.
type Passkey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Transports []string   `json:"transports"`
	AAGUID     string     `json:"aaguid"`
	BackedUp   bool       `json:"backed_up"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
} //	@name	Passkey

// PasskeyOptions starts a WebAuthn ceremony: the options for navigator.credentials
// (PublicKeyCredentialCreationOptionsJSON or ...RequestOptionsJSON) and the opaque
// single-use id the browser answers with.
type PasskeyOptions struct {
	Ceremony string          `json:"ceremony"`
	Options  json.RawMessage `json:"options" swaggertype:"object"`
} //	@name	PasskeyOptions

// RegisterPasskeyInput finishes a registration: the ceremony, a name and the browser's
// PublicKeyCredential (RegistrationResponseJSON).
type RegisterPasskeyInput struct {
	Ceremony   string          `json:"ceremony"`
	Name       string          `json:"name" validate:"optional"`
	Credential json.RawMessage `json:"credential" swaggertype:"object"`
} //	@name	RegisterPasskeyInput

// RenamePasskeyInput renames a passkey.
type RenamePasskeyInput struct {
	Name string `json:"name"`
} //	@name	RenamePasskeyInput

// SetPublicURL fixes the relying party to CUSTOS_PUBLIC_URL's host and origin; empty
// takes them from each request.
func (s *Service) SetPublicURL(u string) {
	if p, err := url.Parse(u); u != "" && err == nil {
		s.publicOrigin = p.Scheme + "://" + p.Host
	}
}

// relyingParty is go-webauthn for origin (the request's scheme and host) or for
// CUSTOS_PUBLIC_URL when set: the relying party id is the origin's host name.
func (s *Service) relyingParty(origin string) (*webauthn.WebAuthn, error) {
	if s.publicOrigin != "" {
		origin = s.publicOrigin
	}
	u, err := url.Parse(origin)
	if err != nil || u.Hostname() == "" || net.ParseIP(u.Hostname()) != nil {
		return nil, ErrUnsupportedHost
	}
	wa, err := webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: issuer, RPOrigins: []string{origin},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: ChallengeTTL, TimeoutUVD: ChallengeTTL},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: ChallengeTTL, TimeoutUVD: ChallengeTTL},
		}})
	if err != nil {
		return nil, ErrUnsupportedHost
	}
	return wa, nil
}

type waUser struct {
	id, login, name string
	creds           []webauthn.Credential
}

func (u *waUser) WebAuthnID() []byte                         { return []byte(u.id) }
func (u *waUser) WebAuthnName() string                       { return u.login }
func (u *waUser) WebAuthnDisplayName() string                { return u.name }
func (u *waUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// loadUser reads user id with their passkeys; ok is false when there is no such user.
func (s *Service) loadUser(ctx context.Context, id string) (*waUser, []passkeyRow, bool, bool, error) {
	login, name, active, ok, err := s.store.userState(ctx, id)
	if err != nil || !ok {
		return nil, nil, false, false, err
	}
	rows, err := s.store.passkeys(ctx, id)
	if err != nil {
		return nil, nil, false, false, err
	}
	if name == "" {
		name = login
	}
	u := &waUser{id: id, login: login, name: name}
	for _, r := range rows {
		var c webauthn.Credential
		if err := json.Unmarshal([]byte(r.Data), &c); err != nil {
			return nil, nil, false, false, fmt.Errorf("passkey %s: %w", r.ID, err)
		}
		c.Authenticator.SignCount = uint32(r.SignCount)
		u.creds = append(u.creds, c)
	}
	return u, rows, active, true, nil
}

func ceremonyID(token string) string {
	h := sha256.Sum256([]byte("webauthn-ceremony:" + token))
	return hex.EncodeToString(h[:])
}

// keep records a ceremony's session data under a new token (or under id when given).
func (s *Service) keep(ctx context.Context, id, userID, purpose string, sess *webauthn.SessionData) (string, error) {
	data, err := json.Marshal(sess)
	if err != nil {
		return "", err
	}
	token := ""
	if id == "" {
		token = crypto.RandomToken(32)
		id = ceremonyID(token)
	}
	return token, s.store.putCeremony(ctx, &ceremonyRow{ID: id, UserID: userID, Purpose: purpose, Data: string(data),
		ExpiresAt: s.now().Add(ChallengeTTL)})
}

// take spends a ceremony (single use) and answers its session data.
func (s *Service) take(ctx context.Context, id, purpose, userID string, bad error) (webauthn.SessionData, error) {
	var sess webauthn.SessionData
	if id == "" || len(id) > 100 {
		return sess, bad
	}
	r, ok, err := s.store.takeCeremony(ctx, ceremonyID(id), purpose, s.now())
	if err != nil {
		return sess, err
	}
	if !ok || (userID != "" && r.UserID != userID) {
		return sess, bad
	}
	return sess, json.Unmarshal([]byte(r.Data), &sess)
}

func toPasskey(r passkeyRow) Passkey {
	var c webauthn.Credential
	_ = json.Unmarshal([]byte(r.Data), &c)
	t := []string{}
	if r.Transports != "" {
		t = strings.Split(r.Transports, ",")
	}
	return Passkey{ID: r.ID, Name: r.Name, Transports: t, AAGUID: r.AAGUID, BackedUp: c.Flags.BackupState,
		CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt}
}

// Passkeys lists the caller's passkeys.
func (s *Service) Passkeys(ctx context.Context) ([]Passkey, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.passkeys(ctx, p.UserID)
	out := make([]Passkey, 0, len(rows))
	for _, r := range rows {
		out = append(out, toPasskey(r))
	}
	return out, err
}

// BeginRegistration starts registering a passkey for the caller: a discoverable
// credential (resident key required) so it also signs in without a password.
func (s *Service) BeginRegistration(ctx context.Context, origin string) (PasskeyOptions, error) {
	p, err := caller(ctx)
	if err != nil {
		return PasskeyOptions{}, err
	}
	wa, err := s.relyingParty(origin)
	if err != nil {
		return PasskeyOptions{}, err
	}
	u, _, _, ok, err := s.loadUser(ctx, p.UserID)
	if err != nil {
		return PasskeyOptions{}, err
	}
	if !ok {
		return PasskeyOptions{}, apperr.Unauthenticated()
	}
	excl := make([]protocol.CredentialDescriptor, 0, len(u.creds))
	for _, c := range u.creds {
		excl = append(excl, c.Descriptor())
	}
	creation, sess, err := wa.BeginRegistration(u, webauthn.WithExclusions(excl),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationPreferred}))
	if err != nil {
		return PasskeyOptions{}, err
	}
	var token string
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		token, err = s.keep(ctx, "", p.UserID, purposeRegister, sess)
		return err
	})
	if err != nil {
		return PasskeyOptions{}, err
	}
	opts, err := json.Marshal(creation.Response)
	return PasskeyOptions{Ceremony: token, Options: opts}, err
}

// FinishRegistration verifies the browser's attestation and stores the passkey. The
// ceremony is spent whatever the outcome; a refused answer is audited and stores nothing.
func (s *Service) FinishRegistration(ctx context.Context, origin string, in RegisterPasskeyInput) (Passkey, error) {
	p, err := caller(ctx)
	if err != nil {
		return Passkey{}, err
	}
	name := validate.CleanText(strings.TrimSpace(in.Name), 100)
	if len(in.Credential) == 0 || string(in.Credential) == "null" {
		return Passkey{}, apperr.Invalid(apperr.Field("credential", "required", "the authenticator's answer is missing"))
	}
	wa, err := s.relyingParty(origin)
	if err != nil {
		return Passkey{}, err
	}
	sess, err := s.take(ctx, in.Ceremony, purposeRegister, p.UserID, ErrRegistrationExpired)
	if err != nil {
		return Passkey{}, s.rejected(ctx, p.UserID, p.Login, "passkey", err)
	}
	u, rows, _, ok, err := s.loadUser(ctx, p.UserID)
	if err != nil || !ok {
		return Passkey{}, errors.Join(err, apperr.Unauthenticated())
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(in.Credential)
	var cred *webauthn.Credential
	if err == nil {
		cred, err = wa.CreateCredential(u, sess, parsed)
	}
	if err != nil {
		return Passkey{}, s.rejected(ctx, p.UserID, p.Login, "passkey", fieldErr(ErrAttestation, err))
	}
	if name == "" {
		name = fmt.Sprintf("Passkey %d", len(rows)+1)
	}
	data, err := json.Marshal(cred)
	if err != nil {
		return Passkey{}, err
	}
	transports := make([]string, 0, len(cred.Transport))
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	aaguid := ""
	if id, err := uuid.FromBytes(cred.Authenticator.AAGUID); err == nil {
		aaguid = id.String()
	}
	row := passkeyRow{ID: uuid.NewString(), UserID: p.UserID, CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID),
		PublicKey: cred.PublicKey, SignCount: int64(cred.Authenticator.SignCount), Transports: strings.Join(transports, ","),
		AAGUID: aaguid, Data: string(data), Name: name, CreatedAt: s.now()}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if _, ok, err := s.store.passkeyByCredential(ctx, row.CredentialID); err != nil || ok {
			return errors.Join(err, map[bool]error{true: ErrAlreadyRegistered, false: nil}[ok])
		}
		if err := s.store.putPasskey(ctx, &row); err != nil {
			return err
		}
		if err := s.enrolled(ctx, p, KindWebAuthn); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "passkey.register", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, After: map[string]any{"passkey": row.ID, "name": row.Name, "aaguid": aaguid,
				"transports": transports}})
	})
	if err != nil {
		return Passkey{}, err
	}
	return toPasskey(row), nil
}

// rejected audits a refused passkey answer on its own (nothing else is written) and
// answers err.
func (s *Service) rejected(ctx context.Context, userID, login, action string, err error) error {
	code := "error"
	if e, ok := apperr.As(err); ok {
		code = e.Code
	}
	if aerr := audit.RecordAlone(ctx, s.db, audit.Entry{Action: action + ".rejected", ResourceType: ResourceType,
		ResourceID: userID, ResourceName: login, Reason: code}); aerr != nil {
		return aerr
	}
	return err
}

// fieldErr names the field credential on e; the library's reason goes to the log only
// through the caller, never the answer (it may echo the request).
func fieldErr(e *apperr.Error, _ error) *apperr.Error {
	c := *e
	c.Fields = []apperr.FieldError{apperr.Field("credential", e.Code, e.Message)}
	return &c
}

// RenamePasskey renames one of the caller's passkeys.
func (s *Service) RenamePasskey(ctx context.Context, id string, in RenamePasskeyInput) (Passkey, error) {
	p, err := caller(ctx)
	if err != nil {
		return Passkey{}, err
	}
	name := validate.CleanText(strings.TrimSpace(in.Name), 100)
	if name == "" {
		return Passkey{}, apperr.Invalid(apperr.Field("name", "required", "give the passkey a name"))
	}
	var out Passkey
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		r, ok, err := s.store.passkey(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if !ok {
			return errPasskeyNotFound
		}
		if err := s.store.renamePasskey(ctx, id, name); err != nil {
			return err
		}
		old := r.Name
		r.Name = name
		out = toPasskey(r)
		return audit.Record(ctx, audit.Entry{Action: "passkey.rename", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, Before: map[string]any{"passkey": id, "name": old},
			After: map[string]any{"passkey": id, "name": name}})
	})
	return out, err
}

// RemovePasskey deletes one of the caller's passkeys; not the last factor of a person
// whose group requires one (409 mfa.lastFactorRequired).
func (s *Service) RemovePasskey(ctx context.Context, id string) error {
	p, err := caller(ctx)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context) error {
		r, ok, err := s.store.passkey(ctx, p.UserID, id)
		if err != nil {
			return err
		}
		if !ok {
			return errPasskeyNotFound
		}
		if err := s.store.deletePasskey(ctx, id); err != nil {
			return err
		}
		if err := s.keepsRequiredFactor(ctx, p.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "passkey.remove", ResourceType: ResourceType, ResourceID: p.UserID,
			ResourceName: p.Login, Before: map[string]any{"passkey": id, "name": r.Name, "aaguid": r.AAGUID}})
	})
}

// SecondFactorOptions starts an assertion of an open challenge's account passkeys
// (session.SecondFactor): the ceremony is the challenge itself.
func (s *Service) SecondFactorOptions(ctx context.Context, origin, challenge string) (string, json.RawMessage, error) {
	o, err := s.secondFactorOptions(ctx, origin, challenge)
	return o.Ceremony, o.Options, err
}

func (s *Service) secondFactorOptions(ctx context.Context, origin, challenge string) (PasskeyOptions, error) {
	p, err := s.pending(ctx, challenge)
	if err != nil {
		return PasskeyOptions{}, err
	}
	wa, err := s.relyingParty(origin)
	if err != nil {
		return PasskeyOptions{}, err
	}
	u, _, _, ok, err := s.loadUser(ctx, p.UserID)
	if err != nil {
		return PasskeyOptions{}, err
	}
	if !ok || len(u.creds) == 0 {
		return PasskeyOptions{}, apperr.New(apperr.KindUnprocessable, "webauthn.noPasskey", "This account has no passkey.")
	}
	assertion, sess, err := wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return PasskeyOptions{}, err
	}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.deleteCeremony(ctx, ceremonyID(challenge)); err != nil {
			return err
		}
		_, err := s.keep(ctx, ceremonyID(challenge), p.UserID, purposeSecondFactor, sess)
		return err
	})
	if err != nil {
		return PasskeyOptions{}, err
	}
	opts, err := json.Marshal(assertion.Response)
	return PasskeyOptions{Ceremony: challenge, Options: opts}, err
}

// checkAssertion verifies user id's assertion against a ceremony of purpose (the
// sign-in's second factor, a step-up), in ctx's transaction, and records the passkey's use.
func (s *Service) checkAssertion(ctx context.Context, origin, challenge, purpose, userID string, assertion json.RawMessage) error {
	wa, err := s.relyingParty(origin)
	if err != nil {
		return err
	}
	sess, err := s.take(ctx, challenge, purpose, userID, ErrCeremony)
	if err != nil {
		return err
	}
	u, _, _, ok, err := s.loadUser(ctx, userID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrAssertion
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(assertion)
	if err != nil {
		return ErrAssertion
	}
	cred, err := wa.ValidateLogin(u, sess, parsed)
	if err != nil {
		return ErrAssertion
	}
	return s.recordUse(ctx, cred)
}

// recordUse refuses a credential whose counter went backwards (go-webauthn's clone
// warning) and stores its new counter and last use.
func (s *Service) recordUse(ctx context.Context, cred *webauthn.Credential) error {
	if cred.Authenticator.CloneWarning {
		return ErrSignCount
	}
	r, ok, err := s.store.passkeyByCredential(ctx, base64.RawURLEncoding.EncodeToString(cred.ID))
	if err != nil {
		return err
	}
	if !ok {
		return ErrAssertion
	}
	old := r.SignCount
	data, err := json.Marshal(cred)
	if err != nil {
		return err
	}
	now := s.now()
	r.SignCount, r.Data, r.LastUsedAt = int64(cred.Authenticator.SignCount), string(data), &now
	used, err := s.store.usePasskey(ctx, r, old)
	if err == nil && !used {
		err = ErrSignCount // another sign-in moved the counter meanwhile
	}
	return err
}

// BeginPasswordless starts a sign-in with a discoverable credential: no user is named.
func (s *Service) BeginPasswordless(ctx context.Context, origin string) (string, json.RawMessage, error) {
	o, err := s.beginPasswordless(ctx, origin)
	return o.Ceremony, o.Options, err
}

func (s *Service) beginPasswordless(ctx context.Context, origin string) (PasskeyOptions, error) {
	wa, err := s.relyingParty(origin)
	if err != nil {
		return PasskeyOptions{}, err
	}
	assertion, sess, err := wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return PasskeyOptions{}, err
	}
	var token string
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		token, err = s.keep(ctx, "", "", purposePasswordless, sess)
		return err
	})
	if err != nil {
		return PasskeyOptions{}, err
	}
	opts, err := json.Marshal(assertion.Response)
	return PasskeyOptions{Ceremony: token, Options: opts}, err
}

// PasskeyUser names the account an assertion claims (its user handle), unverified, so
// the attempt can be throttled under that login; empty when it names none.
func (s *Service) PasskeyUser(ctx context.Context, assertion json.RawMessage) (string, string, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(assertion)
	if err != nil || len(parsed.Response.UserHandle) == 0 || len(parsed.Response.UserHandle) > 64 {
		return "", "", nil
	}
	login, _, _, ok, err := s.store.userState(ctx, string(parsed.Response.UserHandle))
	if err != nil || !ok {
		return "", "", err
	}
	return string(parsed.Response.UserHandle), login, nil
}

// TakePasswordless spends a passwordless ceremony (whatever the outcome) and answers its
// opaque session data.
func (s *Service) TakePasswordless(ctx context.Context, ceremony string) (string, error) {
	sess, err := s.take(ctx, ceremony, purposePasswordless, "", ErrCeremony)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(sess)
	return string(b), err
}

// Passwordless verifies a discoverable credential's assertion against the session data
// TakePasswordless answered, in ctx's transaction: it answers the user, their login and
// whether the account is active, and records the passkey's use.
func (s *Service) Passwordless(ctx context.Context, origin, session string, assertion json.RawMessage) (string, string, bool, error) {
	wa, err := s.relyingParty(origin)
	if err != nil {
		return "", "", false, err
	}
	var sess webauthn.SessionData
	if err := json.Unmarshal([]byte(session), &sess); err != nil {
		return "", "", false, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(assertion)
	if err != nil {
		return "", "", false, ErrAssertion
	}
	var found *waUser
	active := false
	handler := func(_, userHandle []byte) (webauthn.User, error) {
		if len(userHandle) == 0 || len(userHandle) > 64 {
			return nil, ErrAssertion
		}
		u, _, act, ok, err := s.loadUser(ctx, string(userHandle))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrAssertion
		}
		found, active = u, act
		return u, nil
	}
	_, cred, err := wa.ValidatePasskeyLogin(handler, sess, parsed)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Code != ErrAssertion.Code {
			return "", "", false, err
		}
		if found != nil {
			return found.id, found.login, active, ErrAssertion
		}
		return "", "", false, ErrAssertion
	}
	if err := s.recordUse(ctx, cred); err != nil {
		return found.id, found.login, active, err
	}
	return found.id, found.login, active, nil
}

// PasskeysOf counts user id's passkeys.
func (s *Service) passkeyCount(ctx context.Context, userID string) (int64, error) {
	return s.store.countPasskeys(ctx, userID)
}
