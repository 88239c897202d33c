// Package apitest holds the API scenario tests: each builds the whole app (real
// middleware, routes and a fresh database, SQLite and PostgreSQL) and drives it over
// HTTP as a client would. Files are named for the feature they exercise (users_,
// providers_, signin_, tokens_, sessions_, audit_ …); the app's own tests (the route
// table, OpenAPI agreement, layering, middleware) stay in package app.
package apitest
