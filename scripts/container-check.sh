#!/usr/bin/env bash
# Builds curator's image from the Dockerfile with podman and checks that it
# works as the README says:
#   - the image builds (HEALTHCHECK kept: podman builds with --format docker);
#   - `.dockerignore` keeps config.yaml, .env, .real-llm/, target/, data/ and
#     a compose folder's config out of the build context;
#   - the container starts and `curator healthcheck` and GET /healthz answer,
#     running as 10001:10001 by default;
#   - with -e PUID=1234 -e PGID=1234 and a root-owned bind-mounted /data the
#     service starts as 1234:1234 and the files in /data are 1234's;
#   - with --user 5555:5555 and a named volume at /data it starts and writes;
#   - a job queued through the token-protected API (POST /api/runs) is still
#     there after `podman kill` and a restart, and runs again;
#   - after a change to one source file the second build does not rebuild
#     the dependencies (both build times are printed).
#
# Without Docker Hub the base images are made here, once, and kept in
# podman's storage under the names the Dockerfile uses:
#   docker.io/library/debian:bookworm-slim  debootstrap --variant=minbase
#   docker.io/library/rust:1-bookworm       the same plus gcc and libc6-dev,
#                                           this machine's Rust toolchain
#                                           (`rustup which cargo`) and its
#                                           CA bundle (for a TLS proxy)
# Delete them (`podman rmi ...`) to have them made again; with Docker Hub
# reachable, `podman pull` them instead.
#
# Run as root (debootstrap, and podman's bridge network): sudo
# scripts/container-check.sh. Cold (no base images, no cargo cache) it takes
# about as long as a release build of curator; see README "In a container".
# CURATOR_CONTAINER_CACHE (default ~/.cache/curator-container) holds the
# debootstrap package cache, the build context copy and, where podman needs
# it, a containers.conf. The image is left as localhost/curator:check.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${CURATOR_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/curator-container}
image=localhost/curator:check
slim=docker.io/library/debian:bookworm-slim
rust=docker.io/library/rust:1-bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
name=curator-check

step() { printf '\n=== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 \
    || fail "$1 is needed: $2"
}

need podman "apt-get install podman runc uidmap slirp4netns fuse-overlayfs (Debian)"
need curl "apt-get install curl"
need python3 "apt-get install python3"
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and podman's bridge network need it)"

