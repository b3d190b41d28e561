#!/usr/bin/env bash
# Generates the TypeScript, Python and Go clients from openapi/openapi.json.
#
#   bash clients/generate.sh [typescript|python|go]...     (all three without arguments)
#   npm run clients
#
# Each client brings its own pinned toolchain, installed on first use and kept:
#   typescript  clients/typescript/node_modules  (npm ci; openapi-typescript, then tsc builds dist/)
#   python      clients/python/.venv             (pip, clients/python/requirements-generate.txt; openapi-python-client)
#   go          the Go module cache              (go tool, clients/go/go.mod; oapi-codegen)
# The generated code is committed, so that each client installs by path as a
# package; test/clients/generated.test.ts fails when it differs from what this
# script makes of the committed document. The packaging and the hand-written
# parts (events, waiting, webhook signatures) sit next to it and are kept.
#
# TASKBBS_CLIENTS_OUT=DIR writes the generated files under DIR/<client>/…
# instead of into the clients themselves (the toolchains stay where they are).
set -euo pipefail
cd "$(dirname "$0")"
CLIENTS="$PWD"
SPEC="$CLIENTS/../openapi/openapi.json"
OUT="${TASKBBS_CLIENTS_OUT:-$CLIENTS}"
OUT="$(mkdir -p "$OUT" && cd "$OUT" && pwd)"
VERSION="$(node -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).info.version' "$SPEC")"

# The clients cover taskbbs's own API. The GA4GH TES routes (/ga4gh/tes/v1)
# are left out: TES users have TES clients (py-tes, the workflow engines), and
# TES's operation names (ListTasks, GetTask, CancelTask) would clash with ours.
OWN_SPEC="$(mktemp --suffix=.json)"
trap 'rm -f "$OWN_SPEC"' EXIT
node -e 'const fs = require("node:fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); for (const p of Object.keys(d.paths)) if (p.startsWith("/ga4gh/")) delete d.paths[p]; for (const n of Object.keys(d.components.schemas)) if (/^tes[A-Z]/.test(n)) delete d.components.schemas[n]; fs.writeFileSync(process.argv[2], JSON.stringify(d, null, 2))' "$SPEC" "$OWN_SPEC"
SPEC="$OWN_SPEC"

typescript () {
  cd "$CLIENTS/typescript"
  # Reinstall when the lock changed since the last install.
  if ! cmp -s package-lock.json node_modules/.taskbbs-lock 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.taskbbs-lock
  fi
  local out="$OUT/typescript"
  rm -rf "$out/generated" "$out/dist"
  npx --no-install openapi-typescript "$SPEC" --output "$out/generated/taskbbs.ts" --silent >/dev/null
  if [ "$out" = "$PWD" ]; then
    npm pkg set version="$VERSION"   # the package's version is the API's
  else
    # Elsewhere, dist/ is built from a copy of the hand-written sources and this toolchain.
    cp -r src package.json tsconfig.json tsconfig.build.json "$out/"
    ln -sfn "$PWD/node_modules" "$out/node_modules"
  fi
  # dist/ is what the package ships: JavaScript and declarations of src/ and the generated types.
  npx --no-install tsc -p "$out/tsconfig.build.json"
  cd "$CLIENTS"
}

python () {
  cd "$CLIENTS/python"
  if ! cmp -s requirements-generate.txt .venv/requirements-generate.txt 2>/dev/null; then
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-generate.txt
    cp requirements-generate.txt .venv/requirements-generate.txt
  fi
  local out="$OUT/python" spec
  rm -rf "$out/taskbbs_client"
  mkdir -p "$out"
  # GET /v1/events never ends: a generated call would read it forever. The
  # package's taskbbs.events follows it instead, so the generator does not see it.
  spec="$(mktemp --suffix=.json)"
  node -e 'const fs = require("node:fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); delete d.paths["/v1/events"]; fs.writeFileSync(process.argv[2], JSON.stringify(d))' "$SPEC" "$spec"
  # The generator formats its output with ruff from the venv, found on PATH.
  PATH="$PWD/.venv/bin:$PATH" .venv/bin/openapi-python-client generate \
    --path "$spec" --config config.yaml --meta none --output-path "$out/taskbbs_client" >/dev/null
  rm -f "$spec"
  rm -rf "$out/taskbbs_client/.ruff_cache"
  # The generated clients default to no timeout at all (httpx's timeout=None), so a
  # call to a server that never answers waits forever: give them a bounded default.
  local client="$out/taskbbs_client/client.py"
  grep -q 'field(default=None, kw_only=True, alias="timeout")' "$client" ||
    { echo "clients/generate.sh: the generated client.py no longer declares its timeout as expected" >&2; exit 1; }
  sed -i 's/field(default=None, kw_only=True, alias="timeout")/field(factory=lambda: httpx.Timeout(30.0, connect=10.0), kw_only=True, alias="timeout")/' "$client"
  if [ "$out" = "$PWD" ]; then sed -i "s/^version = \".*\"/version = \"$VERSION\"/" pyproject.toml; fi
  cd "$CLIENTS"
}

go_client () {
  cd "$CLIENTS/go"
  local out="$OUT/go"
  mkdir -p "$out/taskbbs"
  rm -f "$out/taskbbs/taskbbs.gen.go"
  go tool oapi-codegen -config oapi-codegen.yaml -o "$out/taskbbs/taskbbs.gen.go" "$SPEC"
  cd "$CLIENTS"
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(typescript python go)
for target in "${targets[@]}"; do
  case "$target" in
    typescript|ts) typescript ;;
    python|py) python ;;
    go) go_client ;;
    *) echo "clients/generate.sh: unknown client '$target' (typescript, python or go)" >&2; exit 2 ;;
  esac
  echo "generated the $target client"
done
