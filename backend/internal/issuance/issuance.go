// Package issuance walks the issuance of a hardware device (SPEC §8, seed 001) through
// its states on the server, one row per request and every transition kept as the
// device's history:
//
//	draft → smev_check → pending_approval → approved | rejected → writing → issued | failed
//	                                   (cancelled from any state before issued)
//
// The server never sees a device's private key: the agent on the workstation makes the
// key pair on the token and sends a PKCS#10 request signed by it; the CA signs it per the
// certificate template; the device becomes issued only after the agent confirms that
// every certificate is written on the token. Steps are idempotent and resumable: an
// issuance left in writing (a browser closed, an agent gone) continues from a fresh
// browser, and a certificate signed for an attempt that was not confirmed is revoked
// (superseded) before a new one is signed, so no valid certificate is left behind
// without its device.
package issuance

import (
	"strconv"
	"time"

	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/smev"
)

// States of an issuance.
const (
	StateDraft           = "draft"
	StateSMEVCheck       = "smev_check"
	StatePendingApproval = "pending_approval"
	StateApproved        = "approved"
	StateRejected        = "rejected"
	StateWriting         = "writing"
	StateIssued          = "issued"
	StateFailed          = "failed"
	StateCancelled       = "cancelled"
)

// States lists every state in the order of the flow.
var States = []string{StateDraft, StateSMEVCheck, StatePendingApproval, StateApproved, StateRejected,
	StateWriting, StateIssued, StateFailed, StateCancelled}

// Statuses of a device.
const (
	DeviceIssued  = "issued"
	DeviceBlocked = "blocked"
	DeviceRevoked = "revoked"
)

// Audit resource types.
const (
	ResourceIssuance = "device_issuance"
	ResourceDevice   = "device"
)

// PolicySnapshot is the usage policy as it was when the issuance was requested: later
// changes of the policy do not change a request in flight.
type PolicySnapshot struct {
	ID                       string `json:"id"`
	Name                     string `json:"name"`
	ApprovalRequired         bool   `json:"approval_required"`
	SKZIAccounting           bool   `json:"skzi_accounting"`
	InitialiseBeforeIssuance bool   `json:"initialise_before_issuance"`
	RandomUserPIN            bool   `json:"random_user_pin"`
	RandomUserPINLength      int    `json:"random_user_pin_length"`
	SMEVCheck                bool   `json:"smev_check"`
	// The random user PIN is e-mailed to the user and/or their manager.
	RandomUserPINEmailUser    bool `json:"random_user_pin_email_user"`
	RandomUserPINEmailManager bool `json:"random_user_pin_email_manager"`
} //	@name	IssuancePolicy

// Certificate is a certificate signed for an issuance.
type Certificate struct {
	ID                string    `json:"id"`
	TemplateID        string    `json:"template_id"`
	Serial            string    `json:"serial"`
	FingerprintSHA256 string    `json:"fingerprint_sha256"`
	Subject           string    `json:"subject"`
	NotAfter          time.Time `json:"not_after"`
	PEM               string    `json:"pem"`
	// Confirmed: the agent read it back from the device.
	Confirmed bool `json:"confirmed"`
	// Revoked: superseded by a later attempt, or revoked with its device.
	Revoked bool `json:"revoked"`
} //	@name	IssuanceCertificate

// Event is one transition of an issuance (the device's history).
type Event struct {
	IssuanceID string    `json:"issuance_id"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	ActorLogin string    `json:"actor_login"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
} //	@name	IssuanceEvent