mkdir -p "$cache"
work=$(mktemp -d "$cache/run.XXXXXX")
hang_pid=
cleanup() {
  for c in "$name-default" "$name-puid" "$name-user" "$name-listing"; do
    podman rm -f -t 0 "$c" >/dev/null 2>&1 || true
  done
  podman volume rm -f "$name-data" >/dev/null 2>&1 || true
  podman rmi -f localhost/curator-check-listing >/dev/null 2>&1 || true
  [ -z "$hang_pid" ] || kill "$hang_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- base images -----------------------------------------------------------

# debootstrap DIR [PACKAGES]: a minimal Debian bookworm in DIR.
rootfs() {
  need debootstrap "apt-get install debootstrap (or podman pull $slim and $rust)"
  mkdir -p "$cache/debs"
  nice -n 10 debootstrap --variant=minbase ${2:+--include="$2"} \
    --cache-dir="$cache/debs" bookworm "$1" "$mirror" >"$1.log" 2>&1 \
    || fail "debootstrap $1 (see $1.log)"
}

# import DIR IMAGE [--change ...]: DIR as the image IMAGE.
import() {
  local dir=$1 tag=$2
  shift 2
  tar -C "$dir" --exclude='./var/cache/apt/archives/*.deb' -c . \
    | podman import --quiet "$@" - "$tag" >/dev/null
}

step "base images"
if podman image exists "$slim"; then
  ok "$slim is there"
else
  rootfs "$work/slim"
  import "$work/slim" "$slim"
  rm -rf "$work/slim"
  ok "$slim made with debootstrap"
fi
if podman image exists "$rust"; then
  ok "$rust is there"
else
  need rustup "install Rust with rustup (its toolchain goes into the image)"
  toolchain=$(dirname "$(dirname "$(rustup which cargo)")")
  rootfs "$work/rust" gcc,libc6-dev,ca-certificates
  mkdir -p "$work/rust/usr/local/rust" "$work/rust/usr/local/cargo/bin"
  tar -C "$toolchain" --exclude=./share/doc -c . | tar -C "$work/rust/usr/local/rust" -x
  # This machine's CA bundle, so cargo works behind a TLS-inspecting proxy.
  cp /etc/ssl/certs/ca-certificates.crt "$work/rust/etc/ssl/certs/ca-certificates.crt"
  import "$work/rust" "$rust" \
    --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV CARGO_HOME=/usr/local/cargo'
  rm -rf "$work/rust"
  ok "$rust made with debootstrap and $("$toolchain/bin/rustc" --version)"
fi

# Some sandboxes give podman no cgroup controllers and no CAP_SYS_RESOURCE:
# runc then cannot set podman's default rlimits. Only there, a
# containers.conf with limits the process may set.
if ! podman run --rm --pull=never "$slim" true >/dev/null 2>"$work/probe.err"; then
  cat >"$cache/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Sn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  export CONTAINERS_CONF="$cache/containers.conf"
  mv "$work/probe.err" "$work/probe-default.err"
  podman run --rm --pull=never "$slim" true >/dev/null 2>"$work/probe.err" \
    || fail "podman cannot run a container: $(cat "$work/probe.err")"
  ok "podman runs containers with $CONTAINERS_CONF (by default: $(grep -o 'error setting rlimit[^:]*' "$work/probe-default.err" | head -1 || head -c 200 "$work/probe-default.err"))"
else
  ok "podman runs containers"
fi

# --- the build context -----------------------------------------------------

# A copy of the sources git knows (tracked and new, mtimes kept, so cargo's
# cache stays fresh across runs), plus what must never enter the context.
step "build context (with files .dockerignore must keep out)"
ctx="$cache/context"
rm -rf "$ctx"
mkdir -p "$ctx"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) \
  | (cd "$repo" && tar --null -T - -c) | tar -C "$ctx" -x
secrets=(config.yaml .env .real-llm/model.gguf target/release/curator data/queue/pending/x.json
  config/config.yaml examples/curator/config.yaml examples/.env crates/curator-cli/target/x)
for f in "${secrets[@]}"; do
  mkdir -p "$ctx/$(dirname "$f")"
  echo "SECRET-SENTINEL" >"$ctx/$f"
done

# The context as a build sees it: COPY . of the same folder (same
# .dockerignore), listed.
printf 'FROM %s\nCOPY . /context\n' "$slim" >"$work/Listing"
podman build -q --pull=never -f "$work/Listing" -t localhost/curator-check-listing "$ctx" >/dev/null
podman run --rm --name "$name-listing" localhost/curator-check-listing \
  find /context -type f >"$work/context.txt"
for f in "${secrets[@]}"; do
  if grep -qx "/context/$f" "$work/context.txt"; then
    fail "$f is in the build context"
  fi
done
for f in Cargo.toml Cargo.lock crates/curator-cli/Cargo.toml docker/entrypoint.sh examples/config.example.yaml; do
  grep -qx "/context/$f" "$work/context.txt" || fail "$f is not in the build context"
done
ok "context: $(wc -l <"$work/context.txt") files, none of: ${secrets[*]}"

# --- build ---------------------------------------------------------------

build() {
  nice -n 10 podman build --pull=never --format docker -t "$image" "$ctx" >"$work/build.log" 2>&1 \
    || {
      tail -40 "$work/build.log" >&2
      fail "podman build"
    }
}

step "build"
start=$(date +%s)
build
first=$(($(date +%s) - start))
ok "image built in ${first}s ($(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1/1e6}'))"
podman image inspect "$image" --format '{{json .Config.Healthcheck}}' | grep -q healthcheck \
  || fail "the image has no HEALTHCHECK"
ok "HEALTHCHECK: $(podman image inspect "$image" --format '{{json .Config.Healthcheck.Test}}')"

