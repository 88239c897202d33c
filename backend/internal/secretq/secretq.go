// Package secretq keeps a person's secret questions (seed 001: «Установить секретные
// вопросы и ответы на них»): as many as their device usage policy requires, the answers
// hashed like passwords (argon2id) and never answered back.
package secretq

import (
	"context"
	"strconv"
	"strings"
	"time"

	"custos/internal/audit"
	"custos/internal/device"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/db"
	"custos/internal/platform/validate"
)

// Limits of the questions.
const (
	MaxQuestions   = 10
	maxQuestionLen = 300
	maxAnswerLen   = 200
)

// ResourceType names the audit events.
const ResourceType = "secret_questions"

// Question is one question as answered to its owner: the answer never leaves the server.
type Question struct {
	Question  string `json:"question"`
	HasAnswer bool   `json:"has_answer"`
} //	@name	SecretQuestion

// Questions are a person's questions and how many their usage policy requires.
type Questions struct {
	Questions []Question `json:"questions"`
	Required  int        `json:"required"`
} //	@name	SecretQuestions

// QuestionInput is one question with its answer.
type QuestionInput struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
} //	@name	SecretQuestionInput

// Input replaces all of a person's questions.
type Input struct {
	Questions []QuestionInput `json:"questions"`
} //	@name	SecretQuestionsInput

// Policies gives the usage policy that applies to a user (the device package's Service).
type Policies interface {
	EffectivePolicy(ctx context.Context, userID string) (device.EffectivePolicy, error)
}

// Service holds the rules.
type Service struct {
	db     *db.DB
	store  store
	pol    Policies
	hasher *crypto.Hasher
	now    func() time.Time
}

// NewService wires the service; hasher is the one passwords use.
func NewService(d *db.DB, pol Policies, hasher *crypto.Hasher) *Service {
	return &Service{db: d, store: store{db: d}, pol: pol, hasher: hasher,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

func caller(ctx context.Context) (id, login string, err error) {
	p := authz.FromContext(ctx)
	if p == nil || p.UserID == "" {
		return "", "", apperr.Unauthenticated()
	}
	return p.UserID, p.Login, nil
}

// Required is how many questions user id's usage policy asks for (0 without a policy).
func (s *Service) Required(ctx context.Context, userID string) (int, error) {
	eff, err := s.pol.EffectivePolicy(ctx, userID)
	if err != nil || eff.Policy == nil {
		return 0, err
	}
	return eff.Policy.SecretQuestionsRequired, nil
}

// Count is how many questions user id has set.
func (s *Service) Count(ctx context.Context, userID string) (int, error) {
	rows, err := s.store.list(ctx, userID)
	return len(rows), err
}

// Mine answers the caller's questions, without the answers.
func (s *Service) Mine(ctx context.Context) (Questions, error) {
	uid, _, err := caller(ctx)
	if err != nil {
		return Questions{}, err
	}
	return s.read(ctx, uid)
}

func (s *Service) read(ctx context.Context, uid string) (Questions, error) {
	req, err := s.Required(ctx, uid)
	if err != nil {
		return Questions{}, err
	}
	rows, err := s.store.list(ctx, uid)
	if err != nil {
		return Questions{}, err
	}
	out := Questions{Questions: []Question{}, Required: req}
	for _, r := range rows {
		out.Questions = append(out.Questions, Question{Question: r.Question, HasAnswer: r.AnswerHash != ""})
	}
	return out, nil
}

// normalise is the form an answer is hashed and compared in: case and runs of spaces do
// not matter («Москва» = « москва »).
func normalise(answer string) string {
	return strings.ToLower(strings.Join(strings.Fields(answer), " "))
}

// SetMine replaces the caller's questions: at least as many as their policy requires,
// each with an answer, no question twice.
func (s *Service) SetMine(ctx context.Context, in Input) (Questions, error) {
	uid, login, err := caller(ctx)
	if err != nil {
		return Questions{}, err
	}
	req, err := s.Required(ctx, uid)
	if err != nil {
		return Questions{}, err
	}
	var c validate.Checks
	switch n := len(in.Questions); {
	case in.Questions == nil:
		c.Add("questions", "required", "send the list of questions (an empty list removes them all)")
	case n < req:
		c.Add("questions", "tooFew", "your usage policy requires at least "+strconv.Itoa(req)+" secret questions")
	case n > MaxQuestions:
		c.Add("questions", "tooMany", "at most "+strconv.Itoa(MaxQuestions)+" secret questions")
	}
	seen := map[string]bool{}
	for i, q := range in.Questions {
		f := "questions." + strconv.Itoa(i)
		text := strings.TrimSpace(q.Question)
		c.Text(f+".question", text, true, maxQuestionLen)
		c.Text(f+".answer", q.Answer, true, maxAnswerLen)
		key := strings.ToLower(text)
		if seen[key] && !c.Has(f+".question") {
			c.Add(f+".question", "duplicate", "the same question is asked twice")
		}
		seen[key] = true
		if !c.Has(f+".answer") && !c.Has(f+".question") && normalise(q.Answer) == strings.ToLower(text) {
			c.Add(f+".answer", "sameAsQuestion", "the answer must not repeat the question")
		}
	}
	if err := c.Err(); err != nil {
		return Questions{}, err
	}
	now := s.now()
	rows := make([]row, len(in.Questions))
	texts := make([]string, len(in.Questions))
	for i, q := range in.Questions {
		h, err := s.hasher.Hash(ctx, normalise(q.Answer))
		if err != nil {
			return Questions{}, err
		}
		texts[i] = strings.TrimSpace(q.Question)
		rows[i] = row{UserID: uid, Position: i, Question: texts[i], AnswerHash: h, CreatedAt: now}
	}
	var out Questions
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		before, err := s.store.list(ctx, uid)
		if err != nil {
			return err
		}
		old := make([]string, len(before))
		for i, r := range before {
			old[i] = r.Question
		}
		if err := s.store.replace(ctx, uid, rows); err != nil {
			return err
		}
		if out, err = s.read(ctx, uid); err != nil {
			return err
		}
		// The answers are never in the event, not even redacted: only the questions.
		return audit.Record(ctx, audit.Entry{Action: "update", ResourceType: ResourceType, ResourceID: uid, ResourceName: login,
			Before: map[string]any{"questions": old, "answers_changed": false},
			After:  map[string]any{"questions": texts, "answers_changed": true}})
	})
	return out, err
}
