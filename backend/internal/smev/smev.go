// Package smev checks a person's data in SMEV (система межведомственного электронного
// взаимодействия) before a qualified certificate is issued, through a small HTTP JSON
// contract (README, "The SMEV check"):
//
//	POST <url>  {"request_id", "person": {last_name, first_name, middle_name, birth_date,
//	             snils, inn, passport_series, passport_number, email}}
//	→ {"result": "match"} | {"result": "mismatch", "fields": [...]} | {"result": "error", "message"}
//
// A timeout, a non-2xx answer, an unreadable answer and {"result": "error"} are errors
// (the service is unavailable); a mismatch is an answer.
package smev

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Person is the SMEV check form.
type Person struct {
	LastName       string `json:"last_name" validate:"optional"`
	FirstName      string `json:"first_name" validate:"optional"`
	MiddleName     string `json:"middle_name" validate:"optional"`
	BirthDate      string `json:"birth_date" validate:"optional" example:"1990-04-12"`
	SNILS          string `json:"snils" validate:"optional" example:"112-233-445 95"`
	INN            string `json:"inn" validate:"optional"`
	PassportSeries string `json:"passport_series" validate:"optional" example:"4510"`
	PassportNumber string `json:"passport_number" validate:"optional" example:"123456"`
	Email          string `json:"email" validate:"optional"`
} //	@name	SMEVPerson

// Fields are the form's fields in their order (the JSON names).
var Fields = []string{"last_name", "first_name", "middle_name", "birth_date", "snils", "inn",
	"passport_series", "passport_number", "email"}

// Get answers the field named f.
func (p *Person) Get(f string) string { return *p.ptr(f) }

// Set sets the field named f.
func (p *Person) Set(f, v string) { *p.ptr(f) = v }

func (p *Person) ptr(f string) *string {
	switch f {
	case "last_name":
		return &p.LastName
	case "first_name":
		return &p.FirstName
	case "middle_name":
		return &p.MiddleName
	case "birth_date":
		return &p.BirthDate
	case "snils":
		return &p.SNILS
	case "inn":
		return &p.INN
	case "passport_series":
		return &p.PassportSeries
	case "passport_number":
		return &p.PassportNumber
	case "email":
		return &p.Email
	}
	panic("smev: unknown field " + f)
}

// Results of a check.
const (
	Match    = "match"
	Mismatch = "mismatch"
	Error    = "error"
)

// Request is what is sent.
type Request struct {
	RequestID string `json:"request_id"`
	Person    Person `json:"person"`
}

// Answer is what SMEV said.
type Answer struct {
	Result  string   `json:"result"`
	Fields  []string `json:"fields,omitempty"`
	Message string   `json:"message,omitempty"`
}

// ErrUnavailable wraps every failure to get an answer.
var ErrUnavailable = errors.New("smev: unavailable")

// Client calls the SMEV adapter at URL.
type Client struct {
	url string
	hc  *http.Client
}

// New makes a client; a zero timeout is 10 s. An empty url gives nil (not configured).
func New(url string, timeout time.Duration) *Client {
	if url == "" {
		return nil
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Client{url: url, hc: &http.Client{Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Check asks SMEV about p: a match or a mismatch (with its known fields) is an answer,
// anything else an error wrapping ErrUnavailable.
func (c *Client) Check(ctx context.Context, requestID string, p Person) (Answer, error) {
	fail := func(format string, a ...any) (Answer, error) {
		return Answer{}, fmt.Errorf("%w: "+format, append([]any{ErrUnavailable}, a...)...)
	}
	body, _ := json.Marshal(Request{RequestID: requestID, Person: p})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fail("a bad request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Custos-SMEV/1")
	resp, err := c.hc.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return fail("no answer within the timeout")
		}
		return fail("the service cannot be reached")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fail("the answer broke off")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail("the service answered %d", resp.StatusCode)
	}
	var a Answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return fail("an answer that is not the contract's JSON")
	}
	switch a.Result {
	case Match:
		return Answer{Result: Match}, nil
	case Mismatch:
		var known []string
		for _, f := range a.Fields {
			if slices.Contains(Fields, f) && !slices.Contains(known, f) {
				known = append(known, f)
			}
		}
		return Answer{Result: Mismatch, Fields: known}, nil
	case Error:
		return fail("the service reported an error: %s", a.Message)
	}
	return fail("an unknown result %q", a.Result)
}

// Reason is the human part of a check's error ("no answer within the timeout").
func Reason(err error) string {
	msg := strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": ")
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return strings.ToValidUTF8(msg, "?")
}
