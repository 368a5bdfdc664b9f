#!/usr/bin/env bash
# Everything CI proves: typecheck, lint, unit suites, then the integration suites against a real local stack
# (Kafka + schema registry started here and stopped on exit, pass or fail; PostgreSQL, Redis, MariaDB, RabbitMQ,
# Mosquitto and NATS are the machine's own services on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

[[ $(node -p 'process.versions.node.split(".")[0]') -ge 24 ]] || { echo "test-all: needs Node 24 (run npm ci first)" >&2; exit 1; }

# The suites find the stack through these; derive them from the ports stack.sh uses unless given.
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:${STACK_KAFKA_PORT:-9092}}"
export SCHEMA_REGISTRY_URL="${SCHEMA_REGISTRY_URL:-http://127.0.0.1:${STACK_REGISTRY_PORT:-8081}/apis/ccompat/v7}"

# nmap is a scanner the integration suites run for real, and Chromium opens the HTML report (Debian's packages).
missing=()
command -v nmap >/dev/null || missing+=(nmap)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "test-all: installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test-all: ${missing[*]} not installed; install (apt-get install ${missing[*]}) and run again" >&2
    exit 1
  fi
fi

# promtool checks the alert rules (test/deploy/dashboards.test.ts): Debian's prometheus package, unpacked into
# .tools/ rather than installed, so that no Prometheus daemon is set up or started.
if [[ ! -x .tools/promtool ]] && ! command -v promtool >/dev/null && command -v apt-get >/dev/null; then
  echo "test-all: fetching promtool (Debian package prometheus, unpacked into .tools/)"
  tmp=$(mktemp -d)
  (cd "$tmp" && { apt-get download -qq prometheus 2>/dev/null || { apt-get update -qq && apt-get download -qq prometheus; }; }) &&
    dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x" && mkdir -p .tools && cp "$tmp/x/usr/bin/promtool" .tools/ ||
    echo "test-all: could not fetch promtool; the promtool test will be skipped" >&2
  rm -rf "$tmp"
fi

step() { printf '\n== %s\n' "$*"; }

step typecheck
npm run --silent typecheck
step lint
npm run --silent lint
step "unit tests"
npm test

stack_started=0
if ! bash infra/stack.sh status | grep -q 'kafka running'; then
  stack_started=1
fi
stop_stack() { if ((stack_started)); then bash infra/stack.sh down || true; fi; }
trap stop_stack EXIT
step "local stack"
bash infra/stack.sh up
step "integration tests"
npm run test:integration
