package issuance

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"log/slog"
	"slices"
	"strings"
	"time"

	"custos/internal/audit"
	"custos/internal/ca"
	"custos/internal/device"
	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Catalogue is what an issuance needs of the device catalogue (the device package's
// Service).
type Catalogue interface {
	GetType(ctx context.Context, id string) (device.DeviceType, error)
	GetTemplate(ctx context.Context, id string) (device.CertificateTemplate, error)
	EffectivePolicy(ctx context.Context, userID string) (device.EffectivePolicy, error)
	ListTypes(ctx context.Context, p list.Params) (list.Page[device.DeviceType], error)
	DefaultPINs(ctx context.Context, id, area string) (admin, user string, err error)
}

// Directory gives the user a certificate's subject is built from.
type Directory interface {
	GetUser(ctx context.Context, id string) (identity.User, error)
}

// Authority signs and revokes certificates (the ca package's Service).
type Authority interface {
	Issue(ctx context.Context, r ca.IssueRequest) (ca.Issued, error)
	Revoke(ctx context.Context, serial string, reason int) error
}

// Service runs the issuance state machine.
type Service struct {
	db    *db.DB
	store store
	cat   Catalogue
	dir   Directory
	ca    Authority
	box   *crypto.Box
	log   *slog.Logger
	now   func() time.Time
	// Optional collaborators, set while wiring (hooks.go).
	smev     SMEV
	notifier Notifier
	secrets  SecretQuestions
}

// NewService wires the issuance service.
func NewService(d *db.DB, cat Catalogue, dir Directory, authority Authority, box *crypto.Box, log *slog.Logger) *Service {
	return &Service{db: d, store: store{db: d}, cat: cat, dir: dir, ca: authority, box: box, log: log,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// actor is the caller of ctx: a person (a session or a personal token).
func actor(ctx context.Context) (id, login string) {
	if p := authz.FromContext(ctx); p != nil {
		return p.UserID, p.Login
	}
	return "", ""
}

// ---- reading ----

func (s *Service) withCerts(ctx context.Context, rows []issuanceRow) ([]Issuance, error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	certs, err := s.store.certs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Issuance, len(rows))
	for i := range rows {
		out[i] = rows[i].toAPI(certs[rows[i].ID])
	}
	return out, nil
}

func (s *Service) one(ctx context.Context, r issuanceRow) (Issuance, error) {
	xs, err := s.withCerts(ctx, []issuanceRow{r})
	if err != nil {
		return Issuance{}, err
	}
	evs, err := s.store.events(ctx, []string{r.ID})
	if err != nil {
		return Issuance{}, err
	}
	out := xs[0]
	out.History = make([]Event, len(evs))
	for i, e := range evs {
		out.History[i] = Event{IssuanceID: deref(e.IssuanceID), From: e.FromState, To: e.ToState, ActorLogin: e.ActorLogin, Comment: e.Comment, At: e.At}
	}
	return out, nil
}

// List lists issuances: every one (userID "") or one user's.
func (s *Service) List(ctx context.Context, userID string, p list.Params) (list.Page[Issuance], error) {
	page, err := s.store.list(ctx, userID, p)
	if err != nil {
		return list.Page[Issuance]{}, err
	}
	items, err := s.withCerts(ctx, page.Items)
	if err != nil {
		return list.Page[Issuance]{}, err
	}
	return list.Page[Issuance]{Items: items, Total: page.Total, Page: page.Page, PageSize: page.PageSize, NextCursor: page.NextCursor}, nil
}

// Get answers issuance id with its history (of userID when not empty: another
// person's issuance is not found).
func (s *Service) Get(ctx context.Context, id, userID string) (Issuance, error) {
	r, err := s.store.get(ctx, id, userID, false)
	if err != nil {
		return Issuance{}, err
	}
	return s.one(ctx, r)
}

// ---- requesting ----

// Request opens an issuance for the caller (self-service): their usage policy must allow
// issuing a device themselves.
func (s *Service) Request(ctx context.Context, in Input) (Issuance, error) {
	uid, _ := actor(ctx)
	return s.open(ctx, uid, in, true)
}

// RequestFor opens an issuance for a user (an operator issues for them): the user's
// policy decides everything but self-issuance.
func (s *Service) RequestFor(ctx context.Context, in OperatorInput) (Issuance, error) {
	var c validate.Checks
	c.UUID("user_id", in.UserID)
	if err := c.Err(); err != nil {
		return Issuance{}, err
	}
	return s.open(ctx, in.UserID, in.Input, false)
}

func (s *Service) open(ctx context.Context, userID string, in Input, self bool) (Issuance, error) {
	u, err := s.dir.GetUser(ctx, userID)
	if err != nil {
		if apperr.Is(err, "resource.notFound") && !self {
			return Issuance{}, apperr.Invalid(apperr.Field("user_id", "notFound", "no such user"))
		}
		return Issuance{}, err
	}
	eff, err := s.cat.EffectivePolicy(ctx, userID)
	if err != nil {
		return Issuance{}, err
	}
	if eff.Policy == nil {
		return Issuance{}, errNoPolicy
	}
	pol := *eff.Policy
	if self && !pol.SelfIssuanceAllowed {
		return Issuance{}, errSelfIssuanceOff
	}
	if self {
		// Seed 001: a person issues a device themselves only while they have none issued;
		// another one, or a second at once, is an operator's to issue.
		devices, open, err := s.store.holdings(ctx, userID)
		if err != nil {
			return Issuance{}, err
		}
		if devices > 0 {
			return Issuance{}, errDeviceHeld
		}
		if open > 0 {
			return Issuance{}, errRequestOpen
		}
	}
	if err := s.checkSecretQuestions(ctx, userID, pol.SecretQuestionsRequired, self); err != nil {
		return Issuance{}, err
	}
	var c validate.Checks
	if in.DeviceTypeID == "" {
		c.Add("device_type_id", "required", "choose a device type")
	} else if _, err := s.cat.GetType(ctx, in.DeviceTypeID); err != nil {
		if !apperr.Is(err, "resource.notFound") {
			return Issuance{}, err
		}
		c.Add("device_type_id", "unknown", "no such device type")
	}
	templates := pol.TemplateIDs
	if len(in.TemplateIDs) > 0 {
		if !pol.UserMayChooseTemplates && self {
			c.Add("template_ids", "notAllowed", "the usage policy does not let you choose the certificates")
		}
		templates = nil
		for _, t := range in.TemplateIDs {
			switch {
			case !slices.Contains(pol.TemplateIDs, t):
				c.Add("template_ids", "notAllowed", "the usage policy does not allow the template "+t)
			case !slices.Contains(templates, t):
				templates = append(templates, t)
			}
		}
	}
	s.checkSKZI(&c, pol.SKZIAccounting, in)
	if err := c.Err(); err != nil {
		return Issuance{}, err
	}
	if len(templates) == 0 {
		return Issuance{}, errNoTemplates
	}
	qualified := false
	for _, id := range templates {
		t, err := s.cat.GetTemplate(ctx, id)
		if err != nil {
			return Issuance{}, err
		}
		qualified = qualified || t.Qualified
	}
	smev := pol.SMEVCheck && qualified
	id, smevDoc := newID(), "{}"
	if smev {
		// Checked before anything is written: a refusal leaves no trace of the request.
		if smevDoc, err = s.checkSMEV(ctx, id, u, pol.SMEVFormEditable, in.SMEV); err != nil {
			return Issuance{}, err
		}
	}
	now := s.now()
	aid, alogin := actor(ctx)
	snap := PolicySnapshot{ID: pol.ID, Name: pol.Name, ApprovalRequired: pol.ApprovalRequired, SKZIAccounting: pol.SKZIAccounting,
		InitialiseBeforeIssuance: pol.InitialiseBeforeIssuance, RandomUserPIN: pol.RandomUserPIN.Enabled,
		RandomUserPINLength: pol.RandomUserPIN.Length, SMEVCheck: smev,
		RandomUserPINEmailUser:    pol.RandomUserPIN.Enabled && pol.RandomUserPIN.EmailUser,
		RandomUserPINEmailManager: pol.RandomUserPIN.Enabled && pol.RandomUserPIN.EmailManager}
	r := issuanceRow{ID: id, UserID: u.ID, UserLogin: u.Login, RequestedByID: aid, RequestedByLogin: alogin,
		DeviceTypeID: in.DeviceTypeID, TemplateIDs: encodeJSON(templates), Policy: encodeJSON(snap), State: StateDraft,
		SkziNumber: strings.TrimSpace(in.SKZINumber), SkziDate: in.SKZIDate, Smev: smevDoc,
		SearchText: strings.ToLower(u.Login + "\x1f" + u.DisplayName), Version: 1, CreatedAt: now, UpdatedAt: now}
	next := StateApproved
	if pol.ApprovalRequired {
		next = StatePendingApproval
	}
	var out Issuance
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.store.insert(ctx, &r); err != nil {
			return err
		}
		if err := s.transition(ctx, &r, "", StateDraft, ""); err != nil {
			return err
		}
		if smev {
			if err := s.advance(ctx, &r, StateSMEVCheck, nil, "SMEV: match"); err != nil {
				return err
			}
		}
		if err := s.advance(ctx, &r, next, nil, ""); err != nil {
			return err
		}
		var err error
		if out, err = s.one(ctx, r); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "create", ResourceType: ResourceIssuance, ResourceID: r.ID,
			ResourceName: u.Login, After: out})
	})
	return out, err
}

