package app

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	swaggerFiles "github.com/swaggo/files/v2"
	"github.com/swaggo/swag"

	_ "custos/internal/apidoc" // registers the generated document
)

//	@title						Custos API
//	@version					1.0
//	@description				Identity and credentials administration: providers, users, groups, tokens, certificates, devices. Every operation names the permission it needs (x-required-permission). Errors are application/problem+json with a stable `code`.
//	@BasePath					/api/v1
//	@securityDefinitions.apikey	ApiToken
//	@in							header
//	@name						Authorization
//	@description				API token: send `Authorization: Api-Token <token>`. In this page's Authorize dialog paste the token alone (cst01.… or csp01.…): the page adds the `Api-Token ` prefix. The `api-token` query parameter also works but is less safe: URLs end up in logs and browser history. Each operation names the permission (token scope) it needs.
//	@securityDefinitions.apikey	SessionCookie
//	@in							header
//	@name						X-CSRF-Token
//	@description				Browser session: the HttpOnly custos_session cookie (from POST /auth/login) is sent automatically; state-changing requests must repeat the custos_csrf cookie in X-CSRF-Token. This page fills the header in for you.

// docsPage loads Swagger UI and its set-up from files: the Content-Security-Policy allows
// no inline script.
const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Custos API</title>
<link rel="stylesheet" href="swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="custos-docs.js"></script>
</body></html>`

// docsScript starts Swagger UI. A pasted token stays in the page only (no
// persistAuthorization: localStorage outlives the tab and is readable by any script of the
// origin); the CSRF header is filled in from the cookie; no remote validator badge.
const docsScript = `"use strict";
function csrf(){const m=document.cookie.match(/(?:^|; )custos_csrf=([^;]*)/);return m?decodeURIComponent(m[1]):''}
window.ui=SwaggerUIBundle({url:'/api/openapi.json',dom_id:'#swagger-ui',deepLinking:true,
 persistAuthorization:false,validatorUrl:null,
 requestInterceptor:function(r){if(!/^(GET|HEAD|OPTIONS)$/i.test(r.method||'GET')){r.headers['X-CSRF-Token']=csrf()}
  var a=r.headers.Authorization;if(a&&/^cs[tp]01\./.test(a)){r.headers.Authorization='Api-Token '+a}return r}});
`

func redirectDocs(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/api/docs/") }

func (a *App) docsIndex(c echo.Context) error { return c.HTML(http.StatusOK, docsPage) }

func (a *App) docsFiles(c echo.Context) error {
	name := strings.TrimPrefix(c.Param("*"), "/")
	switch name {
	case "", "index.html":
		return a.docsIndex(c)
	case "custos-docs.js":
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(docsScript))
	}
	b, err := fs.ReadFile(swaggerFiles.FS, name)
	if err != nil {
		return echo.ErrNotFound
	}
	ct := "application/octet-stream"
	switch {
	case strings.HasSuffix(name, ".js"):
		ct = "text/javascript; charset=utf-8"
	case strings.HasSuffix(name, ".css"):
		ct = "text/css; charset=utf-8"
	case strings.HasSuffix(name, ".png"):
		ct = "image/png"
	}
	return c.Blob(http.StatusOK, ct, b)
}

func (a *App) openapiJSON(c echo.Context) error {
	doc, err := swag.ReadDoc()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/json", []byte(doc))
}
