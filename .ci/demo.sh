#!/usr/bin/env bash
# The product's main job on embedded defaults: the dongle with its embedded MQTT broker, and the
# host daemon connected to it, as two real processes. Ctrl-C stops both and leaves nothing running.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.twinpath-demo"
mkdir -p "$WORK"
HOST_JAR="$(ls "$ROOT"/host-agent/target/twinpath-host-agent-*-all.jar | head -1)"
DONGLE_JAR="$(ls "$ROOT"/dongle-app/target/twinpath-dongle-app-*-all.jar | head -1)"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${TWINPATH_DEMO_PORT:-18830}"
while ! port_free "$PORT"; do PORT=$((PORT + 1)); done

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "demo: stopping"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "demo: stopped; nothing left running"
}
trap cleanup INT TERM EXIT

wait_for_line() { # file, text
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "demo: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

echo "demo: starting the dongle (embedded MQTT broker on 127.0.0.1:$PORT)"
java -Xmx32m -jar "$DONGLE_JAR" run --broker-port "$PORT" >"$WORK/dongle.log" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/dongle.log" "running"
cat "$WORK/dongle.log"

echo "demo: starting the host daemon"
XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
  java -jar "$HOST_JAR" run --broker "tcp://127.0.0.1:$PORT" >"$WORK/host.log" 2>&1 &
PIDS+=($!)
wait_for_line "$WORK/host.log" "running"
cat "$WORK/host.log"

echo "demo: both devices are online (retained on twinpath/<device>/state); Ctrl-C to stop"
if [[ "${TWINPATH_DEMO_ONCE:-0}" == 1 ]]; then exit 0; fi
wait
