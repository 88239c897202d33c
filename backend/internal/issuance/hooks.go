package issuance

import (
	"context"
	"strconv"
	"strings"

	"custos/internal/audit"
	"custos/internal/device"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/validate"
	"custos/internal/smev"
)

// SMEV checks a person's data before a qualified certificate (the smev package's Client).
type SMEV interface {
	Check(ctx context.Context, requestID string, p smev.Person) (smev.Answer, error)
}

// Notifier sends the issuance's mails (the notify package's Service).
type Notifier interface {
	// Decided queues the decision mail in ctx's transaction.
	Decided(ctx context.Context, userID string, approved bool, comment, by string) error
	// MailPIN mails a random user PIN now, never storing it; it answers the addresses.
	MailPIN(ctx context.Context, userID, pin, serial string, toUser, toManager bool) ([]string, error)
}

// SecretQuestions counts the secret questions a person has set (the secretq package's Service).
type SecretQuestions interface {
	Count(ctx context.Context, userID string) (int, error)
}

// SetSMEV wires the SMEV adapter (none: a policy that needs the check cannot issue a
// qualified certificate, 503).
func (s *Service) SetSMEV(c SMEV) { s.smev = c }

// SetNotifier wires the mails.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

// SetSecretQuestions wires the secret questions.
func (s *Service) SetSecretQuestions(q SecretQuestions) { s.secrets = q }

// checkSecretQuestions refuses a self-service request of someone who has set fewer
// secret questions than their policy requires (an operator issuing for them is not held
// up by it).
func (s *Service) checkSecretQuestions(ctx context.Context, userID string, required int, self bool) error {
	if !self || required == 0 {
		return nil
	}
	have := 0
	if s.secrets != nil {
		n, err := s.secrets.Count(ctx, userID)
		if err != nil {
			return err
		}
		have = n
	}
	if have < required {
		return errSecretQuestions(required, have)
	}
	return nil
}

// smevRecord is what the smev column keeps (sealed) of a check that matched.
type smevRecord struct {
	RequestID string      `json:"request_id"`
	Form      smev.Person `json:"form"`
	Answer    smev.Answer `json:"answer"`
	CheckedAt string      `json:"checked_at"`
}

// checkSMEV merges the submitted form over the directory's data (the policy decides
// whether prefilled data may change), checks it in SMEV and answers the record to keep.
// A bad form is a 400 on smev.<field>, a mismatch a 422 naming the fields, no answer a 503.
func (s *Service) checkSMEV(ctx context.Context, requestID string, u identity.User, editable bool, in *smev.Person) (string, error) {
	form, errs := smev.Merge(smev.Prefill(u), in, editable, s.now())
	if len(errs) > 0 {
		return "", apperr.Invalid(errs...)
	}
	if s.smev == nil {
		return "", errSMEVUnavailable
	}
	ans, err := s.smev.Check(ctx, requestID, form)
	if err != nil {
		s.log.Warn("SMEV check", "request_id", requestID, "err", err)
		return "", errSMEVFailed(err)
	}
	if ans.Result == smev.Mismatch {
		e := &apperr.Error{Kind: apperr.KindUnprocessable, Code: "issuance.smevMismatch",
			Message: "SMEV does not confirm your data: check the fields named and correct them, or ask the directory's administrator."}
		for _, f := range ans.Fields {
			e.Fields = append(e.Fields, apperr.Field("smev."+f, "mismatch", "does not match SMEV's records"))
		}
		if len(e.Fields) == 0 {
			e.Fields = append(e.Fields, apperr.Field("smev", "mismatch", "does not match SMEV's records"))
		}
		return "", e
	}
	// The form is personal data (passport, SNILS, INN): sealed at rest with the app key,
	// read back only by SMEVRecord. "{}" (unsealed) means no check.
	return s.box.Seal(encodeJSON(smevRecord{RequestID: requestID, Form: form, Answer: ans, CheckedAt: s.now().Format("2006-01-02T15:04:05Z07:00")}))
}

