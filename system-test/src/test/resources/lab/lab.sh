#!/usr/bin/env bash
# A two-route lab for system tests: a mail server (Postfix submission with SASL + Dovecot
# IMAP/POP3) in its own network namespace, reachable from
#   - the "host" namespace over one veth (the laptop's own network, which a test takes down), and
#   - the root namespace over another veth (the cellular route the modem simulator bridges to),
# plus a "usb" veth between the host namespace and the root namespace for MQTT to the dongle.
#
#   lab.sh up DIR      create everything; writes DIR/lab.env with names and addresses
#   lab.sh down DIR    remove everything the matching 'up' created (safe to call twice)
#   lab.sh cut DIR     take the host's route to the mail server down (ip link set ... down)
#   lab.sh heal DIR    bring it back
# Needs root, iproute2, postfix, dovecot, openssl.
set -euo pipefail
cmd="$1"; DIR="$(readlink -f "$2")"

up() {
  mkdir -p "$DIR"; chmod 755 "$DIR"
  local id net
  id="$(printf '%04x' $((RANDOM % 65536)))"
  net=$((100 + RANDOM % 150))
  local NS_MAIL="tpm$id" NS_HOST="tph$id"
  cat > "$DIR/lab.env" <<ENV
LAB_ID=$id
NS_MAIL=$NS_MAIL
NS_HOST=$NS_HOST
HOST_IF=tphw$id
MAIL_FROM_HOST=10.$net.1.1
HOST_ADDR=10.$net.1.2
MAIL_FROM_CELL=10.$net.2.1
CELL_ADDR=10.$net.2.2
USB_ROOT=10.$net.3.1
USB_HOST=10.$net.3.2
MAIL_DOMAIN=twinpath.test
ENV
  # shellcheck disable=SC1091
  . "$DIR/lab.env"
  ip netns add "$NS_MAIL"
  ip netns add "$NS_HOST"
  ip -n "$NS_MAIL" link set lo up
  ip -n "$NS_HOST" link set lo up
  # host <-> mail (the laptop's own route)
  ip link add "tphw$id" netns "$NS_HOST" type veth peer name "tpmh$id" netns "$NS_MAIL"
  ip -n "$NS_HOST" addr add "$HOST_ADDR/24" dev "tphw$id"
  ip -n "$NS_MAIL" addr add "$MAIL_FROM_HOST/24" dev "tpmh$id"
  ip -n "$NS_HOST" link set "tphw$id" up
  ip -n "$NS_MAIL" link set "tpmh$id" up
  # root <-> mail (the cellular route)
  ip link add "tpcr$id" type veth peer name "tpmc$id" netns "$NS_MAIL"
  ip addr add "$CELL_ADDR/24" dev "tpcr$id"
  ip -n "$NS_MAIL" addr add "$MAIL_FROM_CELL/24" dev "tpmc$id"
  ip link set "tpcr$id" up
  ip -n "$NS_MAIL" link set "tpmc$id" up
  # root <-> host (the USB network link to the dongle, carrying MQTT only)
  ip link add "tpur$id" type veth peer name "tpuh$id" netns "$NS_HOST"
  ip addr add "$USB_ROOT/24" dev "tpur$id"
  ip -n "$NS_HOST" addr add "$USB_HOST/24" dev "tpuh$id"
  ip link set "tpur$id" up
  ip -n "$NS_HOST" link set "tpuh$id" up

  mail_config
  # daemons must not inherit our stdout: callers wait for it to close
  ip netns exec "$NS_MAIL" dovecot -c "$DIR/dovecot/dovecot.conf" </dev/null >>"$DIR/daemons.out" 2>&1
  ip netns exec "$NS_MAIL" postfix -c "$DIR/postfix" start </dev/null >>"$DIR/daemons.out" 2>&1 \
    || { cat "$DIR/daemons.out" "$DIR/postfix.log" >&2 2>/dev/null; exit 1; }
}

