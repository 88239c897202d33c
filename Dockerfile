# Multi-stage build: the SPA with Node, the binary with Go (SPA embedded), a slim runtime.
FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY api/ /src/api/
RUN npm run build

# Pinned to the patch release with the security fixes (see README, "Security"); local: no
# toolchain download inside the build.
FROM golang:1.26.10-bookworm AS bin
ENV GOTOOLCHAIN=local
WORKDIR /src/backend
COPY backend/go.mod backend/go.sum ./
RUN go mod download
COPY backend/ ./
COPY --from=web /src/frontend/dist/ ./internal/webui/dist/
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X custos/internal/app.Version=${VERSION}" -o /out/custos ./cmd/custos

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/custos --create-home custos
COPY --from=bin /out/custos /usr/local/bin/custos
USER custos
ENV CUSTOS_ADDR=0.0.0.0:8080 CUSTOS_DATA_DIR=/var/lib/custos
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/custos"]
CMD ["serve"]