// checkSKZI requires the accounting document when the policy keeps the accounting: a
// number, and a date that is a real day and not in the future.
func (s *Service) checkSKZI(c *validate.Checks, required bool, in Input) {
	num := strings.TrimSpace(in.SKZINumber)
	if required && num == "" {
		c.Add("skzi_number", "required", "the SKZI accounting document number is required")
	}
	c.Text("skzi_number", num, false, 100)
	if in.SKZIDate == "" {
		if required {
			c.Add("skzi_date", "required", "the SKZI accounting document date is required")
		}
		return
	}
	d, err := time.Parse(time.DateOnly, in.SKZIDate)
	switch {
	case err != nil:
		c.Add("skzi_date", "invalidFormat", "must be a date YYYY-MM-DD")
	case d.After(s.now()):
		c.Add("skzi_date", "future", "must not be in the future")
	}
}

// transition writes the history row of a move of r (already in state to).
func (s *Service) transition(ctx context.Context, r *issuanceRow, from, to, comment string) error {
	aid, alogin := actor(ctx)
	return s.store.event(ctx, &eventRow{ID: newID(), IssuanceID: &r.ID, DeviceID: r.DeviceID, FromState: from, ToState: to,
		ActorID: aid, ActorLogin: alogin, Comment: comment, At: s.now()})
}

