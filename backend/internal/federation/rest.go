package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"custos/internal/identity"
	"custos/internal/platform/validate"
	"custos/internal/provider"
	"custos/internal/session"
)

// RESTInput are the credentials an application posts for a REST provider sign-in.
type RESTInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
} //	@name	RESTSignInInput

// RESTAnswer is the contract of an external REST provider (SPEC §5.2 rest). Custos
// POSTs {"login": "...", "password": "..."} as JSON to the provider's external URL; a
// 2xx answer is this JSON object and means the credentials are right. Any other
// status refuses the sign-in: 4xx as wrong credentials (counted by the brute-force
// throttling), 5xx or no answer within the timeout as an unavailable provider.
type RESTAnswer struct {
	// Login of the user (required); it may differ in case from what was typed.
	Login       string `json:"login"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	// Roles are the codes of this system's roles; those equal to a group code give
	// that group (SPEC §5.3).
	Roles []string `json:"roles"`
	// Attributes feed the provider's schema mapping; those it does not map are kept in
	// the user's extra attributes.
	Attributes map[string]any `json:"attributes"`
} //	@name	RESTProviderAnswer

// REST signs in through REST provider id with a login and password.
func (s *Service) REST(ctx context.Context, id string, in RESTInput, ip, ua string) (out Outcome, err error) {
	login := identity.NormLogin(in.Login)
	if err := session.CheckCredentials(login, in.Password); err != nil {
		return Outcome{}, s.audited(ctx, provider.Provider{Type: provider.TypeREST}, validate.CleanText(login, 200), "", ip, err,
			"login or password missing or oversized")
	}
	if err := s.sess.CheckThrottle(ctx, login, ip); err != nil {
		return Outcome{}, err
	}
	defer func() { // the attempt was counted before the password was checked: settle it
		if !errors.Is(err, session.ErrInvalidCredentials) {
			_ = s.sess.Release(ctx, login, ip)
		}
	}()
	p, err := s.prov.Get(ctx, id)
	if err != nil || !p.Active || p.Type != provider.TypeREST {
		return Outcome{}, s.refuseDetail(ctx, provider.Provider{Type: provider.TypeREST}, ip, errProviderNotFound,
			"no active REST provider "+validate.CleanText(id, 40))
	}
	ans, status, err := s.postCredentials(ctx, deref(p.Params.ExternalURL), login, in.Password)
	switch {
	case err != nil:
		return Outcome{}, s.audited(ctx, p, login, "", ip, errUnavailable, err.Error())
	case status >= 500:
		return Outcome{}, s.audited(ctx, p, login, "", ip, errUnavailable, fmt.Sprintf("the service answered HTTP %d", status))
	case status < 200 || status > 299:
		return Outcome{}, s.sess.Fail(ctx, p.Name, login, ip, "", "invalidCredentials", session.ErrInvalidCredentials)
	}
	claims := ans.claims()
	answered, _ := claims["login"].(string)
	if answered == "" {
		return Outcome{}, s.audited(ctx, p, login, "", ip, errIdP, "the 2xx answer is not a JSON object with a login")
	}
	return s.complete(ctx, attempt{prov: p, claims: claims, ip: ip, ua: ua, login: answered}, true)
}

// claims are the answer as the mapping reads it, cleaned (validate.CleanClaims):
// the service is a peer, and what it says reaches the database.
func (a RESTAnswer) claims() provider.Claims {
	claims := map[string]any{}
	for k, v := range a.Attributes {
		claims[k] = v
	}
	claims["login"], claims["email"], claims["display_name"] = a.Login, a.Email, a.DisplayName
	roles := make([]any, len(a.Roles))
	for i, r := range a.Roles {
		roles[i] = r
	}
	claims["roles"] = roles
	return validate.CleanClaims(claims)
}

// postCredentials asks the REST service; err is set only when no answer came.
func (s *Service) postCredentials(ctx context.Context, url, login, password string) (RESTAnswer, int, error) {
	body, _ := json.Marshal(RESTInput{Login: login, Password: password})
	ctx, cancel := context.WithTimeout(ctx, s.opt.HTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return RESTAnswer{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	res, err := s.hc.Do(req)
	if err != nil {
		return RESTAnswer{}, 0, errors.New("POST " + url + ": " + err.Error())
	}
	defer res.Body.Close()
	var ans RESTAnswer
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		if err != nil {
			return RESTAnswer{}, 0, err
		}
		_ = json.Unmarshal(b, &ans) // a malformed answer has no login and is refused
	}
	return ans, res.StatusCode, nil
}
