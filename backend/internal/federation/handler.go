package federation

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"custos/internal/identity"
	"custos/internal/platform/apperr"
	"custos/internal/platform/authz"
	"custos/internal/platform/crypto"
	"custos/internal/platform/httpx"
	"custos/internal/platform/validate"
	"custos/internal/provider"
	"custos/internal/session"
)

// Button is one sign-in button of the login page: an active OpenID provider.
type Button struct {
	ID    string `json:"id"`
	Label string `json:"label"`
} //	@name	SignInButton

// TokenSessionInput turns an oidc_token provider's JWT into a browser session.
type TokenSessionInput struct {
	// Token is the JWT; alternatively send it as Authorization: Bearer.
	Token string `json:"token" validate:"optional"`
} //	@name	TokenSessionInput

// MeWriter answers with the signed-in caller (auth's GET /auth/me body).
type MeWriter func(c echo.Context, p *authz.Principal) error

// Handler serves the provider sign-in endpoints.
type Handler struct {
	svc *Service
	me  MeWriter
}

// NewHandler makes the handler; me writes the Me body of a new session.
func NewHandler(s *Service, me MeWriter) *Handler { return &Handler{svc: s, me: me} }

// Buttons godoc
//
//	@Summary				Sign-in buttons of the login page
//	@Description			The active OpenID (oidc) providers, each with its button label. Nothing is said about other providers. Required permission: none (public).
//	@Tags					auth
//	@Produce				json
//	@Success				200	{array}	Button
//	@Router					/auth/providers [get]
//	@x-required-permission	"public"
func (h *Handler) Buttons(c echo.Context) error {
	out, err := h.svc.Buttons(c.Request().Context())
	return httpx.Respond(c, http.StatusOK, out, err)
}

// StartOIDC godoc
//
//	@Summary				Start signing in through an OpenID provider
//	@Description			Redirects the browser to the provider's authorization endpoint (authorization code with PKCE S256, state and nonce kept on the server for 10 minutes and usable once). Problems redirect to /login?error=<code>. Required permission: none (public).
//	@Tags					auth
//	@Param					id		path	string	true	"provider id (an active oidc provider)"
//	@Param					next	query	string	false	"SPA path to open after signing in"
//	@Success				302
//	@Router					/auth/oidc/{id}/start [get]
//	@x-required-permission	"public"
func (h *Handler) StartOIDC(c echo.Context) error {
	ctx := c.Request().Context()
	next := safeNext(c.QueryParam("next"))
	p, err := h.svc.prov.Get(ctx, c.Param("id"))
	if err != nil || !p.Active || p.Type != provider.TypeOIDC {
		if err != nil && !apperr.Is(err, "resource.notFound") {
			return err
		}
		_ = h.svc.refuseDetail(ctx, provider.Provider{Type: provider.TypeOIDC}, c.RealIP(), errProviderNotFound,
			"no active OpenID provider "+validate.CleanText(c.Param("id"), 40))
		return toLogin(c, errProviderNotFound, next)
	}
	u, err := h.svc.Start(ctx, StartInput{Provider: p, Base: h.base(c), Next: next, Browser: h.browser(c), IP: c.RealIP()})
	if err != nil {
		return toLogin(c, err, next)
	}
	return c.Redirect(http.StatusFound, u)
}

