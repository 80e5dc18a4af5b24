#!/usr/bin/env bash
# Start a throw-away Virtuoso open source on loopback, run the remote-store tests against it
# (the `virtuoso` marker, and the Oxigraph ones beside them), stop it.
#
#   scripts/virtuoso/run-tests.sh [pytest arguments]
#
# Needs `virtuoso-t` (Debian: apt-get install virtuoso-opensource-7-bin; as root this script
# installs it). The database lives in a temporary folder and is removed afterwards; the `dba`
# account keeps Virtuoso's default password, which is fine for a loopback-only test server.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/virtuoso

if ! command -v virtuoso-t >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      virtuoso-opensource-7-bin >/dev/null
  else
    echo "virtuoso-t not found: apt-get install virtuoso-opensource-7-bin" >&2
    exit 2
  fi
fi

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
dir=$(mktemp -d -t edugraph-virtuoso-XXXXXX)
sql_port=$(free_port)
http_port=$(free_port)
sed -e "s|@DIR@|$dir|g" -e "s|@SQL_PORT@|$sql_port|g" -e "s|@HTTP_PORT@|$http_port|g" \
  "$here/virtuoso.ini.in" >"$dir/virtuoso.ini"

virtuoso-t +configfile "$dir/virtuoso.ini" +foreground >"$dir/console.log" 2>&1 &
pid=$!
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT

url="http://127.0.0.1:$http_port"
for _ in $(seq 1 120); do
  if curl -sf -o /dev/null "$url/sparql?query=ASK%7B%7D"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "Virtuoso did not start:" >&2
    tail -20 "$dir/console.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -sf -o /dev/null "$url/sparql?query=ASK%7B%7D" || { echo "Virtuoso is not answering at $url" >&2; exit 1; }
echo "Virtuoso $(virtuoso-t -? 2>&1 | grep -o 'Version [^ ]*' | head -1) at $url" >&2

export EDUGRAPH_VIRTUOSO_URL="$url"
export EDUGRAPH_VIRTUOSO_AUTH="dba:dba"
.venv/bin/pytest -q tests/test_remote.py tests/test_remote_parity.py tests/test_remote_push.py "$@"
