package authz

import "custos/internal/platform/db"

// ModelText is the embedded Casbin model, for tests that build their own enforcer.
var ModelText = modelText

// NewAdapter exposes the casbin_rule adapter to the store tests.
var NewAdapter = func(d *db.DB) (any, error) { return adapter(d) }
