package apitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"custos/internal/platform/db"
	"custos/internal/testutil"
)

func TestSecretQuestions(t *testing.T) {
	t.Parallel()
	testutil.ForEachDB(t, func(t *testing.T, d *db.DB) {
		a := testutil.NewApp(t, d)
		admin := a.Admin()
		cat := newCatalogue(t, a, admin, map[string]any{"secret_questions_required": 2})
		anna, annaID := person(t, a, cat.group, "anna@example.com", nil)

		g := anna.Do("GET", "/api/v1/me/secret-questions", nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Equal(t, float64(2), g.Num("required"))
		assert.Equal(t, 0, g.Len("questions"))

		// Self-service issuance waits for the questions; an operator issuing for her does not.
		testutil.AssertProblem(t, anna.Do("POST", "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID}),
			422, "issuance.secretQuestionsRequired")
		assert.Equal(t, int64(0), testutil.Count(t, a, "issuances", "user_id = ?", annaID))
		forHer := testutil.MustCreate(t, admin, "/api/v1/issuances", map[string]any{"device_type_id": cat.typeID, "user_id": annaID}).Str("id")

		// Fewer than the policy requires, a question twice, an empty answer: 400 naming the field.
		put := func(qs ...[2]string) *testutil.Resp {
			body := []map[string]string{}
			for _, q := range qs {
				body = append(body, map[string]string{"question": q[0], "answer": q[1]})
			}
			return anna.Do("PUT", "/api/v1/me/secret-questions", map[string]any{"questions": body})
		}
		r := anna.Do("PUT", "/api/v1/me/secret-questions", map[string]any{})
		assert.Equal(t, "required", testutil.FieldCode(r, "questions"))
		r = put([2]string{"Город рождения?", "Тверь"})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "tooFew", testutil.FieldCode(r, "questions"))
		r = put([2]string{"Город рождения?", "Тверь"}, [2]string{"город рождения?", "Тверь"}, [2]string{"Кличка собаки?", ""})
		testutil.AssertProblem(t, r, 400, "validation.failed")
		assert.Equal(t, "duplicate", testutil.FieldCode(r, "questions.1.question"))
		assert.Equal(t, "required", testutil.FieldCode(r, "questions.2.answer"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "secret_questions", "user_id = ?", annaID))

		const answer = "Тверь-на-Волге"
		r = put([2]string{"Город рождения?", answer}, [2]string{"Кличка первой собаки?", "Шарик"})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, "Город рождения?", r.Str("questions.0.question"))
		assert.Equal(t, true, r.Get("questions.0.has_answer"))
		assert.Nil(t, r.Get("questions.0.answer"))
		assert.NotContains(t, string(r.Body), answer)
		assert.NotContains(t, string(anna.Do("GET", "/api/v1/me/secret-questions", nil).Body), answer)

		// Hashed like passwords, never in the audit log.
		var hashes []string
		require.NoError(t, a.DB.W.Table("secret_questions").Where("user_id = ?", annaID).Order("position").Pluck("answer_hash", &hashes).Error)
		require.Len(t, hashes, 2)
		assert.True(t, strings.HasPrefix(hashes[0], "$argon2id$"), hashes[0])
		assert.Equal(t, int64(0), testutil.Count(t, a, "secret_questions", "answer_hash LIKE ?", "%"+answer+"%"))
		assert.Equal(t, int64(0), testutil.Count(t, a, "audit_events", "diff LIKE ? OR diff LIKE ?", "%"+answer+"%", "%Шарик%"))
		assert.Equal(t, int64(1), testutil.Count(t, a, "audit_events", "resource_type = ? AND resource_id = ?", "secret_questions", annaID))

		// Now she may ask for a device herself (once the operator's request for her is
		// cancelled: one open request at a time); changing the questions later replaces them.
		require.Equal(t, 200, anna.Do("POST", "/api/v1/me/issuances/"+forHer+"/cancel", nil).Status)
		testutil.MustCreate(t, anna, "/api/v1/me/issuances", map[string]any{"device_type_id": cat.typeID})
		r = put([2]string{"Любимая книга?", "Мастер и Маргарита"}, [2]string{"Первый учитель?", "Анна Петровна"}, [2]string{"Улица детства?", "Садовая"})
		require.Equal(t, 200, r.Status, r.String())
		assert.Equal(t, 3, r.Len("questions"))
		assert.Equal(t, int64(3), testutil.Count(t, a, "secret_questions", "user_id = ?", annaID))

		// Without a policy nothing is required; the limit is ten.
		free := a.As("users")
		g = free.Do("GET", "/api/v1/me/secret-questions", nil)
		require.Equal(t, 200, g.Status, g.String())
		assert.Equal(t, float64(0), g.Num("required"))
		many := []map[string]string{}
		for i := 0; i < 11; i++ {
			many = append(many, map[string]string{"question": "Q" + strings.Repeat("?", i+1), "answer": "a"})
		}
		testutil.AssertProblem(t, free.Do("PUT", "/api/v1/me/secret-questions", map[string]any{"questions": many}), 400, "validation.failed")
	})
}
