#!/usr/bin/env bash
# Schema fuzzing of the taskbbs HTTP API with schemathesis.
#
#   fuzz/run.sh [BASE_URL] [-- extra schemathesis options]
#
# Generates requests from the committed OpenAPI document (openapi/openapi.json)
# for every route and checks each answer: no 5xx, a documented status, a
# documented content type, a body matching its documented schema. Without a
# BASE_URL (or TASKBBS_FUZZ_URL) it starts `node src/server.ts` in development
# mode on a free loopback port with an embedded PostgreSQL, and stops it after.
# That server is API-only (no scheduler, no callback worker): generated tasks
# must never run as local processes, download from or call back to the
# generated URLs; a server given by URL should be configured the same way.
# schemathesis is installed into fuzz/.venv (pinned by fuzz/requirements.txt)
# the first time, and again whenever requirements.txt changes.
#
# Exits 0 when nothing was found, non-zero otherwise. Tunables (environment):
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 40)
#   FUZZ_SEED          hypothesis seed (default 20261126: CI runs are repeatable)
#   FUZZ_TOKEN         bearer token to send, for a server with TASKBBS_TOKENS set
#   FUZZ_PROFILE       full (default: every phase on every route) or quick (CI:
#                      no coverage phase for POST /v1/tasks; see quick.toml)
#   FUZZ_SPEC          the OpenAPI document (default openapi/openapi.json)
#   PYTHON             interpreter that creates the venv (default python3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv="$here/.venv"
py=${PYTHON:-python3}

url=${TASKBBS_FUZZ_URL:-}
if [ $# -gt 0 ] && [ "$1" != "--" ]; then url=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi

# --- schemathesis, pinned, in a venv of the project's own -------------------
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/schemathesis" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "fuzz: installing schemathesis into fuzz/.venv ($("$py" --version 2>&1))" >&2
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi

# --- a server to fuzz, unless one was given ---------------------------------
server_pid=""
cleanup () {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # Bounded wait for the drain (it stops its embedded PostgreSQL), then force.
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
if [ -z "$url" ]; then
  node=node
  [ -x "$root/node_modules/node/bin/node" ] && node="$root/node_modules/node/bin/node"
  port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log="$here/reports/server.log"
  mkdir -p "$here/reports"
  TASKBBS_MODE=development TASKBBS_HOST=127.0.0.1 TASKBBS_PORT=$port TASKBBS_LOG_LEVEL=${TASKBBS_LOG_LEVEL:-warn} \
    TASKBBS_SCHEDULER=false TASKBBS_CALLBACKS=false \
    "$node" "$root/src/server.ts" >"$log" 2>&1 &
  server_pid=$!
  url="http://127.0.0.1:$port"
  echo "fuzz: started taskbbs (pid $server_pid) on $url; log in fuzz/reports/server.log" >&2
  # Up to 60 s for the embedded PostgreSQL and the migrations.
  "$venv/bin/python" - "$url" "$server_pid" <<'PY'
import sys, time, os, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 60
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("fuzz: the server exited before it was ready; see fuzz/reports/server.log")
    try:
        if urllib.request.urlopen(url + "/readyz", timeout=2).status == 200:
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit("fuzz: the server did not become ready in 60 s")
PY
fi

headers=()
[ -n "${FUZZ_TOKEN:-}" ] && headers=(-H "Authorization: Bearer $FUZZ_TOKEN")

profile=${FUZZ_PROFILE:-full}
[ -f "$here/$profile.toml" ] || { echo "fuzz: no profile fuzz/$profile.toml (full or quick)" >&2; exit 2; }

# Run from fuzz/ so that anything schemathesis writes stays under the ignored paths here.
cd "$here"
echo "fuzz: schemathesis ($profile profile) against $url with ${FUZZ_SPEC:-openapi/openapi.json}" >&2
set +e
"$venv/bin/schemathesis" --config-file "$here/$profile.toml" run "${FUZZ_SPEC:-$root/openapi/openapi.json}" \
  --url "$url" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${FUZZ_MAX_EXAMPLES:-40}" \
  --seed "${FUZZ_SEED:-20261126}" \
  --generation-database none \
  --request-timeout 10 \
  --no-color \
  ${headers[@]+"${headers[@]}"} \
  "$@"
status=$?
set -e
exit $status