// advance moves r to state to from its current state (guarded by its version), with
// the extra columns, and writes the history row; a lost race is a 409 with the current
// issuance.
func (s *Service) advance(ctx context.Context, r *issuanceRow, to string, extra map[string]any, comment string) error {
	fields := map[string]any{"state": to, "version": r.Version + 1, "updated_at": s.now()}
	for k, v := range extra {
		fields[k] = v
	}
	ok, err := s.store.move(ctx, r.ID, r.Version, []string{r.State}, fields)
	if err != nil {
		return err
	}
	if !ok {
		cur, err := s.store.get(ctx, r.ID, "", false)
		if err != nil {
			return err
		}
		cx, _ := s.one(ctx, cur)
		return errWrongState(cur.State, cx)
	}
	from := r.State
	fresh, err := s.store.get(ctx, r.ID, "", false)
	if err != nil {
		return err
	}
	*r = fresh
	return s.transition(ctx, r, from, to, comment)
}

// load reads issuance id for a step, locked, and checks its state is one of allowed.
func (s *Service) load(ctx context.Context, id, userID string, allowed ...string) (issuanceRow, error) {
	r, err := s.store.get(ctx, id, userID, true)
	if err != nil {
		return r, err
	}
	if !slices.Contains(allowed, r.State) {
		cur, _ := s.one(ctx, r)
		return r, errWrongState(r.State, cur)
	}
	return r, nil
}