// Issuance is the API shape of an issuance.
type Issuance struct {
	ID               string         `json:"id"`
	UserID           string         `json:"user_id"`
	UserLogin        string         `json:"user_login"`
	RequestedByLogin string         `json:"requested_by_login"`
	DeviceTypeID     string         `json:"device_type_id"`
	TemplateIDs      []string       `json:"template_ids"`
	Policy           PolicySnapshot `json:"policy"`
	State            string         `json:"state" enums:"draft,smev_check,pending_approval,approved,rejected,writing,issued,failed,cancelled"`
	Serial           string         `json:"serial"`
	DeviceID         *string        `json:"device_id" extensions:"x-nullable"`
	SKZINumber       string         `json:"skzi_number"`
	SKZIDate         string         `json:"skzi_date"`
	DecidedByLogin   string         `json:"decided_by_login"`
	DecisionComment  string         `json:"decision_comment"`
	DecidedAt        *time.Time     `json:"decided_at" extensions:"x-nullable"`
	Error            string         `json:"error"`
	Certificates     []Certificate  `json:"certificates"`
	// History is answered for one issuance, not in lists.
	History   []Event   `json:"history,omitempty"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
} //	@name	Issuance

// Input asks for a device (self-service, or an operator for a user).
type Input struct {
	DeviceTypeID string `json:"device_type_id"`
	// TemplateIDs: the certificates wanted, when the policy lets the user choose;
	// otherwise (or empty) every template of the policy.
	TemplateIDs []string `json:"template_ids" validate:"optional"`
	// The SKZI accounting document, required when the policy keeps the accounting.
	SKZINumber string `json:"skzi_number" validate:"optional"`
	SKZIDate   string `json:"skzi_date" validate:"optional" example:"2026-12-01"`
	// SMEV is the SMEV check form, when the policy checks a qualified template in SMEV:
	// empty fields keep the directory's values (GET /me/smev-form), missing ones may
	// always be added, prefilled ones changed only when the policy lets the user edit.
	SMEV *smev.Person `json:"smev" validate:"optional"`
} //	@name	IssuanceInput

// OperatorInput is an operator's request for a user.
type OperatorInput struct {
	Input
	UserID string `json:"user_id"`
} //	@name	IssuanceForUserInput

// Decision approves or rejects a pending issuance.
type Decision struct {
	Comment string `json:"comment" validate:"optional"`
} //	@name	IssuanceDecision

// CSRInput sends the request the agent made on the device for one template.
type CSRInput struct {
	// Serial is the device's serial number, as the token reports it.
	Serial     string `json:"serial"`
	TemplateID string `json:"template_id"`
	CSR        string `json:"csr"`
} //	@name	IssuanceCSR

// ConfirmInput says every certificate is on the device.
type ConfirmInput struct {
	Serial string `json:"serial"`
	Label  string `json:"label" validate:"optional"`
	// Fingerprints are the SHA-256 fingerprints of the certificates the agent read back.
	Fingerprints []string `json:"fingerprints"`
	// AdminPIN is the admin PIN the device was initialised with (kept sealed, released
	// only to a paired agent for this device's operations); empty keeps the type's default.
	AdminPIN string `json:"admin_pin" validate:"optional"`
} //	@name	IssuanceConfirm

// FailInput reports a failed attempt (the token removed, a device error).
type FailInput struct {
	Reason string `json:"reason"`
} //	@name	IssuanceFail

// Device is the API shape of an issued device.
type Device struct {
	ID           string     `json:"id"`
	UserID       string     `json:"user_id"`
	UserLogin    string     `json:"user_login"`
	DeviceTypeID string     `json:"device_type_id"`
	Serial       string     `json:"serial"`
	Label        string     `json:"label"`
	Status       string     `json:"status" enums:"issued,blocked,revoked"`
	SKZINumber   string     `json:"skzi_number"`
	SKZIDate     string     `json:"skzi_date"`
	IssuedAt     time.Time  `json:"issued_at"`
	RevokedAt    *time.Time `json:"revoked_at" extensions:"x-nullable"`
	// HasAdminPIN: a sealed admin PIN is kept for the device (never answered).
	HasAdminPIN bool      `json:"has_admin_pin"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
} //	@name	Device

// Spec is the list whitelist of issuances (the operators' queue and a user's own).
var Spec = list.Spec{
	Sorts: map[string]list.SortField{
		"created_at": {Column: "created_at", Type: list.Time},
		"updated_at": {Column: "updated_at", Type: list.Time},
		"state":      {Column: "state"},
	},
	Filters: map[string]list.FilterField{
		"state":          {Column: "state", Type: list.Enum, Values: States},
		"device_type_id": {Column: "device_type_id", Type: list.UUID},
		"user_id":        {Column: "user_id", Type: list.UUID},
	},
	SearchColumn: "search_text", DefaultSort: "created_at", DefaultOrder: "desc",
}

