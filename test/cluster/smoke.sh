#!/usr/bin/env bash
# smoke.sh - start a throw-away cluster with cluster.sh, check the behaviour the
# taskbbs tests rely on (pod phases, exit codes, OOM, delete, logs, NetworkPolicy,
# Jobs), stop it and check that nothing is left running.
# Ends with a line "N passed, M failed"; exit status 0 only when all passed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/taskbbs-cluster-smoke.XXXXXX")"
PASSED=0
FAILED=0

"$HERE/cluster.sh" start "$DIR" >/dev/null || { echo "cluster start failed"; echo "0 passed, 1 failed"; exit 1; }
trap '"$HERE/cluster.sh" stop "$DIR" >/dev/null 2>&1' EXIT
# shellcheck disable=SC1091
source "$DIR/env"

k() { # k METHOD PATH [BODY]
  local args=(curl -sS --noproxy '*' --max-time 10 --cacert "$TASKBBS_TEST_CA"
    -H "Authorization: Bearer $TASKBBS_TEST_TOKEN" -X "$1")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  "${args[@]}" "$TASKBBS_TEST_APISERVER$2"
}
# jq-less JSON access: jget EXPR (python expression over `o`), reads stdin.
jget() { python3 -c 'import json,sys
try: o = json.load(sys.stdin)
except Exception: o = {}
try: print(eval(sys.argv[1]))
except Exception: print("")' "$1"; }

check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then PASSED=$((PASSED + 1)); echo "ok   $1"
  else FAILED=$((FAILED + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi
}

pod() { # pod NAME ANNOTATIONS-JSON
  k POST /api/v1/namespaces/default/pods "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",
    \"metadata\":{\"name\":\"$1\",\"annotations\":$2},
    \"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"main\",\"image\":\"example.invalid/task:1\",
    \"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\",\"nvidia.com/gpu\":\"1\"}}}]}}" >/dev/null
}

# wait_phase NAME PHASE: wait up to 30s; prints the final phase.
wait_phase() {
  local i phase=""
  for ((i = 0; i < 150; i++)); do
    phase=$(k GET "/api/v1/namespaces/default/pods/$1" | jget 'o["status"]["phase"]')
    [ "$phase" = "$2" ] && break
    sleep 0.2
  done
  echo "$phase"
}
term() { k GET "/api/v1/namespaces/default/pods/$1" | jget "o['status']['containerStatuses'][0]['state']['terminated']['$2']"; }

pod ok '{}'
pod exit3 '{"taskbbs.test/exit-code":"3"}'
pod oom '{"taskbbs.test/oom":"true"}'
pod forever '{"taskbbs.test/run-forever":"true"}'

check "pod without annotations reaches Succeeded" Succeeded "$(wait_phase ok Succeeded)"
check "its container exitCode is 0" 0 "$(term ok exitCode)"
check "exit-code pod reaches Failed" Failed "$(wait_phase exit3 Failed)"
check "its exitCode is 3" 3 "$(term exit3 exitCode)"
check "its reason is Error" Error "$(term exit3 reason)"
check "oom pod reaches Failed" Failed "$(wait_phase oom Failed)"
check "its reason is OOMKilled" OOMKilled "$(term oom reason)"
check "its exitCode is 137" 137 "$(term oom exitCode)"
check "run-forever pod is Running" Running "$(wait_phase forever Running)"
check "pod log is served" "taskbbs test cluster: simulated container, no real output" \
  "$(k GET /api/v1/namespaces/default/pods/ok/log)"

k DELETE /api/v1/namespaces/default/pods/forever >/dev/null
gone=""
for ((i = 0; i < 50; i++)); do
  gone=$(k GET /api/v1/namespaces/default/pods/forever | jget 'o.get("reason", "")')
  [ "$gone" = NotFound ] && break
  sleep 0.2
done
check "deleted running pod disappears" NotFound "$gone"

check "NetworkPolicy can be created" NetworkPolicy "$(k POST /apis/networking.k8s.io/v1/namespaces/default/networkpolicies \
  '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny-all"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}' |
  jget 'o["kind"]')"

if grep -q '^kube-controller-manager ' "$DIR/pids"; then
  k POST /apis/batch/v1/namespaces/default/jobs '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"job"},
    "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"a","image":"example.invalid/task:1"}]}}}}' >/dev/null
  done_=""
  for ((i = 0; i < 150; i++)); do
    done_=$(k GET /apis/batch/v1/namespaces/default/jobs/job | jget 'o["status"]["succeeded"]')
    [ "$done_" = 1 ] && break
    sleep 0.2
  done
  check "Job completes" 1 "$done_"
fi

trap - EXIT
"$HERE/cluster.sh" stop "$DIR" >/dev/null 2>&1
left=0
for f in /proc/[0-9]*/cmdline; do
  [ "${f#/proc/}" = "$$/cmdline" ] && continue
  cmd=$(tr '\0' ' ' < "$f" 2>/dev/null) || continue
  [[ "$cmd" == *"$DIR"* ]] && { left=$((left + 1)); echo "left running: $cmd" >&2; }
done
check "stop leaves no process behind" 0 "$left"
rm -rf "$DIR"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
