package issuance

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/audit"
	"custos/internal/platform/apperr"
	"custos/internal/platform/httpx"
	"custos/internal/smev"
)

// SMEVAnswer is what SMEV answered to the check.
type SMEVAnswer struct {
	Result string `json:"result" enums:"match,mismatch,error"`
	// Fields are the form's fields SMEV did not confirm (a mismatch).
	Fields  []string `json:"fields"`
	Message string   `json:"message,omitempty"`
} //	@name	IssuanceSMEVAnswer

// SMEVRecord is the SMEV check kept with an issuance: the form sent and SMEV's answer.
type SMEVRecord struct {
	IssuanceID string      `json:"issuance_id"`
	RequestID  string      `json:"request_id"`
	Form       smev.Person `json:"form"`
	Answer     SMEVAnswer  `json:"answer"`
	// CheckedAt is when SMEV answered (RFC 3339).
	CheckedAt string `json:"checked_at"`
} //	@name	IssuanceSMEVRecord

var errNoSMEV = apperr.New(apperr.KindNotFound, "issuance.noSMEV",
	"This issuance had no SMEV check: its usage policy did not ask for one, or no qualified template was chosen.")

// hasSMEV tells whether the smev column holds a check ("{}" or empty: none).
func hasSMEV(v string) bool { return v != "" && v != "{}" }

// SMEVRecord opens the SMEV record of issuance id for an operator. Every read is audited,
// never the personal data it holds.
func (s *Service) SMEVRecord(ctx context.Context, id string) (SMEVRecord, error) {
	r, err := s.store.get(ctx, id, "", false)
	if err != nil {
		return SMEVRecord{}, err
	}
	if !hasSMEV(r.Smev) {
		return SMEVRecord{}, errNoSMEV
	}
	plain, err := s.box.Open(r.Smev)
	if err != nil {
		return SMEVRecord{}, err
	}
	var rec smevRecord
	if err := json.Unmarshal([]byte(plain), &rec); err != nil {
		return SMEVRecord{}, err
	}
	out := SMEVRecord{IssuanceID: r.ID, RequestID: rec.RequestID, Form: rec.Form, CheckedAt: rec.CheckedAt,
		Answer: SMEVAnswer{Result: rec.Answer.Result, Fields: rec.Answer.Fields, Message: rec.Answer.Message}}
	if out.Answer.Fields == nil {
		out.Answer.Fields = []string{}
	}
	err = audit.RecordAlone(ctx, s.db, audit.Entry{Action: "read_smev_record", ResourceType: ResourceIssuance, ResourceID: r.ID,
		ResourceName: r.UserLogin, After: map[string]any{"result": out.Answer.Result}})
	return out, err
}

// GetSMEV godoc
//
//	@Summary				An issuance's SMEV check
//	@Description			The SMEV check kept (sealed at rest) with an issuance whose usage policy asked for one: the form sent (passport data, SNILS, INN and the rest) and SMEV's answer (`match`, or `mismatch` with the fields not confirmed), with when it was checked. Answered with Cache-Control: no-store; every read is audited (read_smev_record on the issuance, never the data). An issuance without an SMEV check is 404 issuance.noSMEV. Required permission: devices.approve.
//	@Tags					devices
//	@Produce				json
//	@Param					id	path		string	true	"issuance id"
//	@Success				200	{object}	SMEVRecord
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Failure				404	{object}	httpx.Problem
//	@Router					/issuances/{id}/smev [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"devices.approve"
func (h *Handler) GetSMEV(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	v, err := h.svc.SMEVRecord(c.Request().Context(), c.Param("id"))
	return httpx.Respond(c, http.StatusOK, v, err)
}