// Silent godoc
//
//	@Summary				Seamless entry through the OpenID Cookie provider
//	@Description			The SPA opens this on a first visit without a session. With an active oidc_cookie provider the browser makes a silent authorization-code round trip (prompt=none) and comes back signed in when the provider has a session; otherwise (login_required, no such provider, a recent attempt) it lands on /login?next=… without another try. Required permission: none (public).
//	@Tags					auth
//	@Param					next	query	string	false	"SPA path to open after signing in"
//	@Success				302
//	@Router					/auth/oidc/silent [get]
//	@x-required-permission	"public"
func (h *Handler) Silent(c echo.Context) error {
	ctx := c.Request().Context()
	next := safeNext(c.QueryParam("next"))
	if p := authz.FromEcho(c); p != nil {
		return c.Redirect(http.StatusFound, next)
	}
	login := "/login?next=" + url.QueryEscape(next)
	if ck, err := c.Cookie(silentCookie); err == nil && ck.Value != "" {
		return c.Redirect(http.StatusFound, login)
	}
	ps, err := h.svc.prov.Active(ctx, provider.TypeOIDCCookie)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return c.Redirect(http.StatusFound, login)
	}
	c.SetCookie(h.svc.cookie(silentCookie, "1", h.svc.opt.FlowTTL))
	u, err := h.svc.Start(ctx, StartInput{Provider: ps[0], Base: h.base(c), Next: next, Browser: h.browser(c),
		Silent: true, IP: c.RealIP()})
	if err != nil {
		if _, ok := apperr.As(err); ok {
			return c.Redirect(http.StatusFound, login)
		}
		return err
	}
	return c.Redirect(http.StatusFound, u)
}

// Callback godoc
//
//	@Summary				Return from an OpenID provider
//	@Description			Consumes the round trip named by state (once, from the browser that started it, before it expires), exchanges the code with the PKCE verifier, verifies the ID token (signature, issuer, audience, expiry, nonce), provisions the account (SPEC §5.3) and opens a session, then redirects to the SPA. Any refusal redirects to /login?error=<code>. Required permission: none (public).
//	@Tags					auth
//	@Param					state				query	string	false	"state of the round trip"
//	@Param					code				query	string	false	"authorization code"
//	@Param					error				query	string	false	"error answered by the provider"
//	@Param					error_description	query	string	false	"its description"
//	@Success				302
//	@Router					/auth/oidc/callback [get]
//	@x-required-permission	"public"
func (h *Handler) Callback(c echo.Context) error {
	browser := ""
	if ck, err := c.Cookie(flowCookie); err == nil {
		browser = ck.Value
	}
	res, err := h.svc.Callback(c.Request().Context(), CallbackInput{State: c.QueryParam("state"), Code: c.QueryParam("code"),
		Error: c.QueryParam("error"), Browser: browser, IP: c.RealIP(), UserAgent: c.Request().UserAgent()})
	next := safeNext(res.Next)
	switch {
	case err != nil:
		return toLogin(c, err, next)
	case res.SilentFailed:
		return c.Redirect(http.StatusFound, "/login?next="+url.QueryEscape(next))
	}
	h.svc.sess.SetSessionCookie(c, res.Outcome.Token)
	return c.Redirect(http.StatusFound, next)
}

