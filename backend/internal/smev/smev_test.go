package smev

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientReadsTheContract(t *testing.T) {
	var got Request
	answer, status := `{"result":"match"}`, 200
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		require.NoError(t, json.NewDecoder(r.Body).Decode(&got))
		if answer == "slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(answer))
	}))
	defer srv.Close()
	assert.Nil(t, New("", 0), "no URL: not configured")
	c := New(srv.URL, 100*time.Millisecond)
	ctx := context.Background()

	a, err := c.Check(ctx, "req-1", Person{LastName: "Иванов", SNILS: "11223344595"})
	require.NoError(t, err)
	assert.Equal(t, Answer{Result: Match}, a)
	assert.Equal(t, "req-1", got.RequestID)
	assert.Equal(t, "Иванов", got.Person.LastName)

	answer = `{"result":"mismatch","fields":["snils","password","snils"]}`
	a, err = c.Check(ctx, "req-2", Person{})
	require.NoError(t, err)
	assert.Equal(t, []string{"snils"}, a.Fields, "only the contract's fields, once")

	for _, tc := range []struct {
		answer string
		status int
		reason string
	}{
		{`{"result":"error","message":"down"}`, 200, "the service reported an error: down"},
		{`{"result":"match"}`, 500, "the service answered 500"},
		{`<html>`, 200, "an answer that is not the contract's JSON"},
		{`{"result":"maybe"}`, 200, `an unknown result "maybe"`},
		{"slow", 200, "no answer within the timeout"},
	} {
		answer, status = tc.answer, tc.status
		_, err := c.Check(ctx, "req", Person{})
		require.Error(t, err, tc.reason)
		assert.True(t, errors.Is(err, ErrUnavailable))
		assert.Equal(t, tc.reason, Reason(err))
	}
	_, err = New("http://127.0.0.1:1/check", time.Second).Check(ctx, "req", Person{})
	assert.Equal(t, "the service cannot be reached", Reason(err))
}
