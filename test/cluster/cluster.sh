#!/usr/bin/env bash
# Many functions are only called indirectly (via wait_for or trap):
# shellcheck disable=SC2317
# cluster.sh - a real, minimal Kubernetes control plane on loopback for tests.
# See README.md next to this file.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN_DIR="${TASKBBS_CLUSTER_BIN:-$HERE/.bin}"
BINARIES=(etcd kwok kube-scheduler kube-apiserver kube-controller-manager)
K8S_VERSION=v1.36.1

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go
  elif [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go
  else die "go not found (need Go >= 1.26 on PATH)"; fi
}

# True when every binary exists and is newer than go.mod, go.sum and all sources.
binaries_fresh() {
  local b newer
  for b in "${BINARIES[@]}"; do
    [ -x "$BIN_DIR/$b" ] || return 1
    newer=$(find "$HERE/go.mod" "$HERE/go.sum" "$HERE/cmd" -newer "$BIN_DIR/$b" -print -quit)
    [ -z "$newer" ] || return 1
  done
  return 0
}

cmd_build() {
  if binaries_fresh; then
    log "binaries up to date in $BIN_DIR"
    return 0
  fi
  local go; go=$(find_go)
  mkdir -p "$BIN_DIR"
  local jobs="${BUILD_JOBS:-2}"
  local ldflags="-s -w"
  local v=k8s.io/component-base/version
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  ldflags+=" -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  log "building ${BINARIES[*]} with $("$go" version | awk '{print $3}') (-p $jobs); a cold build takes about 5-7 min on 2 cores"
  local b t0 t1
  for b in "${BINARIES[@]}"; do
    t0=$(date +%s)
    log "building $b ..."
    # -v lists each package as it is compiled; print a progress line every 100.
    if ! (cd "$HERE" && GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0 \
      "$go" build -p "$jobs" -trimpath -v -ldflags "$ldflags" -o "$BIN_DIR/$b.tmp" "./cmd/$b") 2>&1 |
      awk -v name="$b" '
        /^[a-zA-Z0-9._~-]+(\/[^ ]*)?$/ && !/:/ { n++; if (n % 100 == 0) { printf("[cluster] %s: %d packages compiled (last: %s)\n", name, n, $0); fflush() } ; next }
        { print; fflush() }' >&2; then
      rm -f "$BIN_DIR/$b.tmp"
      die "build of $b failed"
    fi
    mv -f "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
    t1=$(date +%s)
    log "built $b in $((t1 - t0))s"
  done
  log "all binaries built in $BIN_DIR"
}


# ---------------------------------------------------------------------------
# start / stop
# ---------------------------------------------------------------------------

CURL=(curl --silent --show-error --noproxy '*' --max-time 10)

