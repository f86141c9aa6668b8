#!/usr/bin/env bash
# ./twinpath demo: the product's main job on embedded defaults, on one machine.
#
#   - a local mail server (GreenMail) stands in for the provider: SMTP and IMAP for alice;
#   - the dongle runs its embedded MQTT broker and drives a simulated SIM7600 on a pseudo-terminal,
#     whose sockets reach the mail server directly (the "cellular" route);
#   - the host reaches the same mail server through a relay that the demo can cut (the laptop's
#     own network).
# It shows a message sent with the host's path healthy, then one sent with it broken and delivered
# via the simulated modem, then inbound mail the dongle took the moment it arrived (it waits in IMAP
# IDLE; both messages are to alice) reaching the host's Maildir once each, with `status` after each step. Ctrl-C (or the end) stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${TWINPATH_DEMO_DIR:-$ROOT/.twinpath-demo}"
rm -rf "$WORK"; mkdir -p "$WORK"
# everything the demo's devices write stays in $WORK, never in your real home directory
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" XDG_STATE_HOME="$WORK/state"
jar() { ls "$ROOT"/$1/target/$2-*-all.jar 2>/dev/null | head -1; }
HOST_JAR="$(jar host-agent twinpath-host-agent)"
DONGLE_JAR="$(jar dongle-app twinpath-dongle-app)"
SIM_JAR="$(jar hw/modem-sim twinpath-modem-sim)"
GREENMAIL_JAR="$(ls "$ROOT"/demo/target/greenmail-standalone-*.jar 2>/dev/null | head -1)"
command -v socat >/dev/null || { echo "demo: socat is needed for the modem's pseudo-terminal (apt-get install socat)" >&2; exit 69; }

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$(( 20000 + RANDOM % 20000 )); while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }
wait_for() { # seconds, description, command...
  local n=$(( $1 * 10 )) what="$2"; shift 2
  for _ in $(seq 1 "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "demo: timed out waiting for $what" >&2; return 1
}

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  echo "demo: stopped; nothing left running (logs in $WORK)"
}
trap cleanup INT TERM EXIT
bg() { local log="$1"; shift; "$@" >"$WORK/$log" 2>&1 & PIDS+=($!); }

SMTP=$(free_port); IMAP=$(free_port); RELAY=$(free_port); BROKER=$(free_port)
while [[ $IMAP == "$SMTP" ]]; do IMAP=$(free_port); done

say "the provider: a local mail server (SMTP 127.0.0.1:$SMTP, IMAP 127.0.0.1:$IMAP, user alice)"
bg greenmail.log java -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP" \
  -Dgreenmail.imap.hostname=127.0.0.1 -Dgreenmail.imap.port="$IMAP" \
  -Dgreenmail.users=alice:secret@twinpath.test -Dgreenmail.auth.disabled=false -jar "$GREENMAIL_JAR"
wait_for 30 "the mail server" bash -c "exec 3<>/dev/tcp/127.0.0.1/$SMTP"

say "the laptop's own network: a relay on 127.0.0.1:$RELAY to the mail server"
bg relay.log socat TCP-LISTEN:"$RELAY",fork,reuseaddr,bind=127.0.0.1 TCP:127.0.0.1:"$SMTP"
RELAY_PID=${PIDS[-1]}

say "the modem: a simulated SIM7600 on a pseudo-terminal"
bg pty.log socat pty,raw,echo=0,link="$WORK/modem-dongle" pty,raw,echo=0,link="$WORK/modem-sim"
wait_for 10 "the pseudo-terminal" test -e "$WORK/modem-sim"
bg modem-sim.log java -jar "$SIM_JAR" --dialect sim7600 "$WORK/modem-sim"

cat > "$WORK/dongle.conf" <<CONF
device.id = dongle
peers = laptop
data.dir = $WORK/dongle-data
broker.address = 127.0.0.1
broker.port = $BROKER
takeover.delay = 3s
modem.port = $WORK/modem-dongle
modem.dialect = sim7600
modem.apn = internet
smtp.host = 127.0.0.1
smtp.port = $SMTP
smtp.tls = none
smtp.username = alice
smtp.password = secret
inbound.protocol = imap
inbound.tls = none
inbound.host = 127.0.0.1
inbound.port = $IMAP
inbound.poll = 10s
inbound.username = alice
inbound.password = secret
inbound.policy = always
CONF
cat > "$WORK/host.conf" <<CONF
account provider
host 127.0.0.1
port $RELAY
tls off
timeout 3s
user alice
password secret
from alice@twinpath.test

twinpath
account provider
device laptop
peers dongle
broker tcp://127.0.0.1:$BROKER
data_dir $WORK/host-data
maildir $WORK/Maildir
backoff 1s
backoff_max 5s
CONF
host() { java -jar "$HOST_JAR" "$1" --config "$WORK/host.conf" "${@:2}"; }
dongle() { java -jar "$DONGLE_JAR" "$1" --config "$WORK/dongle.conf" "${@:2}"; }
sendmail() { java -jar "$HOST_JAR" sendmail -C "$WORK/host.conf" "$@"; }

say "pairing: each device trusts the other's key (compare the fingerprints)"
HOST_KEY=$(host pair | awk '$1=="public" && $2=="key" {print $3; exit}')
DONGLE_KEY=$(dongle pair | awk '$1=="public" && $2=="key" {print $3; exit}')
dongle pair laptop "$HOST_KEY"
host pair dongle "$DONGLE_KEY"

say "starting the dongle (embedded MQTT broker on 127.0.0.1:$BROKER) and the host daemon"
bg dongle.log java -Xmx32m -jar "$DONGLE_JAR" run --config "$WORK/dongle.conf"
wait_for 60 "the dongle" grep -q running "$WORK/dongle.log"
bg host.log java -jar "$HOST_JAR" run --config "$WORK/host.conf"
wait_for 60 "the host" grep -q running "$WORK/host.log"
host status

delivered() { host status --json | grep -o '"outcome" *: *"delivered"' | wc -l; }

say "1. the host's path is healthy: sendmail -t"
printf 'From: alice@twinpath.test\nTo: alice@twinpath.test\nSubject: one: sent over the laptop network\n\nHello from the laptop.\n' \
  | sendmail -t -i
at_least() { [[ $(delivered) -ge $1 ]]; }
wait_for 60 "the first delivery" at_least 1
host status

say "2. the laptop's network breaks (the relay stops): the dongle sends over the modem"
kill "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true
printf 'From: alice@twinpath.test\nTo: alice@twinpath.test\nSubject: two: sent over cellular\n\nThe laptop network was down.\n' \
  | sendmail -t -i
wait_for 90 "the delivery over the modem" at_least 2
host status
dongle status

say "3. inbound: the dongle waits in IMAP IDLE on alice's mailbox and took both messages (both were to her) as they arrived; the laptop's Maildir gets each once"
grep -m1 'with IMAP IDLE' "$WORK/dongle.log" || true
in_maildir() { [[ $(ls "$WORK/Maildir/new" 2>/dev/null | wc -l) -ge 2 ]]; }
wait_for 90 "inbound mail in the host's Maildir" in_maildir
ls "$WORK/Maildir/new"
grep -h '^Subject:' "$WORK"/Maildir/new/*
dongle status

say "done: both messages went out once, over the path shown, and came back in to the laptop's Maildir"
if [[ "${TWINPATH_DEMO_ONCE:-0}" != 1 ]]; then
  echo "Ctrl-C to stop"
  wait
fi