mail_config() {
  local uid gid
  uid="$(id -u mail)"; gid="$(id -g mail)"
  mkdir -p "$DIR/tls" "$DIR/postfix" "$DIR/mail" "$DIR/dovecot/run" "$DIR/dovecot/state"
  chown "$uid:$gid" "$DIR/mail"
  # a private CA and a server certificate for mail.twinpath.test and both addresses
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Twinpath Lab CA" \
    -keyout "$DIR/tls/ca.key" -out "$DIR/tls/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=mail.$MAIL_DOMAIN" \
    -keyout "$DIR/tls/server.key" -out "$DIR/tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:mail.%s,IP:%s,IP:%s\n' "$MAIL_DOMAIN" "$MAIL_FROM_HOST" "$MAIL_FROM_CELL" \
    > "$DIR/tls/san.ext"
  openssl x509 -req -in "$DIR/tls/server.csr" -CA "$DIR/tls/ca.pem" -CAkey "$DIR/tls/ca.key" \
    -CAcreateserial -days 2 -extfile "$DIR/tls/san.ext" -out "$DIR/tls/server.pem" 2>/dev/null
  chmod 644 "$DIR/tls/server.key"

  # mailboxes: alice (the user), bob (a recipient); password "secret"
  printf 'alice@%s:{PLAIN}secret\nbob@%s:{PLAIN}secret\n' "$MAIL_DOMAIN" "$MAIL_DOMAIN" \
    > "$DIR/dovecot/users"
  printf 'alice@%s %s/alice/\nbob@%s %s/bob/\n' "$MAIL_DOMAIN" "$MAIL_DOMAIN" "$MAIL_DOMAIN" "$MAIL_DOMAIN" \
    > "$DIR/postfix/vmailbox"

  cat > "$DIR/dovecot/dovecot.conf" <<CONF
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
log_path = $DIR/dovecot.log
protocols = imap pop3
listen = *
ssl = yes
ssl_cert = <$DIR/tls/server.pem
ssl_key = <$DIR/tls/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:$DIR/mail/%d/%n
default_login_user = dovenull
default_internal_user = dovecot
# the mailboxes belong to the system user "mail" (a low uid)
first_valid_uid = $uid
first_valid_gid = $gid
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/dovecot/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DIR/mail/%d/%n
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
CONF

  cat > "$DIR/postfix/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = all
inet_protocols = ipv4
myhostname = mail.$MAIL_DOMAIN
mydomain = $MAIL_DOMAIN
mydestination =
alias_maps =
alias_database =
maillog_file = $DIR/postfix.log
maillog_file_prefixes = $DIR
virtual_mailbox_domains = $MAIL_DOMAIN
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = texthash:$DIR/postfix/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
virtual_minimum_uid = 1
smtpd_tls_cert_file = $DIR/tls/server.pem
smtpd_tls_key_file = $DIR/tls/server.key
smtpd_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/dovecot/run/auth-postfix
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtputf8_enable = yes
CONF
  cat > "$DIR/postfix/master.cf" <<'CONF'
smtp       inet  n       -       n       -       -       smtpd
submission inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
local      unix  -       n       n       -       -       local
virtual    unix  -       n       n       -       -       virtual
lmtp       unix  -       -       n       -       -       lmtp
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
CONF
  mkdir -p "$DIR/postfix-queue" "$DIR/postfix-data"
  chown postfix "$DIR/postfix-data"
  postfix -c "$DIR/postfix" set-permissions >/dev/null 2>&1 || true
  postfix -c "$DIR/postfix" check
}

down() {
  [[ -f "$DIR/lab.env" ]] || return 0
  # shellcheck disable=SC1091
  . "$DIR/lab.env"
  ip netns exec "$NS_MAIL" postfix -c "$DIR/postfix" stop >/dev/null 2>&1 || true
  if [[ -f "$DIR/dovecot/run/master.pid" ]]; then
    kill "$(cat "$DIR/dovecot/run/master.pid")" 2>/dev/null || true
  fi
  for ns in "$NS_MAIL" "$NS_HOST"; do
    # anything still running inside goes too
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "tpcr$LAB_ID" 2>/dev/null || true
  ip link del "tpur$LAB_ID" 2>/dev/null || true
  rm -f "$DIR/lab.env"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  cut) . "$DIR/lab.env"; ip -n "$NS_HOST" link set "$HOST_IF" down ;;
  heal) . "$DIR/lab.env"; ip -n "$NS_HOST" link set "$HOST_IF" up ;;
  *) echo "usage: lab.sh up|down|cut|heal DIR" >&2; exit 64 ;;
esac