// ---- deciding ----

// Approve approves a pending issuance. Nobody decides their own request; of concurrent
// decisions exactly one wins, the others get 409.
func (s *Service) Approve(ctx context.Context, id string, in Decision) (Issuance, error) {
	return s.decide(ctx, id, in, StateApproved)
}

// Reject rejects a pending issuance; the comment says why and is required.
func (s *Service) Reject(ctx context.Context, id string, in Decision) (Issuance, error) {
	if strings.TrimSpace(in.Comment) == "" {
		return Issuance{}, apperr.Invalid(apperr.Field("comment", "required", "say why the request is rejected"))
	}
	return s.decide(ctx, id, in, StateRejected)
}

func (s *Service) decide(ctx context.Context, id string, in Decision, to string) (Issuance, error) {
	var c validate.Checks
	c.Text("comment", in.Comment, false, 2000)
	if err := c.Err(); err != nil {
		return Issuance{}, err
	}
	aid, alogin := actor(ctx)
	r, err := s.store.get(ctx, id, "", false)
	if err != nil {
		return Issuance{}, err
	}
	if r.UserID == aid || r.RequestedByID == aid {
		_ = audit.RecordAlone(ctx, s.db, audit.Entry{Action: audit.ActionDenied, ResourceType: ResourceIssuance,
			ResourceID: r.ID, ResourceName: r.UserLogin, Reason: errOwnRequest.Code})
		return Issuance{}, errOwnRequest
	}
	var out Issuance
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.load(ctx, id, "", StatePendingApproval)
		if err != nil {
			return err
		}
		before, err := s.one(ctx, r)
		if err != nil {
			return err
		}
		now := s.now()
		if err := s.advance(ctx, &r, to, map[string]any{"decided_by_id": aid, "decided_by_login": alogin,
			"decision_comment": strings.TrimSpace(in.Comment), "decided_at": now}, in.Comment); err != nil {
			return err
		}
		if out, err = s.one(ctx, r); err != nil {
			return err
		}
		action := "approve"
		if to == StateRejected {
			action = "reject"
		}
		if err := audit.Record(ctx, audit.Entry{Action: action, ResourceType: ResourceIssuance, ResourceID: r.ID,
			ResourceName: r.UserLogin, Before: before, After: out}); err != nil {
			return err
		}
		// The decision mail is queued in the decision's transaction (an outbox row).
		if s.notifier == nil {
			return nil
		}
		return s.notifier.Decided(ctx, r.UserID, to == StateApproved, strings.TrimSpace(in.Comment), alogin)
	})
	return out, err
}

// ---- writing ----

// curveOf is the template algorithm of a public key ("" when none fits).
func algorithmOf(pub any) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve.Params().Name {
		case "P-256":
			return "ecdsa-p256"
		case "P-384":
			return "ecdsa-p384"
		}
	case *rsa.PublicKey:
		switch k.N.BitLen() {
		case 2048:
			return "rsa-2048"
		case 3072:
			return "rsa-3072"
		case 4096:
			return "rsa-4096"
		}
	}
	return ""
}

