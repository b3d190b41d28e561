#!/usr/bin/env bash
# Builds the static taskbbs-runner binary: bash runner/build.sh OUT
# Uses `go` from PATH, else /usr/local/go/bin/go. Prints the path it wrote.
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: bash runner/build.sh <output-path>" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

go_bin="$(command -v go || true)"
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi
if [ -z "$go_bin" ]; then
  echo "runner/build.sh: Go is not installed (no go on PATH nor /usr/local/go/bin/go); install Go 1.26 or later to build taskbbs-runner" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
cd "$here"
CGO_ENABLED=0 "$go_bin" build -trimpath -ldflags='-s -w' -o "$out" ./cmd/taskbbs-runner
echo "$out"