# free_ports N: print N distinct currently-free TCP ports on 127.0.0.1.
free_ports() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
  else
    local ports=() p
    while [ "${#ports[@]}" -lt "$1" ]; do
      p=$((20000 + RANDOM % 30000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && [[ " ${ports[*]} " != *" $p "* ]]; then
        ports+=("$p")
      fi
    done
    echo "${ports[*]}"
  fi
}

gen_pki() {
  local pki="$1"
  mkdir -p "$pki"
  (
    cd "$pki"
    local o=(openssl)
    "${o[@]}" req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=taskbbs-test-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    # Serving cert for kube-apiserver (and the kwok kubelet endpoint), loopback only.
    "${o[@]}" req -new -newkey rsa:2048 -nodes -keyout serving.key -out serving.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1" \
      "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" > serving.ext
    "${o[@]}" x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -out serving.crt -days 3650 -extfile serving.ext 2>/dev/null
    # Admin client cert (group system:masters).
    "${o[@]}" req -new -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=taskbbs-admin" 2>/dev/null
    printf '%s\n' "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment" > admin.ext
    "${o[@]}" x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -out admin.crt -days 3650 -extfile admin.ext 2>/dev/null
    # Service-account token signing key pair.
    "${o[@]}" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
    "${o[@]}" pkey -in sa.key -pubout -out sa.pub 2>/dev/null
    # Static admin bearer token.
    "${o[@]}" rand -hex 24 > token
    printf '%s,taskbbs-admin,taskbbs-admin,"system:masters"\n' "$(cat token)" > tokens.csv
    rm -f ./*.csr ./*.ext ./*.srl
    chmod 600 ./*.key token tokens.csv
  )
}

write_kubeconfig() {
  local dir="$1" port="$2" pki="$1/pki"
  local ca crt key
  ca=$(base64 -w0 < "$pki/ca.crt"); crt=$(base64 -w0 < "$pki/admin.crt"); key=$(base64 -w0 < "$pki/admin.key")
  umask 077
  cat > "$dir/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: taskbbs-test
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca
users:
- name: taskbbs-admin
  user:
    client-certificate-data: $crt
    client-key-data: $key
contexts:
- name: taskbbs-test
  context:
    cluster: taskbbs-test
    user: taskbbs-admin
    namespace: default
current-context: taskbbs-test
KC
}

# api METHOD PATH [JSON-BODY]: call the apiserver with the admin token; prints body.
api() {
  local method="$1" path="$2" body="${3:-}"
  local args=("${CURL[@]}" -X "$method" --cacert "$DIR/pki/ca.crt"
    -H "Authorization: Bearer $(cat "$DIR/pki/token")" -H "Accept: application/json")
  if [ -n "$body" ]; then args+=(-H "Content-Type: application/json" --data-binary "$body"); fi
  "${args[@]}" "https://127.0.0.1:$API_PORT$path"
}

STARTED_PIDS=()

# launch NAME BINARY ARGS...: start a component in the background, logging to DIR/logs/NAME.log.
launch() {
  local name="$1"; shift
  local bin="$1"; shift
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
    "$bin" "$@" >"$DIR/logs/$name.log" 2>&1 </dev/null &
  local pid=$!
  STARTED_PIDS+=("$pid")
  echo "$name $pid" >> "$DIR/pids"
  log "started $name (pid $pid)"
}

# wait_for NAME TIMEOUT-SECONDS PID COMMAND...: poll COMMAND until it succeeds.
wait_for() {
  local name="$1" timeout="$2" pid="$3"; shift 3
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited; last log lines:"; tail -n 30 "$DIR/logs/$name.log" >&2 || true
      return 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${timeout}s waiting for $name; last log lines:"
      tail -n 30 "$DIR/logs/$name.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

readyz_ok() { [ "$(api GET /readyz)" = "ok" ]; }
etcd_ok() { "${CURL[@]}" "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
kcm_ok() { [ "$("${CURL[@]}" -k "https://127.0.0.1:$KCM_PORT/healthz")" = "ok" ]; }
scheduler_ok() { [ "$("${CURL[@]}" -k "https://127.0.0.1:$SCHED_PORT/healthz")" = "ok" ]; }
nodes_ready() {
  local n
  for n in "${NODE_NAMES[@]}"; do
    api GET "/api/v1/nodes/$n" | python3 -c '
import json, sys
node = json.load(sys.stdin)
ok = any(c.get("type") == "Ready" and c.get("status") == "True" for c in node.get("status", {}).get("conditions", []))
sys.exit(0 if ok else 1)' || return 1
  done
}

logs_crd_json() {
  cat <<JSON
{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"logs.kwok.x-k8s.io"},
 "spec":{"group":"kwok.x-k8s.io","scope":"Namespaced","names":{"kind":"Logs","listKind":"LogsList","plural":"logs","singular":"logs"},
  "versions":[{"name":"v1alpha1","served":true,"storage":true,
   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
JSON
}
logs_crd_ok() {
  api GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/logs.kwok.x-k8s.io | python3 -c '
import json, sys
crd = json.load(sys.stdin)
sys.exit(0 if any(c.get("type") == "Established" and c.get("status") == "True" for c in crd.get("status", {}).get("conditions", [])) else 1)'
}

node_json() {
  local name="$1" res
  res=$(printf '"cpu":"%s","memory":"%s","pods":"%s","ephemeral-storage":"1Ti","nvidia.com/gpu":"%s"' \
    "$NODE_CPU" "$NODE_MEMORY" "$NODE_PODS" "$NODE_GPUS")
  cat <<JSON
{"apiVersion":"v1","kind":"Node","metadata":{"name":"$name",
 "labels":{"type":"kwok","kubernetes.io/hostname":"$name","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","nvidia.com/gpu.present":"true"},
 "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"}},
 "spec":{},
 "status":{"capacity":{$res},"allocatable":{$res}}}
JSON
}

cleanup_failed_start() {
  local pid
  if [ "${START_OK:-0}" != 1 ] && [ "${#STARTED_PIDS[@]}" -gt 0 ]; then
    log "start failed; stopping started components (logs are in $DIR/logs)"
    for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 2
    for pid in "${STARTED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -f "$DIR/pids"
  fi
}

cmd_start() {
  mkdir -p "$1"
  DIR="$(cd "$1" && pwd)"
  if [ -s "$DIR/pids" ] && pids_alive "$DIR"; then
    die "a cluster is already running in $DIR (run: $0 stop $DIR)"
  fi
  for tool in curl openssl python3 base64; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
  done
  local t0; t0=$(date +%s%3N)
  NODE_COUNT="${TASKBBS_CLUSTER_NODES:-1}"
  NODE_CPU="${TASKBBS_CLUSTER_NODE_CPU:-32}"
  NODE_MEMORY="${TASKBBS_CLUSTER_NODE_MEMORY:-256Gi}"
  NODE_PODS="${TASKBBS_CLUSTER_NODE_PODS:-110}"
  NODE_GPUS="${TASKBBS_CLUSTER_NODE_GPUS:-8}"
  CONTROLLERS="${TASKBBS_CLUSTER_CONTROLLERS:-namespace-controller,garbage-collector-controller,job-controller,serviceaccount-controller}"
  NODE_NAMES=()
  local i; for ((i = 0; i < NODE_COUNT; i++)); do NODE_NAMES+=("kwok-node-$i"); done

  # Fresh state every start: remove only what a previous start made.
  rm -rf "$DIR/etcd" "$DIR/pki" "$DIR/logs" "$DIR/kwok" "$DIR/pids" "$DIR/kubeconfig" "$DIR/env" "$DIR/pod.log"
  mkdir -p "$DIR/logs" "$DIR/kwok"
  : > "$DIR/pids"
  trap cleanup_failed_start EXIT

  read -r ETCD_PORT ETCD_PEER_PORT API_PORT SCHED_PORT KWOK_PORT KCM_PORT <<<"$(free_ports 6)"
  log "ports: etcd=$ETCD_PORT etcd-peer=$ETCD_PEER_PORT apiserver=$API_PORT scheduler=$SCHED_PORT kwok=$KWOK_PORT controller-manager=$KCM_PORT"
  gen_pki "$DIR/pki"
  local pki="$DIR/pki"

  launch etcd "$BIN_DIR/etcd" \
    --name=default --data-dir="$DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="default=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --log-level=warn --quota-backend-bytes=$((2 * 1024 * 1024 * 1024))
  wait_for etcd 60 "${STARTED_PIDS[-1]}" etcd_ok

  launch kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --tls-cert-file="$pki/serving.crt" --tls-private-key-file="$pki/serving.key" \
    --client-ca-file="$pki/ca.crt" --token-auth-file="$pki/tokens.csv" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=RBAC \
    --disable-admission-plugins=ServiceAccount,TaintNodesByCondition \
    --requestheader-client-ca-file="$pki/ca.crt" --requestheader-allowed-names=taskbbs-front-proxy \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --endpoint-reconciler-type=none \
    --kubelet-preferred-address-types=InternalIP \
    --kubelet-certificate-authority="$pki/ca.crt" \
    --allow-privileged=true --profiling=false --cert-dir="$pki" \
    --enable-priority-and-fairness=false
  wait_for kube-apiserver 180 "${STARTED_PIDS[-1]}" readyz_ok
  write_kubeconfig "$DIR" "$API_PORT"
  log "kube-apiserver ready at https://127.0.0.1:$API_PORT"

  launch kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig="$DIR/kubeconfig" \
    --authentication-kubeconfig="$DIR/kubeconfig" --authorization-kubeconfig="$DIR/kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$pki/scheduler" \
    --leader-elect=false --profiling=false

  if [ "$CONTROLLERS" != none ]; then
    launch kube-controller-manager "$BIN_DIR/kube-controller-manager" \
      --kubeconfig="$DIR/kubeconfig" \
      --authentication-kubeconfig="$DIR/kubeconfig" --authorization-kubeconfig="$DIR/kubeconfig" \
      --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$pki/controller-manager" \
      --leader-elect=false --profiling=false --controllers="$CONTROLLERS"
  fi

  # kwok's Logs resource (kwok.x-k8s.io/v1alpha1, namespaced, named after a
  # pod) points one pod's container logs at a file of its own; kwok watches
  # them (--enable-crds=Logs). A minimal definition that keeps any fields.
  api POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions "$(logs_crd_json)" >/dev/null \
    || die "creating the kwok Logs resource definition failed"
  wait_for kube-apiserver 60 "$(pid_of kube-apiserver)" logs_crd_ok

  # Every other pod's "logs" (kubectl logs / GET .../pods/NAME/log) are this file.
  # (CRI log format: TIMESTAMP STREAM P|F MESSAGE)
  printf '%s stdout F taskbbs test cluster: simulated container, no real output\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" > "$DIR/pod.log"
  cat > "$DIR/kwok/logs.yaml" <<YAML
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: all-pods
spec:
  logs:
  - logsFile: $DIR/pod.log
YAML
  KWOK_WORKDIR="$DIR/kwok" launch kwok "$BIN_DIR/kwok" \
    --kubeconfig="$DIR/kubeconfig" \
    --config="$HERE/stages/node.yaml" --config="$HERE/stages/pod.yaml" --config="$DIR/kwok/logs.yaml" \
    --enable-crds=Logs \
    --manage-all-nodes=true \
    --node-ip=127.0.0.1 --node-port="$KWOK_PORT" --server-address="127.0.0.1:$KWOK_PORT" \
    --tls-cert-file="$pki/serving.crt" --tls-private-key-file="$pki/serving.key" \
    --cidr=10.244.0.0/16 --node-lease-duration-seconds=40

  local n
  for n in "${NODE_NAMES[@]}"; do
    api POST /api/v1/nodes "$(node_json "$n")" >/dev/null || die "creating node $n failed"
  done
  wait_for kube-scheduler 60 "$(pid_of kube-scheduler)" scheduler_ok
  if [ "$CONTROLLERS" != none ]; then
    wait_for kube-controller-manager 60 "$(pid_of kube-controller-manager)" kcm_ok
  fi
  wait_for kwok 60 "$(pid_of kwok)" nodes_ready

  cat > "$DIR/env" <<ENV
export KUBECONFIG='$DIR/kubeconfig'
export TASKBBS_TEST_KUBECONFIG='$DIR/kubeconfig'
export TASKBBS_TEST_APISERVER='https://127.0.0.1:$API_PORT'
export TASKBBS_TEST_CA='$pki/ca.crt'
export TASKBBS_TEST_TOKEN='$(cat "$pki/token")'
export TASKBBS_TEST_NODES='${NODE_NAMES[*]}'
ENV
  START_OK=1
  trap - EXIT
  local ms=$(( $(date +%s%3N) - t0 ))
  log "cluster ready in $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s: nodes ${NODE_NAMES[*]}; env in $DIR/env"
  echo "$DIR/kubeconfig"
}

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$DIR/pids" | tail -n 1; }

# True when the pid runs a process whose command line mentions the cluster dir.
pid_is_ours() {
  local pid="$1" dir="$2"
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$dir"
}

pids_alive() {
  local dir="$1" name pid
  while read -r name pid; do
    [ -n "$pid" ] && pid_is_ours "$pid" "$dir" && return 0
  done < "$dir/pids"
  return 1
}

cmd_stop() {
  [ -d "$1" ] || die "no such directory: $1"
  local dir; dir="$(cd "$1" && pwd)"
  if [ ! -f "$dir/pids" ]; then log "nothing to stop in $dir"; return 0; fi
  local grace="${TASKBBS_CLUSTER_STOP_GRACE:-5}"
  local name pid group
  # kwok, kube-scheduler and kube-controller-manager first, then kube-apiserver, etcd last.
  for group in "kwok kube-scheduler kube-controller-manager" "kube-apiserver" "etcd"; do
    local pids=()
    while read -r name pid; do
      [[ " $group " == *" $name "* ]] || continue
      pid_is_ours "$pid" "$dir" || continue
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    done < "$dir/pids"
    [ "${#pids[@]}" -gt 0 ] || continue
    local deadline=$(( $(date +%s) + grace )) left
    while :; do
      left=()
      for pid in "${pids[@]}"; do pid_is_ours "$pid" "$dir" && left+=("$pid"); done
      [ "${#left[@]}" -gt 0 ] || break
      if [ "$(date +%s)" -ge "$deadline" ]; then
        log "killing $group (pids ${left[*]}) after ${grace}s"
        kill -KILL "${left[@]}" 2>/dev/null || true
        sleep 0.2
        break
      fi
      sleep 0.1
    done
    log "stopped $group"
  done
  rm -f "$dir/pids"
}

usage() {
  cat >&2 <<USAGE
usage: $0 build          build etcd, kube-apiserver, kube-scheduler, kwok (cached)
       $0 start DIR      start a cluster with state in DIR; prints DIR/kubeconfig
       $0 stop DIR       stop the cluster started in DIR
USAGE
  exit 2
}

main() {
  local sub="${1:-}"; shift || true
  case "$sub" in
    build) cmd_build ;;
    start) [ $# -eq 1 ] || usage; cmd_build; cmd_start "$1" ;;
    stop)  [ $# -eq 1 ] || usage; cmd_stop "$1" ;;
    *) usage ;;
  esac
}

main "$@"; exit
