#!/usr/bin/env bash
# Loads `curator serve`'s page, on the demo's data, in headless Chromium and
# checks that it shows the demo's run, the collections and the points book,
# and that the browser logged no console message (the page has no script,
# so any console message is a problem: a failed resource, a blocked style).
#
# Usage: scripts/browser-check.sh [path/to/curator]
#   (default: debug/curator in cargo's target directory, which honours
#   $CARGO_TARGET_DIR and build.target-dir)
# Installs Debian's chromium with apt-get when it is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir() {
  local dir
  dir=$(cargo metadata --format-version 1 --no-deps 2>/dev/null \
    | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
  echo "${dir:-${CARGO_TARGET_DIR:-target}}"
}
curator=${1:-$(target_dir)/debug/curator}
[ -x "$curator" ] || { echo "browser-check: $curator is not built (cargo build -p curator-cli)" >&2; exit 1; }

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-check: installing chromium"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    chromium=$(command -v chromium)
  else
    echo "browser-check: chromium is required (apt-get install chromium)" >&2
    exit 1
  fi
fi

headless() {
  local profile=$1
  shift
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/$profile" --enable-logging=stderr --log-level=0 "$@"
}

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "browser-check: $*" >&2
  echo "--- curator output" >&2; cat "$work/serve.log" >&2 || true
  exit 1
}

"$curator" demo --serve --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!

# The address and the demo job's id, from the server's first lines.
for _ in $(seq 1 600); do
  grep -q "demo run queued as job" "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || fail "curator demo --serve ended early"
  sleep 0.1
done
url=$(sed -n 's/.*serving on \(http:[^ ]*\).*/\1/p' "$work/serve.log" | head -n1)
job=$(sed -n 's/.*demo run queued as job \([0-9-]*\).*/\1/p' "$work/serve.log" | head -n1)
[ -n "$url" ] && [ -n "$job" ] || fail "no address or job id in the output"

# The console check can fail: a page that logs an error is caught.
headless probe --dump-dom 'data:text/html,<p>probe</p><script>console.error("probe-error")</script>' \
  >/dev/null 2>"$work/probe.log" || true
grep -q ':CONSOLE' "$work/probe.log" || fail "this chromium does not log console messages; the check would see nothing"

# The server answers once the job is done (or after 3 minutes).
state=$(headless wait --dump-dom "${url}api/jobs/${job}?wait=180" 2>/dev/null || true)
case "$state" in
  *'"state":"done"'*) ;;
  *) fail "the demo job did not finish: $state" ;;
esac

# A phone-sized window.
headless page --window-size=390,844 --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium.log" \
  || fail "chromium failed: $(tail -n 20 "$work/chromium.log")"

for want in "<h2>Last runs</h2>" "watched " "✓ Recently watched recommendations" \
            "Based on your recently watched movie" "Change of Taste" \
            "Inspired by your Immaculate Taste" "Points book" "<li>"; do
  grep -qF "$want" "$work/dom.html" || fail "the page lacks \"$want\""
done
if grep -E ':CONSOLE|Uncaught' "$work/chromium.log"; then
  fail "the browser logged console messages (above)"
fi
echo "browser-check: the page shows the demo run; no console messages ($(wc -c <"$work/dom.html") bytes of DOM)"
