package device

import (
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/list"
	"custos/internal/platform/validate"
)

// Limits of a usage policy.
const (
	maxPriority        = 1_000_000
	maxSecretQuestions = 10
	maxLinks           = 500
)

// RandomUserPIN is the policy's random user PIN: its length, and who learns it (shown
// once in self-service, e-mailed to the user and/or the user's manager).
type RandomUserPIN struct {
	Enabled      bool `json:"enabled"`
	Length       int  `json:"length" example:"8"`
	ShowOnce     bool `json:"show_once"`
	EmailUser    bool `json:"email_user"`
	EmailManager bool `json:"email_manager"`
} //	@name	DeviceRandomUserPIN

// Policy is the API shape of a device usage policy (политика использования устройств).
type Policy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Priority orders policies: a user's policy is the one with the lowest number among
	// the policies of their groups.
	Priority                 int           `json:"priority"`
	GroupIDs                 []string      `json:"group_ids"`
	SelfIssuanceAllowed      bool          `json:"self_issuance_allowed"`
	InitialiseBeforeIssuance bool          `json:"initialise_before_issuance"`
	RandomUserPIN            RandomUserPIN `json:"random_user_pin"`
	SecretQuestionsRequired  int           `json:"secret_questions_required"`
	// SKZIAccounting asks for the document number and date at issuance (учёт СКЗИ).
	SKZIAccounting   bool `json:"skzi_accounting"`
	ApprovalRequired bool `json:"approval_required"`
	// SMEVCheck checks the user's data in SMEV before a qualified template is issued;
	// SMEVFormEditable lets the user change the prefilled data (adding missing data is
	// always allowed).
	SMEVCheck              bool      `json:"smev_check"`
	SMEVFormEditable       bool      `json:"smev_form_editable"`
	TemplateIDs            []string  `json:"template_ids"`
	UserMayChooseTemplates bool      `json:"user_may_choose_templates"`
	Version                int       `json:"version"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
} //	@name	DevicePolicy

// PolicyInput creates a usage policy; absent switches are off.
type PolicyInput struct {
	Name                     string         `json:"name"`
	Description              string         `json:"description" validate:"optional"`
	Priority                 int            `json:"priority"`
	GroupIDs                 []string       `json:"group_ids" validate:"optional"`
	SelfIssuanceAllowed      bool           `json:"self_issuance_allowed" validate:"optional"`
	InitialiseBeforeIssuance bool           `json:"initialise_before_issuance" validate:"optional"`
	RandomUserPIN            *RandomUserPIN `json:"random_user_pin" validate:"optional"`
	SecretQuestionsRequired  int            `json:"secret_questions_required" validate:"optional"`
	SKZIAccounting           bool           `json:"skzi_accounting" validate:"optional"`
	ApprovalRequired         bool           `json:"approval_required" validate:"optional"`
	SMEVCheck                bool           `json:"smev_check" validate:"optional"`
	SMEVFormEditable         bool           `json:"smev_form_editable" validate:"optional"`
	TemplateIDs              []string       `json:"template_ids" validate:"optional"`
	UserMayChooseTemplates   bool           `json:"user_may_choose_templates" validate:"optional"`
} //	@name	DevicePolicyInput

// PolicyPatch changes a usage policy; absent fields stay, lists are replaced.
type PolicyPatch struct {
	Version                  int            `json:"version"`
	Name                     *string        `json:"name" validate:"optional"`
	Description              *string        `json:"description" validate:"optional"`
	Priority                 *int           `json:"priority" validate:"optional"`
	GroupIDs                 *[]string      `json:"group_ids" validate:"optional"`
	SelfIssuanceAllowed      *bool          `json:"self_issuance_allowed" validate:"optional"`
	InitialiseBeforeIssuance *bool          `json:"initialise_before_issuance" validate:"optional"`
	RandomUserPIN            *RandomUserPIN `json:"random_user_pin" validate:"optional"`
	SecretQuestionsRequired  *int           `json:"secret_questions_required" validate:"optional"`
	SKZIAccounting           *bool          `json:"skzi_accounting" validate:"optional"`
	ApprovalRequired         *bool          `json:"approval_required" validate:"optional"`
	SMEVCheck                *bool          `json:"smev_check" validate:"optional"`
	SMEVFormEditable         *bool          `json:"smev_form_editable" validate:"optional"`
	TemplateIDs              *[]string      `json:"template_ids" validate:"optional"`
	UserMayChooseTemplates   *bool          `json:"user_may_choose_templates" validate:"optional"`
} //	@name	DevicePolicyPatch

// EffectivePolicy is the policy that applies to a user and the group it comes from;
// both null when no policy is assigned to any of the user's groups.
type EffectivePolicy struct {
	Policy *Policy            `json:"policy" extensions:"x-nullable"`
	Group  *identity.GroupRef `json:"group" extensions:"x-nullable"`
} //	@name	EffectiveDevicePolicy

// PolicySpec is the list whitelist of usage policies.
var PolicySpec = list.Spec{
	Sorts: map[string]list.SortField{
		"name":       {Column: "name"},
		"priority":   {Column: "priority", Type: list.Int},
		"created_at": {Column: "created_at", Type: list.Time},
	},
	SearchColumn: "search_text", DefaultSort: "priority", DefaultOrder: "asc",
}

var (
	errPolicyNameTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "devicePolicy.nameTaken",
		Message: "Another usage policy already has this name.",
		Fields:  []apperr.FieldError{apperr.Field("name", "taken", "is already used by another usage policy")}}
	errPriorityTaken = &apperr.Error{Kind: apperr.KindConflict, Code: "devicePolicy.priorityTaken",
		Message: "Another usage policy already has this priority; priorities decide which policy applies, so each is unique.",
		Fields:  []apperr.FieldError{apperr.Field("priority", "taken", "is already used by another usage policy")}}
)

// checkPolicy validates a policy's own fields (the ids' existence is checked by the service).
func checkPolicy(c *validate.Checks, p *Policy) {
	c.Text("name", p.Name, true, maxName)
	c.Text("description", p.Description, false, maxDescription)
	if p.Priority < 1 || p.Priority > maxPriority {
		c.Add("priority", "outOfRange", "must be 1.."+strconv.Itoa(maxPriority))
	}
	rp := p.RandomUserPIN
	switch {
	case rp.Length < 0 || rp.Length > maxPinLength || (rp.Enabled && rp.Length < minPinLength):
		c.Add("random_user_pin.length", "outOfRange", "must be "+strconv.Itoa(minPinLength)+".."+strconv.Itoa(maxPinLength))
	case rp.Enabled && !rp.ShowOnce && !rp.EmailUser && !rp.EmailManager:
		c.Add("random_user_pin", "unreachable", "a random PIN must be shown once or e-mailed, else nobody learns it")
	}
	if p.SecretQuestionsRequired < 0 || p.SecretQuestionsRequired > maxSecretQuestions {
		c.Add("secret_questions_required", "outOfRange", "must be 0.."+strconv.Itoa(maxSecretQuestions))
	}
	if p.SMEVFormEditable && !p.SMEVCheck {
		c.Add("smev_form_editable", "needsSmevCheck", "applies only when smev_check is on")
	}
	p.GroupIDs = checkIDs(c, "group_ids", p.GroupIDs)
	p.TemplateIDs = checkIDs(c, "template_ids", p.TemplateIDs)
	if p.SelfIssuanceAllowed && len(p.TemplateIDs) == 0 && !c.Has("template_ids") {
		c.Add("template_ids", "required", "self-issuance needs at least one allowed template")
	}
}

// checkIDs checks a list of ids' format and returns it deduplicated.
func checkIDs(c *validate.Checks, field string, ids []string) []string {
	out := []string{}
	if len(ids) > maxLinks {
		c.Add(field, "tooMany", "at most "+strconv.Itoa(maxLinks))
		return out
	}
	for i, id := range ids {
		if _, err := uuid.Parse(id); err != nil {
			c.Add(field+"."+strconv.Itoa(i), "invalidFormat", "must be an id")
		} else if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
