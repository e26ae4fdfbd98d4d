#!/bin/sh
# The same http-log plugin as kong.yaml, added through Kong's Admin API (database-backed Kong).
# Listener side:
#   sidetap collect --mirror-http 0.0.0.0:9400 --mirror-token-file /etc/sidetap/mirror.token
set -eu
KONG_ADMIN=${KONG_ADMIN:-http://localhost:8001}
TOKEN=$(cat /etc/sidetap/mirror.token)

curl -fsS -X POST "$KONG_ADMIN/plugins" -H 'Content-Type: application/json' -d @- <<JSON
{
  "name": "http-log",
  "config": {
    "http_endpoint": "http://sidetap.internal:9400/v1/kong",
    "method": "POST",
    "content_type": "application/json",
    "timeout": 10000,
    "keepalive": 60000,
    "headers": { "Authorization": "Bearer $TOKEN" },
    "queue": { "max_batch_size": 100, "max_coalescing_delay": 1, "max_retry_time": 120 }
  }
}
JSON
