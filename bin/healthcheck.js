// The container health check (the Dockerfile's HEALTHCHECK, docker-compose.yml): exit 0 when this container's stage
// answers GET /readyz, 1 otherwise. The image has no curl; node is there.
const port = process.env.METRICS_PORT || '9464';
const bound = process.env.METRICS_HOST || '127.0.0.1';
// A wildcard address is reached through loopback.
const host = bound === '0.0.0.0' ? '127.0.0.1' : bound === '::' ? '::1' : bound;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`;
fetch(url, { signal: AbortSignal.timeout(4_000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
