#!/usr/bin/env bash
# Regenerates the OpenAPI document (api/), the Go copy the server embeds
# (backend/internal/apidoc) and the SPA's TypeScript types (frontend/src/api/schema.d.ts).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/backend"
# internal/app holds the general API info; every other internal package may hold handlers.
# --requiredByDefault: a response field the server always writes is required; a field it
# may omit says so with omitempty, an optional input field with validate:"optional"
# (swag's marker; no validator reads it), a null one with extensions:"x-nullable".
dirs="./internal/app,$(find internal -name '*.go' -not -path 'internal/apidoc/*' -not -path 'internal/app/*' -exec dirname {} \; | sort -u | sed 's|^|./|' | paste -sd, -)"
go tool swag init --quiet --requiredByDefault -g docs.go -d "$dirs" -o internal/apidoc --outputTypes go
go tool swag init --quiet --requiredByDefault -g docs.go -d "$dirs" -o "$root/api" --outputTypes json,yaml
gofmt -w internal/apidoc/docs.go
if [ -f "$root/frontend/package.json" ]; then
  cd "$root/frontend"
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run --silent gen
fi
