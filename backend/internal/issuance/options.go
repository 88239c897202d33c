package issuance

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/device"
	"custos/internal/platform/httpx"
	"custos/internal/platform/list"
)

// MyPolicy is the caller's usage policy as the self-service page needs it.
type MyPolicy struct {
	ID                       string               `json:"id"`
	Name                     string               `json:"name"`
	SelfIssuanceAllowed      bool                 `json:"self_issuance_allowed"`
	InitialiseBeforeIssuance bool                 `json:"initialise_before_issuance"`
	RandomUserPIN            device.RandomUserPIN `json:"random_user_pin"`
	SecretQuestionsRequired  int                  `json:"secret_questions_required"`
	SKZIAccounting           bool                 `json:"skzi_accounting"`
	ApprovalRequired         bool                 `json:"approval_required"`
	SMEVCheck                bool                 `json:"smev_check"`
	SMEVFormEditable         bool                 `json:"smev_form_editable"`
	UserMayChooseTemplates   bool                 `json:"user_may_choose_templates"`
} //	@name	MyDevicePolicy

// MyTemplate is a template of the caller's policy.
type MyTemplate struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	KeyAlgorithm string `json:"key_algorithm"`
	ValidityDays int    `json:"validity_days"`
	Qualified    bool   `json:"qualified"`
} //	@name	MyCertificateTemplate

// MyOptions is what a person may ask for: their policy (null when none applies), the
// device types and the templates of the policy.
type MyOptions struct {
	Policy      *MyPolicy           `json:"policy" extensions:"x-nullable"`
	DeviceTypes []device.DeviceType `json:"device_types"`
	Templates   []MyTemplate        `json:"templates"`
} //	@name	MyDeviceOptions

// Options answers what the caller may ask for.
func (s *Service) Options(ctx context.Context) (MyOptions, error) {
	uid, _ := actor(ctx)
	out := MyOptions{DeviceTypes: []device.DeviceType{}, Templates: []MyTemplate{}}
	eff, err := s.cat.EffectivePolicy(ctx, uid)
	if err != nil || eff.Policy == nil {
		return out, err
	}
	p := eff.Policy
	out.Policy = &MyPolicy{ID: p.ID, Name: p.Name, SelfIssuanceAllowed: p.SelfIssuanceAllowed,
		InitialiseBeforeIssuance: p.InitialiseBeforeIssuance, RandomUserPIN: p.RandomUserPIN,
		SecretQuestionsRequired: p.SecretQuestionsRequired, SKZIAccounting: p.SKZIAccounting, ApprovalRequired: p.ApprovalRequired,
		SMEVCheck: p.SMEVCheck, SMEVFormEditable: p.SMEVFormEditable, UserMayChooseTemplates: p.UserMayChooseTemplates}
	for _, id := range p.TemplateIDs {
		t, err := s.cat.GetTemplate(ctx, id)
		if err != nil {
			return out, err
		}
		out.Templates = append(out.Templates, MyTemplate{ID: t.ID, Name: t.Name, Description: t.Description,
			KeyAlgorithm: t.KeyAlgorithm, ValidityDays: t.ValidityDays, Qualified: t.Qualified})
	}
	params, err := list.Parse("sort=name&order=asc&page_size=200", device.TypeSpec)
	if err != nil {
		return out, err
	}
	types, err := s.cat.ListTypes(ctx, params)
	if err != nil {
		return out, err
	}
	out.DeviceTypes = types.Items
	return out, nil
}

// MyOptions godoc
//
//	@Summary				What you may ask for (self-service)
//	@Description			The caller's device usage policy (null when none applies: an administrator assigns one to a group of theirs), the device types (up to 200, by name) and the certificate templates of the policy, for the «Выпустить устройство» dialog. Default PINs are never answered, only whether they are set. Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Success				200	{object}	MyOptions
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/device-options [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) MyOptions(c echo.Context) error {
	v, err := h.svc.Options(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}