// subjectOf builds a certificate's subject from the template's RDNs rendered for u, in
// the template's order.
// The third answer is the subject as the template preview writes it (RFC 4514, named
// attributes in the template's order), kept for people to read.
func subjectOf(t device.CertificateTemplate, u identity.User) (*pkix.Name, string, string) {
	p := device.RenderSubject(t.Subject, u)
	shown := p.Subject
	name := &pkix.Name{}
	cn := ""
	for _, rdn := range p.RDNs {
		oid, ok := device.RDNAttrs[rdn.Attr]
		if !ok || rdn.Value == "" {
			continue
		}
		if rdn.Attr == "CN" && cn == "" {
			cn = rdn.Value
		}
		name.ExtraNames = append(name.ExtraNames, pkix.AttributeTypeAndValue{Type: oid, Value: rdn.Value})
	}
	if cn == "" {
		// A template whose CN came out empty (no display name): the login names the holder.
		cn = u.Login
		name.ExtraNames = append([]pkix.AttributeTypeAndValue{{Type: device.RDNAttrs["CN"], Value: cn}}, name.ExtraNames...)
		shown = strings.TrimSuffix("CN="+device.RenderSubject([]device.SubjectRDN{{Attr: "CN", Value: cn}}, u).RDNs[0].Value+","+shown, ",")
	}
	return name, cn, shown
}

func usagesOf(t device.CertificateTemplate) (x509.KeyUsage, []asn1.ObjectIdentifier) {
	var ku x509.KeyUsage
	for _, n := range t.KeyUsages {
		ku |= device.KeyUsages[n]
	}
	var eku []asn1.ObjectIdentifier
	for _, n := range t.ExtKeyUsages {
		if oid, ok := device.ExtKeyUsages[n]; ok {
			eku = append(eku, oid)
		}
	}
	return ku, eku
}

func checkSerial(c *validate.Checks, serial string) {
	c.Text("serial", serial, true, 64)
}

// SignRequest signs, for template in.TemplateID, the request the agent made on the
// device (approved, writing, or failed → writing). The request's key must be of the
// template's algorithm; the subject and usages are the template's, never the request's.
// A certificate signed earlier for the same template and not confirmed is revoked
// (superseded) first. Another person's issuance is not found.
func (s *Service) SignRequest(ctx context.Context, id string, in CSRInput) (Certificate, error) {
	uid, _ := actor(ctx)
	var c validate.Checks
	serial := strings.TrimSpace(in.Serial)
	checkSerial(&c, serial)
	c.Text("template_id", in.TemplateID, true, 36)
	if err := c.Err(); err != nil {
		return Certificate{}, err
	}
	req, err := ca.ParseCSR(in.CSR)
	if err != nil {
		return Certificate{}, err
	}
	r, err := s.store.get(ctx, id, uid, false)
	if err != nil {
		return Certificate{}, err
	}
	if !slices.Contains(r.templates(), in.TemplateID) {
		return Certificate{}, apperr.Invalid(apperr.Field("template_id", "notInIssuance", "is not a template of this issuance"))
	}
	t, err := s.cat.GetTemplate(ctx, in.TemplateID)
	if err != nil {
		return Certificate{}, err
	}
	if got := algorithmOf(req.PublicKey); got != t.KeyAlgorithm {
		return Certificate{}, apperr.Invalid(apperr.Field("csr", "algorithmMismatch",
			"the key must be "+t.KeyAlgorithm+" as the template says, not "+ca.KeyAlgorithm(req.PublicKey)))
	}
	u, err := s.dir.GetUser(ctx, r.UserID)
	if err != nil {
		return Certificate{}, err
	}
	var out Certificate
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.load(ctx, id, uid, StateApproved, StateWriting, StateFailed)
		if err != nil {
			return err
		}
		if r.Serial != "" && r.Serial != serial {
			certs, err := s.store.certs(ctx, []string{r.ID})
			if err != nil {
				return err
			}
			if len(live(certs[r.ID])) > 0 {
				return apperr.Invalid(apperr.Field("serial", "mismatch",
					"this issuance is being written on the device "+r.Serial+": continue on that device, or cancel"))
			}
		}
		if taken, err := s.store.liveSerial(ctx, serial); err != nil || taken {
			return firstErr(err, errSerialTaken)
		}
		if r.State != StateWriting {
			if err := s.advance(ctx, &r, StateWriting, map[string]any{"serial": serial, "error": ""}, ""); err != nil {
				return err
			}
		} else if r.Serial != serial {
			if err := s.setFields(ctx, &r, map[string]any{"serial": serial}); err != nil {
				return err
			}
		}
		if err := s.supersede(ctx, r.ID, in.TemplateID); err != nil {
			return err
		}
		name, cn, shown := subjectOf(t, u)
		ku, eku := usagesOf(t)
		issued, err := s.ca.Issue(ctx, ca.IssueRequest{PublicKey: req.PublicKey, CommonName: cn, Purpose: ca.PurposeDevice,
			OwnerID: r.ID, ValidityDays: t.ValidityDays, Subject: name, KeyUsage: ku, ExtKeyUsageOIDs: eku})
		if err != nil {
			return err
		}
		row := certRow{ID: newID(), IssuanceID: r.ID, TemplateID: t.ID, Serial: issued.Serial, Fingerprint: issued.FingerprintSHA256,
			Subject: shown, NotAfter: issued.NotAfter, PEM: issued.PEM, CreatedAt: s.now()}
		if err := s.store.insertCert(ctx, &row); err != nil {
			return err
		}
		out = row.toAPI()
		return audit.Record(ctx, audit.Entry{Action: "sign", ResourceType: ResourceIssuance, ResourceID: r.ID,
			ResourceName: r.UserLogin, After: map[string]any{"template_id": t.ID, "serial": issued.Serial,
				"fingerprint_sha256": issued.FingerprintSHA256, "subject": shown, "device_serial": serial}})
	})
	return out, err
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// setFields changes columns of r without a transition (guarded by its version).
func (s *Service) setFields(ctx context.Context, r *issuanceRow, fields map[string]any) error {
	fields["version"], fields["updated_at"] = r.Version+1, s.now()
	ok, err := s.store.move(ctx, r.ID, r.Version, []string{r.State}, fields)
	if err != nil {
		return err
	}
	if !ok {
		return errWrongState(r.State, nil)
	}
	fresh, err := s.store.get(ctx, r.ID, "", false)
	*r = fresh
	return err
}