step "a second build after one source file changed"
echo "// container-check $(date +%s)" >>"$ctx/crates/curator-cli/src/main.rs"
start=$(date +%s)
build
second=$(($(date +%s) - start))
compiled=$(grep -c '^ *Compiling ' "$work/build.log" || true)
grep '^ *Compiling ' "$work/build.log" | sed 's/^ */   /' || true
[ "$compiled" -le 3 ] || fail "the second build compiled $compiled crates"
ok "second build ${second}s, $compiled crate(s) compiled (first build ${first}s)"

# --- run -----------------------------------------------------------------

token=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A "Plex" that accepts connections and never answers, so a queued job is
# still running when the container is killed.
hang_port=$(free_port)
python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(64)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
' "$hang_port" &
hang_pid=$!

mkdir -p "$work/config"
cat >"$work/config/config.yaml" <<EOF
plex:
  url: "http://host.containers.internal:$hang_port"
  token: "not-a-real-plex-token"
  movie_library_name: "Movies"
tmdb:
  api_key: "0123456789abcdef0123456789abcdef"
radarr:
  url: "http://host.containers.internal:$hang_port"
  root_folder: "/movies"
  api_key: "not-a-real-radarr-key"
EOF
chmod 644 "$work/config/config.yaml"

# run NAME PORT ARGS...: starts the image detached, with the config
# read-only at /config unless ARGS mount one.
run() {
  local c=$1 port=$2
  shift 2
  # (Without systemd podman says it cannot schedule the HEALTHCHECK;
  # `podman healthcheck run` below runs it by hand.)
  local config=(-v "$work/config:/config:ro")
  [[ " $* " != *":/config "* ]] || config=()
  podman run -d --name "$c" -p "127.0.0.1:$port:7979" \
    "${config[@]}" -e CURATOR_SERVE_TOKEN="$token" "$@" "$image" \
    >/dev/null 2>"$work/run.err" || fail "podman run $c: $(cat "$work/run.err")"
}

# remove NAME: the container gone (podman's complaints about systemd
# timers for the HEALTHCHECK are not shown).
remove() { podman rm -f -t 0 "$1" >/dev/null 2>&1 || fail "podman rm $1"; }

# healthy NAME PORT: waits up to 60 s for `curator healthcheck` inside and
# GET /healthz from outside.
healthy() {
  local c=$1 port=$2
  for _ in $(seq 60); do
    if [ "$(podman exec "$c" curator healthcheck 2>/dev/null)" = ok ] \
      && curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      return 0
    fi
    [ "$(podman inspect "$c" --format '{{.State.Running}}')" = true ] || break
    sleep 1
  done
  podman logs "$c" >&2 || true
  fail "$c did not become healthy"
}

# ids NAME: "UID GID" of the container's main process.
ids() {
  podman exec "$1" sh -c "awk '/^Uid:/{u=\$2} /^Gid:/{g=\$2} END{print u, g}' /proc/1/status"
}

step "default: healthcheck, /healthz, running as 10001:10001"
port=$(free_port)
run "$name-default" "$port"
healthy "$name-default" "$port"
ok "curator healthcheck: $(podman exec "$name-default" curator healthcheck)"
ok "GET /healthz: $(curl -fsS "http://127.0.0.1:$port/healthz" | head -c 200)"
[ "$(ids "$name-default")" = "10001 10001" ] || fail "runs as $(ids "$name-default"), not 10001 10001"
ok "runs as $(ids "$name-default")"
if podman healthcheck run "$name-default" >"$work/hc.txt" 2>&1; then
  ok "podman healthcheck run: healthy"
else
  echo "   (podman healthcheck run: $(head -c 300 "$work/hc.txt"))"
fi
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/jobs")
[ "$status" = 401 ] || fail "GET /api/jobs without the token answered $status, not 401"
ok "GET /api/jobs without the token: 401"
remove "$name-default"

step "curator init into a root-owned bind-mounted /config, PUID=1234"
# What `docker compose run --rm curator init /config/config.yaml` does on a
# ./curator that compose created (as root).
mkdir -p "$work/init"
chmod 755 "$work/init"
podman run --rm -e PUID=1234 -e PGID=1234 -v "$work/init:/config" "$image" \
  init /config/config.yaml >"$work/init.txt" 2>&1 || fail "curator init: $(grep -v systemd "$work/init.txt")"
