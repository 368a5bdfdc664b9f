#!/usr/bin/env bash
# The local stack without Docker: Apache Kafka (KRaft, one node) and Apicurio Registry, both from Maven Central,
# both bound to 127.0.0.1. `up` fetches once (Maven's cache), starts both and returns when both answer;
# `down` stops exactly the processes that `up` started (PID files), nothing else.
# The data survives `down`/`up` and a crash: Kafka's KRaft directory is formatted only when it holds no
# meta.properties, and the registry keeps its schemas in Kafka itself (KafkaSQL storage, topic kafkasql-journal),
# so the schema ids in retained records stay valid. `reset` stops the stack, deletes the data and starts it empty.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
infra=$root/infra
state=${ASMVS_STACK_DIR:-$root/.stack}
kafka_port=${STACK_KAFKA_PORT:-9092}
controller_port=${STACK_CONTROLLER_PORT:-9093}
registry_port=${STACK_REGISTRY_PORT:-8081}
registry_mgmt_port=${STACK_REGISTRY_MGMT_PORT:-9001}
ready_timeout=${STACK_READY_TIMEOUT:-180}

kafka_libs=$infra/target/kafka-libs
apicurio_dir=$infra/target/apicurio
apicurio_app=$apicurio_dir/app

# A reader that goes away (`npm run stack:up | head -2`) must not kill the script half-way through a start: the
# cleanup would then run while the process it just forked has not exec'd java yet, and take it for somebody else's.
trap '' PIPE
say() { printf 'stack: %s\n' "$*" 2>/dev/null || true; }
die() { printf 'stack: error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# A PID file counts only if its process is alive and is the java process we started (a recycled PID is not ours).
running_pid() {
  local name=$1 file=$state/$1.pid pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "asmvs.stack=$name"; then
    echo "$pid"
    return 0
  fi
  say "removing stale PID file $file (process ${pid:-?} is gone)" >&2
  rm -f "$file"
  return 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_in_use "$1"; then
    die "port $1 on 127.0.0.1 is already in use by another process, so $2 cannot start there; stop that process or set $3 to a free port"
  fi
}

fetch() {
  command -v java >/dev/null || die "java (17+) is not on PATH"
  if ! compgen -G "$kafka_libs/kafka_2.13-*.jar" >/dev/null || ! compgen -G "$apicurio_dir/*.tar.gz" >/dev/null; then
    command -v mvn >/dev/null || die "mvn is not on PATH (needed once, to fetch Kafka and Apicurio from Maven Central)"
    say "fetching Kafka and Apicurio Registry from Maven Central (once; Maven's cache keeps them)"
    mvn -B -ntp -q -Dstyle.color=never -f "$infra/pom.xml" package || die "maven fetch failed (see the output above)"
  fi
  if [[ ! -f $apicurio_app/quarkus-run.jar ]] && ! compgen -G "$apicurio_app/*-runner.jar" >/dev/null; then
    rm -rf "$apicurio_app"
    mkdir -p "$apicurio_app"
    tar -xzf "$apicurio_dir"/apicurio-registry-app-*-all.tar.gz -C "$apicurio_app"
  fi
}

# Apicurio 3.3 is built for Java 21 (class file 65); Kafka runs on 17. Take STACK_REGISTRY_JAVA, else the newest
# JDK >= 21 under /usr/lib/jvm (these machines carry Temurin 25 beside the default OpenJDK 17), else java on PATH.
java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == 1 ? v[2] : v[1]); exit}'; }
registry_java() {
  local candidate major
  for candidate in ${STACK_REGISTRY_JAVA:-} $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV) "$(command -v java)"; do
    [[ -x $candidate ]] || continue
    major=$(java_major "$candidate")
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= 21)); then echo "$candidate"; return; fi
  done
  die "Apicurio Registry 3.3 needs Java 21 or newer and none was found; install one or set STACK_REGISTRY_JAVA to its java"
}

registry_jar() {
  local jar
  jar=$(find "$apicurio_app" -maxdepth 2 \( -name quarkus-run.jar -o -name '*-runner.jar' \) | head -n 1)
  [[ -n $jar ]] || die "no quarkus-run.jar or *-runner.jar under $apicurio_app"
  echo "$jar"
}

