#!/bin/sh
# Starts curator as PUID:PGID (default 10001:10001) with UMASK (default
# 022), as linuxserver.io images take them: as root it makes /data and
# /config that user's and drops to it; started as another user already (compose
# `user:`), it runs curator as that user.
set -eu
umask "${UMASK:-022}"
if [ "$(id -u)" = 0 ]; then
  uid=${PUID:-10001}
  gid=${PGID:-10001}
  case "$uid$gid" in
    *[!0-9]*) echo "PUID and PGID must be numbers (got PUID=$uid PGID=$gid)" >&2; exit 2 ;;
  esac
  own() { [ "$(stat -c %u:%g "$1")" = "$uid:$gid" ] || chown -R "$uid:$gid" "$1"; }
  # The data directory (state, queue) must be writable by that user.
  own /data
  # /config too, as linuxserver.io images make theirs: a folder compose
  # created as root, a root-owned config.yaml, `curator init` writing
  # there. A read-only /config (`:ro`) is left as it is.
  own /config 2>/dev/null || true
  export HOME=/data
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups curator "$@"
fi
exec curator "$@"
