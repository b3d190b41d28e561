#!/usr/bin/env bash
# Generates the TypeScript, Python and Go clients from openapi/openapi.json.
#
#   bash clients/generate.sh [typescript|python|go]...     (all three without arguments)
#   npm run clients
#
# Each client brings its own pinned toolchain, installed on first use and kept:
#   typescript  clients/typescript/node_modules  (npm ci; openapi-typescript + openapi-fetch)
#   python      clients/python/.venv             (pip, clients/python/requirements.txt; openapi-python-client)
#   go          the Go module cache              (go tool, clients/go/go.mod; oapi-codegen)
# Generated code lands in clients/*/generated or clients/go/taskbbs and is not committed.
set -euo pipefail
cd "$(dirname "$0")"
SPEC=../openapi/openapi.json

typescript () {
  cd typescript
  # Reinstall when the lock changed since the last install.
  if ! cmp -s package-lock.json node_modules/.taskbbs-lock 2>/dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.taskbbs-lock
  fi
  rm -rf generated
  npx --no-install openapi-typescript "../$SPEC" --output generated/taskbbs.ts --silent
  cd ..
}

python () {
  cd python
  if ! cmp -s requirements.txt .venv/requirements.txt 2>/dev/null; then
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
    cp requirements.txt .venv/requirements.txt
  fi
  rm -rf generated
  mkdir -p generated
  # The generator formats its output with ruff from the venv, found on PATH.
  PATH="$PWD/.venv/bin:$PATH" .venv/bin/openapi-python-client generate \
    --path "../$SPEC" --config config.yaml --meta none --output-path generated/taskbbs_client >/dev/null
  cd ..
}

go_client () {
  cd go
  rm -rf taskbbs
  mkdir -p taskbbs
  go tool oapi-codegen -config oapi-codegen.yaml "../$SPEC"
  cd ..
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