// MySpec lists a person's own issuances: no user filter, no search.
var MySpec = list.Spec{Sorts: Spec.Sorts, Filters: map[string]list.FilterField{
	"state":          Spec.Filters["state"],
	"device_type_id": Spec.Filters["device_type_id"],
}, DefaultSort: Spec.DefaultSort, DefaultOrder: Spec.DefaultOrder}

// DeviceSpec is the list whitelist of devices (and the SKZI register).
var DeviceSpec = list.Spec{
	Sorts: map[string]list.SortField{
		"issued_at": {Column: "issued_at", Type: list.Time},
		"serial":    {Column: "serial"},
		"status":    {Column: "status"},
	},
	Filters: map[string]list.FilterField{
		"status":  {Column: "status", Type: list.Enum, Values: []string{DeviceIssued, DeviceBlocked, DeviceRevoked}},
		"user_id": {Column: "user_id", Type: list.UUID},
	},
	SearchColumn: "search_text", DefaultSort: "issued_at", DefaultOrder: "desc",
}

// Errors declared once with their codes.
var (
	errNoPolicy = apperr.New(apperr.KindUnprocessable, "issuance.noPolicy",
		"No device usage policy applies to this user: an administrator assigns one to a group of theirs.")
	errSelfIssuanceOff = apperr.New(apperr.KindDenied, "issuance.selfIssuanceOff",
		"The usage policy does not allow issuing a device yourself: ask an operator.")
	errDeviceHeld = apperr.New(apperr.KindConflict, "issuance.deviceHeld",
		"You hold an issued device already: self-service issues one only while you have none. Ask an operator to issue another or to revoke yours.")
	errRequestOpen = apperr.New(apperr.KindConflict, "issuance.requestOpen",
		"Your earlier device request is still open: continue or cancel it first.")
	errNoTemplates = apperr.New(apperr.KindUnprocessable, "issuance.noTemplates",
		"The usage policy names no certificate template to issue.")
	errOwnRequest = apperr.New(apperr.KindDenied, "issuance.ownRequest",
		"Nobody approves or rejects their own request.")
	errSMEVUnavailable = apperr.New(apperr.KindUnavailable, "issuance.smevUnavailable",
		"The SMEV check is required for a qualified certificate, and no SMEV service is configured.")
	errSMEVFailed = func(cause error) *apperr.Error {
		return apperr.Wrap(apperr.KindUnavailable, "issuance.smevUnavailable",
			"The SMEV check could not be made ("+smev.Reason(cause)+"): try again later.", cause)
	}
	errSecretQuestions = func(need, have int) *apperr.Error {
		return apperr.New(apperr.KindUnprocessable, "issuance.secretQuestionsRequired",
			"Your usage policy requires "+strconv.Itoa(need)+" secret questions before a device is issued; you have set "+strconv.Itoa(have)+".")
	}
	errPINMailOff = apperr.New(apperr.KindUnprocessable, "issuance.pinMailOff",
		"The usage policy of this issuance does not e-mail a random user PIN.")
	errSerialTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "device.serialTaken",
		Message: "A device with this serial number is already issued; revoke it first.",
		Fields:  []apperr.FieldError{apperr.Field("serial", "taken", "is already issued")}}
	errWrongState = func(state string, current any) *apperr.Error {
		return &apperr.Error{Kind: apperr.KindConflict, Code: "issuance.wrongState",
			Message: "The issuance is " + state + ": this step does not apply to it now.", Current: current}
	}
	errDeviceState = func(status string) *apperr.Error {
		return apperr.New(apperr.KindConflict, "device.wrongStatus", "The device is "+status+": this action does not apply to it.")
	}
)

// MyDeviceSpec lists a person's own devices: no user filter, no search.
var MyDeviceSpec = list.Spec{Sorts: DeviceSpec.Sorts, Filters: map[string]list.FilterField{
	"status": DeviceSpec.Filters["status"],
}, DefaultSort: DeviceSpec.DefaultSort, DefaultOrder: DeviceSpec.DefaultOrder}