// live are the certificates neither revoked nor confirmed.
func live(cs []certRow) []certRow {
	var out []certRow
	for _, c := range cs {
		if !c.Revoked && !c.Confirmed {
			out = append(out, c)
		}
	}
	return out
}

// supersede revokes the unconfirmed certificates of the issuance (of one template, or
// all when templateID is ""): an attempt that never reached the device leaves nothing valid.
func (s *Service) supersede(ctx context.Context, issuanceID, templateID string) error {
	certs, err := s.store.certs(ctx, []string{issuanceID})
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range live(certs[issuanceID]) {
		if templateID != "" && c.TemplateID != templateID {
			continue
		}
		if err := s.ca.Revoke(ctx, c.Serial, ca.Reasons["superseded"]); err != nil {
			return err
		}
		ids = append(ids, c.ID)
	}
	return s.store.updateCerts(ctx, ids, map[string]any{"revoked": true})
}

// Confirm registers the device once the agent read every certificate back from it: one
// live certificate per template of the issuance, and exactly their fingerprints. The
// device becomes issued, with the SKZI accounting of the request and, sealed, the admin
// PIN it was initialised with.
func (s *Service) Confirm(ctx context.Context, id string, in ConfirmInput) (Issuance, error) {
	uid, _ := actor(ctx)
	var c validate.Checks
	serial := strings.TrimSpace(in.Serial)
	checkSerial(&c, serial)
	c.Text("label", in.Label, false, 200)
	if len(in.Fingerprints) == 0 {
		c.Add("fingerprints", "required", "list the fingerprints of the certificates read back from the device")
	}
	if err := c.Err(); err != nil {
		return Issuance{}, err
	}
	var out Issuance
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.load(ctx, id, uid, StateWriting)
		if err != nil {
			return err
		}
		if r.Serial != serial {
			return apperr.Invalid(apperr.Field("serial", "mismatch", "the certificates were made for the device "+r.Serial))
		}
		certs, err := s.store.certs(ctx, []string{r.ID})
		if err != nil {
			return err
		}
		cur := live(certs[r.ID])
		var fps, ids []string
		for _, c := range cur {
			fps = append(fps, c.Fingerprint)
			ids = append(ids, c.ID)
		}
		want := make([]string, len(in.Fingerprints))
		for i, f := range in.Fingerprints {
			want[i] = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(f), ":", ""))
		}
		slices.Sort(fps)
		slices.Sort(want)
		if len(cur) != len(r.templates()) || !slices.Equal(fps, want) {
			return apperr.Invalid(apperr.Field("fingerprints", "mismatch",
				"the device must hold exactly the certificates signed for this issuance, one per template"))
		}
		sealed := ""
		if in.AdminPIN != "" {
			t, err := s.cat.GetType(ctx, r.DeviceTypeID)
			if err != nil {
				return err
			}
			if code, msg := device.CheckPIN(t.PinRules, in.AdminPIN); code != "" {
				return apperr.Invalid(apperr.Field("admin_pin", code, msg))
			}
			if sealed, err = s.box.Seal(in.AdminPIN); err != nil {
				return err
			}
		}
		if taken, err := s.store.liveSerial(ctx, serial); err != nil || taken {
			return firstErr(err, errSerialTaken)
		}
		now := s.now()
		d := deviceRow{ID: newID(), UserID: r.UserID, UserLogin: r.UserLogin, DeviceTypeID: r.DeviceTypeID, Serial: serial,
			Label: strings.TrimSpace(in.Label), Status: DeviceIssued, AdminPIN: sealed, SkziNumber: r.SkziNumber, SkziDate: r.SkziDate,
			SearchText: strings.ToLower(r.UserLogin + "\x1f" + serial + "\x1f" + in.Label), IssuedAt: now, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.store.insertDevice(ctx, &d); err != nil {
			return err
		}
		if err := s.store.updateCerts(ctx, ids, map[string]any{"confirmed": true, "device_id": d.ID}); err != nil {
			return err
		}
		r.DeviceID = &d.ID
		if err := s.advance(ctx, &r, StateIssued, map[string]any{"device_id": d.ID}, ""); err != nil {
			return err
		}
		if out, err = s.one(ctx, r); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "issue", ResourceType: ResourceDevice, ResourceID: d.ID,
			ResourceName: r.UserLogin + " · " + serial, After: d.toAPI()})
	})
	return out, err
}

