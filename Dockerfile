# syntax=docker/dockerfile:1
# The asmvs image: the built stages (dist/), their production dependencies and nmap, on Node 24, as a non-root
# user. One image for every stage: `docker run asmvs:local run vs_normalization`, `… topics create`.
# docker-compose.yml builds it; deploy/kubernetes/ runs it.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# npm ci applies the kafkajs patch (patch-package, the prepare script): it must be here first.
COPY patches/ patches/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts scripts/build.ts
COPY bin/ bin/
COPY src/ src/
# The build (tsc → dist/), then only what runs it: production dependencies.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
# nmap: the scanners run Debian's (connect scans: no raw sockets, no capabilities needed).
RUN apt-get update \
  && apt-get install -y --no-install-recommends nmap ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/node_modules/ node_modules/
COPY --from=build /src/dist/ dist/
# Listen where probes and Prometheus reach the container; bounded glibc arenas (the heap flags are applied by
# dist/bin/memory-defaults.js for run and replay).
ENV NODE_ENV=production \
  METRICS_HOST=0.0.0.0 \
  METRICS_PORT=9464 \
  MALLOC_ARENA_MAX=2
# The node image's unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/bin/healthcheck.js"]
ENTRYPOINT ["node", "--disable-warning=TimeoutNegativeWarning", "dist/bin/asmvs.js"]
CMD ["--help"]
