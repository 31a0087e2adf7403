#!/usr/bin/env bash
# Drives the page of `curator demo --serve --require-approval`, served at
# /curator/ behind a prefix-stripping proxy (serve.base_path), in headless
# Chromium with playwright-core (scripts/browser-e2e.mjs): approvals,
# "Run for a title" updating in place, no token in any URL or page source,
# screenshots at desktop and phone width in TARGET/browser-e2e/.
#
# Usage: scripts/browser-e2e.sh [path/to/curator]
# Needs node and npm (installs playwright-core into TARGET/browser-e2e) and
# Chromium (as scripts/browser-check.sh finds or installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

curator=${1:-target/debug/curator}
[ -x "$curator" ] || { echo "browser-e2e: $curator is not built (cargo build -p curator-cli)" >&2; exit 1; }
target=$(cd "$(dirname "$curator")/.." && pwd)
out="$target/browser-e2e"
mkdir -p "$out"

command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "browser-e2e: node and npm are required (apt-get install nodejs npm)" >&2; exit 1; }
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "browser-e2e: chromium is required (apt-get install chromium)" >&2; exit 1; }
if [ ! -d "$out/node_modules/playwright-core" ]; then
  echo "browser-e2e: installing playwright-core"
  (cd "$out" && npm install --no-save --no-audit --no-fund --loglevel=error playwright-core@1.65.2)
fi

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
work=$(mktemp -d)
# Behind a reverse proxy at /curator/ that strips the prefix
# (scripts/prefix-proxy.mjs), as nginx and Traefik are set up in the README.
prefix=/curator
CURATOR_SERVE_TOKEN="$token" CURATOR_BASE_PATH="$prefix" \
  "$curator" demo --serve --require-approval --listen 127.0.0.1:0 \
  >"$work/serve.log" 2>&1 &
server=$!
proxy=""
cleanup() {
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  if [ -n "$proxy" ]; then kill "$proxy" 2>/dev/null || true; wait "$proxy" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 600); do
  grep -q "serving on " "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "browser-e2e: the demo ended early" >&2; exit 1; }
  sleep 0.1
done
direct=$(sed -n 's/.*serving on \(http:[^ ]*\).*/\1/p' "$work/serve.log" | head -n1)
[ -n "$direct" ] || { echo "browser-e2e: no address in the output" >&2; exit 1; }
node scripts/prefix-proxy.mjs "$direct" "$prefix" >"$work/proxy.log" 2>&1 &
proxy=$!
for _ in $(seq 1 100); do
  grep -q "proxy on " "$work/proxy.log" && break
  kill -0 "$proxy" 2>/dev/null || { cat "$work/proxy.log" >&2; echo "browser-e2e: the proxy ended early" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^proxy on \(http:[^ ]*\)$/\1/p' "$work/proxy.log")$prefix/"

# Node resolves playwright-core from the script's directory upwards: link
# the installed one beside a copy of the script.
cp scripts/browser-e2e.mjs "$out/browser-e2e.mjs"
CHROMIUM="$chromium" node "$out/browser-e2e.mjs" "$url" "$token" "$out" \
  || { tail -n 40 "$work/serve.log" >&2; exit 1; }
if grep -q "$token" "$work/serve.log"; then
  echo "browser-e2e: the server printed the token" >&2
  exit 1
fi