// Fail records a failed attempt (writing → failed): its unconfirmed certificates are
// revoked, and the issuance can be continued (a new request signed) later.
func (s *Service) Fail(ctx context.Context, id string, in FailInput) (Issuance, error) {
	uid, _ := actor(ctx)
	var c validate.Checks
	c.Text("reason", in.Reason, true, 2000)
	if err := c.Err(); err != nil {
		return Issuance{}, err
	}
	return s.end(ctx, id, uid, StateFailed, in.Reason, StateWriting)
}

// Cancel ends an issuance before it is issued; its unconfirmed certificates are revoked.
func (s *Service) Cancel(ctx context.Context, id string) (Issuance, error) {
	uid, _ := actor(ctx)
	return s.end(ctx, id, uid, StateCancelled, "", StateDraft, StateSMEVCheck, StatePendingApproval, StateApproved,
		StateWriting, StateFailed)
}

func (s *Service) end(ctx context.Context, id, uid, to, reason string, from ...string) (Issuance, error) {
	var out Issuance
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		r, err := s.load(ctx, id, uid, from...)
		if err != nil {
			return err
		}
		if err := s.supersede(ctx, r.ID, ""); err != nil {
			return err
		}
		extra := map[string]any{}
		if to == StateFailed {
			extra["error"] = reason
		}
		if err := s.advance(ctx, &r, to, extra, reason); err != nil {
			return err
		}
		if out, err = s.one(ctx, r); err != nil {
			return err
		}
		action := "cancel"
		if to == StateFailed {
			action = "fail"
		}
		return audit.Record(ctx, audit.Entry{Action: action, ResourceType: ResourceIssuance, ResourceID: r.ID,
			ResourceName: r.UserLogin, After: out})
	})
	return out, err
}
