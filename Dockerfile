# syntax=docker/dockerfile:1.12
#
# nezame container image: the React UI is built, embedded into one static Go binary, and
# shipped on distroless (no shell, no package manager, runs as uid 65532).
#
# Build:   DOCKER_BUILDKIT=1 docker build -t nezame .
# Run:     docker run -p 8080:8080 nezame            (demo mode: no Twitter keys, no Redis)
#
# Base images are pinned by tag; pin by digest as well in a fork that has a bot to update them.

# --- 1. wasm: the analyzer for the browser's archive import (GOOS=js GOARCH=wasm) -----------
FROM golang:1.26-bookworm AS wasm
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY analyzer/ ./analyzer/
# wasm_exec.js must come from the same toolchain as the module.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=js GOARCH=wasm CGO_ENABLED=0 go build -tags nomsgpack -trimpath -ldflags="-s -w" -o /out/analyzer.wasm ./analyzer/wasm && \
    cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" /out/

# --- 2. web: npm ci + vite build -> /src/web/dist ------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
# Manifests first so the npm ci layer is reused while only sources change.
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY web/ ./
# This stage has no Go: scripts/build-wasm.mjs uses the module built above.
COPY --from=wasm /out/ ./src/features/archive/wasm/
RUN npm run build

# --- 3. build: static Go binary with the UI embedded ----------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Static binary: distroless/static has no libc.
ENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# web/dist in the context is excluded by .dockerignore; the fresh build from stage 1 is embedded.
# -tags nomsgpack: as the Makefile's GOTAGS (gin's MessagePack binding, unused, left out).
COPY --from=web /src/web/dist ./web/dist
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -tags nomsgpack -trimpath -ldflags="-s -w" -o /out/nezame ./api

# --- 4. runtime: distroless static, non-root ------------------------------------------------
# static-debian12 carries CA certificates (HTTPS to Twitter, GCS) and tzdata (IANA zones).
FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/nezame /nezame
USER nonroot:nonroot
# Cloud Run sets PORT (8080 by default); the service reads it, so nothing is hard-wired here.
EXPOSE 8080
ENTRYPOINT ["/nezame"]