# A directory with meta.properties is formatted storage: keep it (topics, offsets and the registry's journal live
# there; the broker recovers its logs itself after a crash). Anything else is at most a format that died half-way,
# with nothing in it worth keeping, so it is cleared and formatted afresh. So is a directory formatted before the
# registry kept its schemas in it (no registry-in-kafka marker): its records name schema ids of a registry that is
# gone, and a new registry would hand the same ids to other schemas.
format_kafka_once() {
  local data=$1 marker=$state/registry-in-kafka cluster_id
  if [[ -f $data/meta.properties && -f $marker ]]; then
    say "kafka keeps its data in $data ($(grep -h '^cluster.id=' "$data/meta.properties"))"
    return
  fi
  if [[ -f $data/meta.properties ]]; then
    say "$data was made when the registry kept its schemas in memory (its records' schema ids are gone): starting it afresh"
  fi
  rm -rf "$data" "$marker"
  # 16 random bytes, base64url without padding: what `kafka-storage.sh random-uuid` prints. Like Kafka's own
  # Uuid.randomUuid, draw again when it starts with '-' (1 in 64): `format -t -x…` reads it as an option.
  cluster_id=-
  while [[ $cluster_id == -* ]]; do cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
  java -Xmx256m -Dlog4j2.configurationFile="$infra/log4j2-tools.properties" -cp "$kafka_libs/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$state/server.properties" >"$state/kafka-format.log" 2>&1 \
    || die "formatting the KRaft storage failed: $(tail -n 5 "$state/kafka-format.log")"
  echo "kafka-data holds the registry's journal (KafkaSQL storage)" >"$marker"
  say "kafka storage formatted in $data (cluster.id=$cluster_id)"
}

start_kafka() {
  if pid=$(running_pid kafka); then say "kafka already running (pid $pid) on 127.0.0.1:$kafka_port"; return; fi
  require_free_port "$kafka_port" kafka STACK_KAFKA_PORT
  require_free_port "$controller_port" "the kafka controller" STACK_CONTROLLER_PORT
  local data=$state/kafka-data
  sed -e "s#@DATA_DIR@#$data#" -e "s#@KAFKA_PORT@#$kafka_port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" \
    "$infra/server.properties.template" >"$state/server.properties"
  format_kafka_once "$data"
  setsid java -Dasmvs.stack=kafka -Xms384m -Xmx512m -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:TieredStopAtLevel=1 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
    -Dlog4j2.configurationFile="$infra/log4j2-broker.properties" \
    -cp "$kafka_libs/*" kafka.Kafka "$state/server.properties" >"$state/kafka.log" 2>&1 </dev/null &
  echo $! >"$state/kafka.pid"
  started_kafka=$!
  say "kafka starting (pid $!) on 127.0.0.1:$kafka_port"
}

start_registry() {
  if pid=$(running_pid registry); then say "registry already running (pid $pid) on 127.0.0.1:$registry_port"; return; fi
  require_free_port "$registry_port" "the schema registry" STACK_REGISTRY_PORT
  require_free_port "$registry_mgmt_port" "the registry's management port" STACK_REGISTRY_MGMT_PORT
  # Global compatibility BACKWARD: Apicurio answers GET /config/{subject} with this default, and the kafkajs
  # registry client refuses to register when that answer differs from the level it asks for (BACKWARD).
  # KafkaSQL storage: every change is a record in kafkasql-journal on this stack's broker, replayed into the
  # registry's in-memory database at start, so schemas and ids live and die with the topics that use them.
  # Its start-up reads two topics "until a poll comes back empty": with the default 5 s poll timeout that is
  # ~20 s of waiting; 500 ms makes it ~2 s. Its consumers need no offsets (each start replays the whole journal under
  # fresh random groups): with auto-commit off an old group holds none and the broker drops it at its next offsets
  # check (10 min); with offsets it would stay for offsets.retention.minutes (7 days), three more per start.
  # max-subjects: GET /subjects is cut at this count (default 1000), and a kept registry accumulates subjects.
  local java_bin
  java_bin=$(registry_java)
  setsid "$java_bin" -Dasmvs.stack=registry -Xms128m -Xmx512m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$registry_port" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$registry_mgmt_port" \
    -Dquarkus.http.access-log.enabled=false \
    -Dapicurio.ccompat.use-canonical-hash=true \
    -Dapicurio.ccompat.max-subjects=100000 \
    -Dapicurio.rules.global.compatibility=BACKWARD \
    -Dapicurio.storage.kind=kafkasql -Dapicurio.kafkasql.bootstrap.servers="127.0.0.1:$kafka_port" \
    -Dapicurio.kafkasql.consumer.poll.timeout=500 -Dapicurio.kafkasql.consumer.enable.auto.commit=false \
    -jar "$(registry_jar)" >"$state/registry.log" 2>&1 </dev/null &
  echo $! >"$state/registry.pid"
  started_registry=$!
  say "registry starting (pid $!) on 127.0.0.1:$registry_port"
}

