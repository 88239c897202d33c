// Package webui serves the embedded single-page app with history fallback: any
// path that is not a file of the build answers index.html, so client routes reload.
package webui

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:embed all:dist
var dist embed.FS

// Built reports whether the SPA was embedded (make build copies it in).
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}

// Handler serves the SPA.
func Handler() echo.HandlerFunc {
	sub, _ := fs.Sub(dist, "dist")
	files := http.FileServer(http.FS(sub))
	return func(c echo.Context) error {
		p := strings.TrimPrefix(path.Clean(c.Request().URL.Path), "/")
		if p != "" && p != "index.html" {
			if st, err := fs.Stat(sub, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") { // content-hashed names never change
					c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(c.Response(), c.Request())
				return nil
			}
		}
		index, err := fs.ReadFile(sub, "index.html")
		if err != nil {
			return c.HTML(http.StatusOK, "<!doctype html><title>Custos</title><p>The web interface was not built into this binary. Run <code>make build</code>; the API is at /api/v1 and its documentation at /api/docs/.</p>")
		}
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTMLBlob(http.StatusOK, index)
	}
}
