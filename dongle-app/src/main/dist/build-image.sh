#!/usr/bin/env bash
# Builds the dongle's runtime image: a jlink'ed Java runtime with only the modules the app needs,
# the app jar, a launcher with the footprint flags, the systemd unit and the docs.
#   dongle-app/src/main/dist/build-image.sh <app jar> <output dir>
set -euo pipefail
JAR="$1"
OUT="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
# What jdeps finds (java.base, java.management, java.prefs, java.security.sasl, java.sql, jdk.net,
# jdk.unsupported) minus java.desktop (only Jakarta Activation's image handlers, never used for
# sending raw bytes), plus what is loaded by name at run time: jdk.crypto.ec (Ed25519 signatures,
# ECDHE in TLS), java.naming (DNS through JNDI), jdk.charsets (decoding subjects for SMS notices).
MODULES="java.base,java.management,java.prefs,java.security.sasl,java.sql,java.naming,jdk.net,jdk.unsupported,jdk.crypto.ec,jdk.charsets"
rm -rf "$OUT"
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive --output "$OUT"
# the image runs with compressed oops only (-Xmx32m): the second CDS archive is never used
rm -f "$OUT/lib/server/classes_nocoops.jsa"
cp "$JAR" "$OUT/lib/twinpath-dongle.jar"
cat > "$OUT/bin/twinpath-dongle" <<'LAUNCHER'
#!/bin/sh
# twinpath-dongle with the footprint flags: 32 MB heap, Serial GC, C1 only, small stacks, small
# code cache and direct memory, one Netty arena. TWINPATH_JAVA_OPTS replaces them.
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OPTS="${TWINPATH_JAVA_OPTS:--Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1}"
# shellcheck disable=SC2086
exec "$HERE/bin/java" $OPTS -jar "$HERE/lib/twinpath-dongle.jar" "$@"
LAUNCHER
chmod +x "$OUT/bin/twinpath-dongle"
mkdir -p "$OUT/docs"
cp "$ROOT/docs/dongle.md" "$OUT/docs/"
cp "$HERE/twinpath-dongle.service" "$OUT/"
echo "image: $OUT ($(du -sh "$OUT" | cut -f1)); run $OUT/bin/twinpath-dongle run"