node_bin() { echo "$root/node_modules/.bin/node"; }
broker_answers() { "$(node_bin)" "$root/scripts/kafka-ready.ts" "127.0.0.1:$kafka_port" >/dev/null 2>&1; }
kafka_ready() { grep -q 'Kafka Server started' "$state/kafka.log" 2>/dev/null; }
# KafkaSQL replays its journal on a thread of its own; /health/ready includes that storage's readiness (journal
# replayed), so an API answer alone is not taken to mean that every schema is back.
registry_ready() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$registry_mgmt_port/health/ready") == 200 ]] &&
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$registry_port/apis/ccompat/v7/subjects") == 200 ]]
}

wait_ready() {
  local name=$1 check=$2 deadline=$((SECONDS + ready_timeout)) pid
  while ! $check; do
    pid=$(<"$state/$name.pid")
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up; last lines of $state/$name.log:
$(tail -n 20 "$state/$name.log")"
    ((SECONDS < deadline)) || die "$name not ready after ${ready_timeout}s; see $state/$name.log"
    sleep 0.3
  done
}

# If start-up fails half-way, stop what this run started so that nothing is left behind: by the PIDs this run
# recorded (they are ours), not by the PID files' check, which a process forked a moment ago may not pass yet.
cleanup_failed_up() {
  if ((started_registry)); then stop_pid registry "$started_registry"; fi
  if ((started_kafka)); then stop_pid kafka "$started_kafka"; fi
}

up() {
  local t0
  t0=$(now_ms)
  # The readiness probe is TypeScript, which only the project's Node 24 runs: without it, say so instead of timing out.
  [[ -x $(node_bin) ]] || die "run npm ci first: the readiness check needs the project's Node 24 ($(node_bin))"
  started_kafka=0 started_registry=0
  mkdir -p "$state"
  fetch
  trap 'cleanup_failed_up' EXIT
  start_kafka
  start_registry
  if ((started_kafka)); then
    wait_ready kafka kafka_ready
    # The readiness line can precede the first metadata answer by a moment; ask the broker itself.
    wait_ready kafka broker_answers
  fi
  if ((started_registry)); then wait_ready registry registry_ready; fi
  trap - EXIT
  say "ready in $(($(now_ms) - t0)) ms: KAFKA_BROKERS=127.0.0.1:$kafka_port SCHEMA_REGISTRY_URL=http://127.0.0.1:$registry_port/apis/ccompat/v7"
}

stop_one() {
  local name=$1 pid
  pid=$(running_pid "$name") || { say "$name not running"; return 0; }
  stop_pid "$name" "$pid"
}

stop_pid() {
  local name=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) ignored SIGTERM for 30s; sending SIGKILL"
    kill -KILL "$pid"
  fi
  rm -f "$state/$name.pid"
  say "$name stopped (pid $pid)"
}

down() {
  stop_one registry
  stop_one kafka
}

# On purpose only: every topic, offset and schema of this stack is gone afterwards.
reset() {
  down
  say "deleting $state/kafka-data (topics, offsets, the registry's schemas)"
  rm -rf "$state/kafka-data" "$state/registry-in-kafka"
  up
}

status() {
  local name pid rss
  for name in kafka registry; do
    if pid=$(running_pid "$name"); then
      rss=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
      say "$name running (pid $pid, peak RSS $rss)"
    else
      say "$name not running"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) reset ;;
  fetch) fetch ;;
  *) die "usage: infra/stack.sh up|down|status|reset|fetch" ;;
esac