// SMEVForm is the SMEV check form prefilled from the directory for the caller.
type SMEVForm struct {
	// Required: the caller's usage policy checks qualified templates in SMEV.
	Required bool `json:"required"`
	// Editable: the policy lets the caller change the prefilled data.
	Editable bool `json:"editable"`
	// Configured: the server has an SMEV service to ask.
	Configured bool        `json:"configured"`
	Form       smev.Person `json:"form"`
	// EditableFields are the fields the caller may fill in or change.
	EditableFields []string `json:"editable_fields"`
	// RequiredFields must not be empty.
	RequiredFields []string `json:"required_fields"`
} //	@name	SMEVForm

// MySMEVForm answers the caller's SMEV form: the directory's data (attributes last_name,
// first_name, middle_name, birth_date, snils, inn, passport_series, passport_number and
// the e-mail address) and which fields they may edit under their policy.
func (s *Service) MySMEVForm(ctx context.Context) (SMEVForm, error) {
	uid, _ := actor(ctx)
	u, err := s.dir.GetUser(ctx, uid)
	if err != nil {
		return SMEVForm{}, err
	}
	eff, err := s.cat.EffectivePolicy(ctx, uid)
	if err != nil {
		return SMEVForm{}, err
	}
	out := SMEVForm{Configured: s.smev != nil, Form: smev.Prefill(u), RequiredFields: smev.Required}
	if eff.Policy != nil {
		out.Required, out.Editable = eff.Policy.SMEVCheck, eff.Policy.SMEVCheck && eff.Policy.SMEVFormEditable
	}
	out.EditableFields = smev.EditableFields(out.Form, out.Editable)
	return out, nil
}

// PINMailInput is the random user PIN the agent just set on the device.
type PINMailInput struct {
	PIN string `json:"pin"`
} //	@name	IssuancePINMail

// PINMailResult says where the PIN went.
type PINMailResult struct {
	SentTo []string `json:"sent_to"`
} //	@name	IssuancePINMailResult

// MailPIN e-mails the random user PIN the agent set on the device of the caller's
// issuance id (writing or issued) to the user and/or their manager, as the issuance's
// policy says. The PIN is checked against the device type's rules and the policy's
// length, sent at once and never stored, logged or audited; the audit event names the
// recipients.
func (s *Service) MailPIN(ctx context.Context, id string, in PINMailInput) (PINMailResult, error) {
	uid, _ := actor(ctx)
	r, err := s.store.get(ctx, id, uid, false)
	if err != nil {
		return PINMailResult{}, err
	}
	if r.State != StateWriting && r.State != StateIssued {
		cur, _ := s.one(ctx, r)
		return PINMailResult{}, errWrongState(r.State, cur)
	}
	snap := r.toAPI(nil).Policy
	if !snap.RandomUserPIN || (!snap.RandomUserPINEmailUser && !snap.RandomUserPINEmailManager) {
		return PINMailResult{}, errPINMailOff
	}
	var c validate.Checks
	if in.PIN == "" {
		c.Add("pin", "required", "is required")
	} else if n := len([]rune(in.PIN)); snap.RandomUserPINLength > 0 && n != snap.RandomUserPINLength {
		c.Add("pin", "wrongLength", "a random PIN of this policy has "+strconv.Itoa(snap.RandomUserPINLength)+" characters")
	}
	if !c.Has("pin") {
		t, err := s.cat.GetType(ctx, r.DeviceTypeID)
		if err != nil {
			return PINMailResult{}, err
		}
		if code, msg := device.CheckPIN(t.PinRules, in.PIN); code != "" {
			c.Add("pin", code, msg)
		}
	}
	if err := c.Err(); err != nil {
		return PINMailResult{}, err
	}
	if s.notifier == nil {
		return PINMailResult{}, apperr.New(apperr.KindUnavailable, "notify.notConfigured", "Outgoing mail is not available.")
	}
	sent, err := s.notifier.MailPIN(ctx, r.UserID, in.PIN, r.Serial, snap.RandomUserPINEmailUser, snap.RandomUserPINEmailManager)
	if len(sent) > 0 {
		if aerr := audit.RecordAlone(ctx, s.db, audit.Entry{Action: "pin_mail", ResourceType: ResourceIssuance, ResourceID: r.ID,
			ResourceName: r.UserLogin, After: map[string]any{"sent_to": strings.Join(sent, ", ")}}); aerr != nil && err == nil {
			err = aerr
		}
	}
	if err != nil {
		return PINMailResult{}, err
	}
	return PINMailResult{SentTo: sent}, nil
}
