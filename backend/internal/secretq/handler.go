package secretq

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"custos/internal/platform/httpx"
)

// Handler serves a person's secret questions.
type Handler struct{ svc *Service }

// NewHandler makes the handler.
func NewHandler(s *Service) *Handler { return &Handler{svc: s} }

// GetMine godoc
//
//	@Summary				Your secret questions
//	@Description			The caller's secret questions without their answers (`has_answer` says one is set) and how many the caller's device usage policy requires (`required`; self-service asks for them on first entry when the policy requires them). Required permission: selfservice.
//	@Tags					self-service
//	@Produce				json
//	@Success				200	{object}	Questions
//	@Failure				401	{object}	httpx.Problem
//	@Failure				403	{object}	httpx.Problem
//	@Router					/me/secret-questions [get]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) GetMine(c echo.Context) error {
	v, err := h.svc.Mine(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, v, err)
}

// SetMine godoc
//
//	@Summary				Set your secret questions
//	@Description			Replaces all of the caller's secret questions: at least as many as their usage policy requires (fewer is a 400 on `questions`), at most 10, each with an answer, no question twice (400 on `questions.N.question` / `questions.N.answer`). Answers are hashed like passwords (argon2id, compared without regard to case and extra spaces) and never answered back; the audit event names the questions only. Required permission: selfservice.
//	@Tags					self-service
//	@Accept					json
//	@Produce				json
//	@Param					body	body		Input	true	"the questions with their answers"
//	@Success				200		{object}	Questions
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/me/secret-questions [put]
//	@Security				SessionCookie
//	@Security				ApiToken
//	@x-required-permission	"selfservice"
func (h *Handler) SetMine(c echo.Context) error {
	var in Input
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	v, err := h.svc.SetMine(c.Request().Context(), in)
	return httpx.Respond(c, http.StatusOK, v, err)
}