// TokenSession godoc
//
//	@Summary				Turn an OpenID Token provider's JWT into a session
//	@Description			Seamless entry from an embedding application: the JWT (body field token, or Authorization: Bearer) is verified against the active oidc_token provider whose external URL is its issuer (JWKS signature, issuer, audience = IA identifier, expiry with clock skew); the account is provisioned (SPEC §5.3) and a session cookie is set. Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					body	body		TokenSessionInput	false	"the token (or send Authorization: Bearer)"
//	@Success				200		{object}	session.Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Router					/auth/oidc-token/session [post]
//	@x-required-permission	"public"
func (h *Handler) TokenSession(c echo.Context) error {
	raw, _ := bearerToken(c.Request())
	if c.Request().ContentLength != 0 {
		var in TokenSessionInput
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
		if in.Token != "" {
			raw = in.Token
		}
	}
	out, err := h.svc.TokenSession(c.Request().Context(), raw, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	return h.session(c, out)
}

// Kerberos godoc
//
//	@Summary				Sign in with Kerberos through the reverse proxy
//	@Description			The reverse proxy does SPNEGO and passes the user in the header named by CUSTOS_KERBEROS_HEADER (default X-Remote-User). The header counts only when the TCP peer is in CUSTOS_TRUSTED_PROXIES; the user is looked up in the active LDAP provider and provisioned through the active ldap_kerberos provider, then the browser is redirected to next. Refusals redirect to /login?error=<code>. Required permission: none (public).
//	@Tags					auth
//	@Param					next	query	string	false	"SPA path to open after signing in"
//	@Success				302
//	@Router					/auth/kerberos [get]
//	@x-required-permission	"public"
func (h *Handler) Kerberos(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	out, err := h.svc.Kerberos(c.Request().Context(), KerberosInput{Peer: c.Request().RemoteAddr,
		User: c.Request().Header.Get(h.svc.opt.KerberosHeader), IP: c.RealIP(), UserAgent: c.Request().UserAgent()})
	if err != nil {
		return toLogin(c, err, next)
	}
	h.svc.sess.SetSessionCookie(c, out.Token)
	return c.Redirect(http.StatusFound, next)
}

// RESTSession godoc
//
//	@Summary				Sign in through an external REST provider
//	@Description			Custos POSTs {login, password} as JSON to the provider's external URL (10 s timeout). A 2xx answer must be a RESTProviderAnswer ({login, email, display_name, roles, attributes}); 4xx refuses as wrong credentials (throttled like every password path), 5xx or no answer as an unavailable provider. The account is provisioned (SPEC §5.3) and a session cookie set; an account with a second factor gets {second_factor, challenge} instead, completed with POST /auth/login/second-factor. Required permission: none (public).
//	@Tags					auth
//	@Accept					json
//	@Produce				json
//	@Param					id		path		string		true	"provider id (an active rest provider)"
//	@Param					body	body		RESTInput	true	"credentials"
//	@Success				200		{object}	session.Me
//	@Failure				400		{object}	httpx.Problem
//	@Failure				401		{object}	httpx.Problem
//	@Failure				403		{object}	httpx.Problem
//	@Failure				404		{object}	httpx.Problem
//	@Failure				429		{object}	httpx.Problem
//	@Router					/auth/rest/{id}/session [post]
//	@x-required-permission	"public"
func (h *Handler) RESTSession(c echo.Context) error {
	var in RESTInput
	if err := httpx.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.REST(c.Request().Context(), c.Param("id"), in, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	// An account with a second factor gets a challenge, as on the login form.
	err = h.svc.sess.ChallengeInstead(c.Request().Context(), out.Token, identity.NormLogin(in.Login), c.RealIP())
	if due, werr := session.AnswerDue(c, err); due {
		return werr
	}
	if err != nil {
		return err
	}
	return h.session(c, out)
}

// session sets the cookie of a new session and answers with the caller.
func (h *Handler) session(c echo.Context, out Outcome) error {
	h.svc.sess.SetSessionCookie(c, out.Token)
	p, err := h.svc.sess.Resolve(c.Request().Context(), out.Token)
	if err != nil || p == nil {
		return apperr.Unauthenticated()
	}
	return h.me(c, p)
}

// base is the console's external base URL.
func (h *Handler) base(c echo.Context) string {
	if h.svc.opt.PublicURL != "" {
		return strings.TrimSuffix(h.svc.opt.PublicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// browser returns the browser's flow binding, setting the cookie when it is new.
func (h *Handler) browser(c echo.Context) string {
	if ck, err := c.Cookie(flowCookie); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 100 {
		return ck.Value
	}
	v := crypto.RandomToken(32)
	c.SetCookie(h.svc.cookie(flowCookie, v, h.svc.opt.FlowTTL))
	return v
}

// toLogin sends the browser to the login page with the refusal's code.
func toLogin(c echo.Context, err error, next string) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	q := url.Values{"error": {e.Code}}
	if next != "/" {
		q.Set("next", next)
	}
	return c.Redirect(http.StatusFound, "/login?"+q.Encode())
}

// safeNext accepts only a same-origin path of the SPA (no open redirect, no loop back
// to the login page or into the API).
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") || strings.HasPrefix(next, "/api/") ||
		strings.ContainsAny(next, "\r\n\x00") {
		return "/"
	}
	return next
}
