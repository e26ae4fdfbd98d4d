#!/bin/sh
# Posts Envoy's tap files (envoy.yaml: file_per_tap under /var/spool/envoy-tap) to sidetap, up to
# 200 traces per request, and deletes them once sidetap answered 2xx. On 429 (sidetap saturated)
# or any failure the files stay and are sent again on the next round: nothing is lost, and the
# listener's own limits decide the pace. Listener side:
#   sidetap collect --mirror-http 0.0.0.0:9400 --mirror-token-file /etc/sidetap/mirror.token
set -eu
SPOOL=${SPOOL:-/var/spool/envoy-tap}
SIDETAP=${SIDETAP:-http://sidetap.internal:9400}
TOKEN_FILE=${TOKEN_FILE:-/etc/sidetap/mirror.token}
MARK="$SPOOL/.shipped-before"

while :; do
  touch "$MARK"
  sleep 1
  # Only files older than the mark: Envoy has finished writing them.
  find "$SPOOL" -maxdepth 1 -name 'trace*.json' ! -newer "$MARK" | head -n 200 > "$SPOOL/.batch" || true
  [ -s "$SPOOL/.batch" ] || continue
  # Traces one after another in one body: the listener reads concatenated JSON.
  if xargs cat < "$SPOOL/.batch" | gzip -c | curl -fsS -o /dev/null \
      -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
      -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
      --data-binary @- "$SIDETAP/v1/envoy"; then
    xargs rm -f < "$SPOOL/.batch"
  fi
done
