#!/usr/bin/env bash
# Builds k6 from the Go module proxy at a pinned version into .cache/k6/<version>/k6 and prints the
# binary's path. Reuses the binary when it is already there (a rebuild takes a few minutes on 2 cores).
#   bash loadtests/k6/install.sh          # prints the path, building first if needed
# Needs Go >= 1.25 (k6 v1.8.1's go.mod) on PATH or at /usr/local/go/bin/go. Exits 3 (and says why) when Go is missing.
set -euo pipefail
K6_VERSION="${K6_VERSION:-v1.8.1}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.cache/k6/$K6_VERSION"
if [ -x "$dir/k6" ]; then
  echo "$dir/k6"
  exit 0
fi
go_bin="$(command -v go || true)"
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi
if [ -z "$go_bin" ]; then
  echo "k6 install: no Go toolchain (go not on PATH nor at /usr/local/go/bin/go); cannot build k6 $K6_VERSION" >&2
  exit 3
fi
mkdir -p "$dir"
echo "k6 install: building go.k6.io/k6@$K6_VERSION with $("$go_bin" version) into $dir (a few minutes, once)" >&2
# CGO off: a static binary that does not depend on the machine's C library.
GOBIN="$dir" CGO_ENABLED=0 GOFLAGS=-buildvcs=false "$go_bin" install "go.k6.io/k6@$K6_VERSION" >&2
"$dir/k6" version >&2
echo "$dir/k6"
