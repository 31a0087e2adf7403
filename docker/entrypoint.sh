#!/bin/sh
# Starts curator as PUID:PGID (default 10001:10001) with UMASK (default
# 022), as linuxserver.io images take them: as root it makes /data that
# user's and drops to it; started as another user already (compose
# `user:`), it runs curator as that user.
set -eu
umask "${UMASK:-022}"
if [ "$(id -u)" = 0 ]; then
  uid=${PUID:-10001}
  gid=${PGID:-10001}
  case "$uid$gid" in
    *[!0-9]*) echo "PUID and PGID must be numbers (got PUID=$uid PGID=$gid)" >&2; exit 2 ;;
  esac
  # The data directory (state, queue) must be writable by that user.
  if [ "$(stat -c %u:%g /data)" != "$uid:$gid" ]; then
    chown -R "$uid:$gid" /data
  fi
  export HOME=/data
  exec setpriv --reuid="$uid" --regid="$gid" --clear-groups curator "$@"
fi
exec curator "$@"