[ "$(stat -c %u:%g "$work/init/config.yaml")" = 1234:1234 ] \
  || fail "config.yaml is $(stat -c %u:%g "$work/init/config.yaml")'s, not 1234:1234"
ok "$(grep -v systemd "$work/init.txt" | head -1) ($(stat -c '%u:%g %a' "$work/init/config.yaml"))"

step "PUID=1234 PGID=1234 with root-owned bind-mounted /data and /config (config.yaml 600)"
mkdir -p "$work/data" "$work/config-root"
chmod 755 "$work/data"
chmod 700 "$work/config-root"
install -m 600 "$work/config/config.yaml" "$work/config-root/config.yaml"
port=$(free_port)
run "$name-puid" "$port" -e PUID=1234 -e PGID=1234 -v "$work/data:/data" -v "$work/config-root:/config"
healthy "$name-puid" "$port"
[ "$(ids "$name-puid")" = "1234 1234" ] || fail "runs as $(ids "$name-puid"), not 1234 1234"
ok "runs as $(ids "$name-puid")"
[ -n "$(ls -A "$work/data")" ] || fail "nothing was written to /data"
others=$(find "$work/data" ! \( -uid 1234 -gid 1234 \) -printf '%p %u:%g\n')
[ -z "$others" ] || fail "files in /data not owned by 1234:1234: $others"
ok "/data on the host: $(find "$work/data" -printf '%P(%u:%g) ' | head -c 400)"

step "a job queued through the API survives podman kill and a restart"
auth=(-H "Authorization: Bearer $token")
answer=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"title": "Heat", "year": "1995", "media_type": "movie"}' \
  "http://127.0.0.1:$port/api/runs")
echo "   POST /api/runs: $answer"
id=$(printf '%s' "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"])')
curl -fsS "${auth[@]}" "http://127.0.0.1:$port/api/jobs" >"$work/jobs.json"
grep -q "$id" "$work/jobs.json" || fail "job $id is not listed: $(cat "$work/jobs.json")"
ok "job $id listed before the kill"
ls -R "$work/data/queue" | sed 's/^/   /'
podman kill "$name-puid" >/dev/null 2>"$work/run.err" || fail "podman kill: $(cat "$work/run.err")"
podman wait "$name-puid" >/dev/null 2>&1 || true
podman start "$name-puid" >/dev/null 2>"$work/run.err" || fail "podman start: $(cat "$work/run.err")"
healthy "$name-puid" "$port"
curl -fsS "${auth[@]}" "http://127.0.0.1:$port/api/jobs" >"$work/jobs.json"
python3 - "$id" "$work/jobs.json" <<'EOF' || fail "job $id after the restart: $(cat "$work/jobs.json")"
import json, sys
job, jobs = sys.argv[1], json.load(open(sys.argv[2]))
found = [(where, j) for where in ("running", "pending", "done")
         for j in ([jobs[where]] if where == "running" else jobs[where])
         if j and j.get("id") == job]
assert found, "not listed"
where, j = found[0]
# Plex never answers, so the job cannot have finished: it runs again.
assert where in ("running", "pending"), f"{where}, not running or pending"
print(f"   after the restart: {where}: {json.dumps(j)[:300]}")
EOF
ok "job $id still queued after kill + restart, and running again"
remove "$name-puid"

step "--user 5555:5555 with a named volume at /data"
podman volume create "$name-data" >/dev/null
port=$(free_port)
run "$name-user" "$port" --user 5555:5555 -v "$name-data:/data"
healthy "$name-user" "$port"
[ "$(ids "$name-user")" = "5555 5555" ] || fail "runs as $(ids "$name-user"), not 5555 5555"
podman exec "$name-user" sh -c 'touch /data/written && find /data -maxdepth 2 -printf "%p(%u:%g) "' >"$work/user.txt" \
  || fail "cannot write /data as 5555"
ok "runs as 5555 5555; /data: $(head -c 400 "$work/user.txt")"
remove "$name-user"

step "summary"
echo "first build ${first}s, second build after a one-file change ${second}s ($compiled crate(s) compiled)"
echo "container check passed in ${SECONDS}s (image $image)"
