#!/bin/sh
# Tautulli runs only scripts, so this wrapper hands the Watched notification
# to curator and returns at once (Tautulli stops scripts after 30 seconds;
# the run itself goes on in the background, see data/logs/).
#
# Arguments (Settings > Notification Agents > Script > Arguments > Watched):
#   "{title}" {media_type} --year {year} --tmdb-id {themoviedb_id} --rating-key {rating_key} --user {username}
#
# Edit the three paths below if curator, its config or its data live elsewhere.
CURATOR_BIN="${CURATOR_BIN:-curator}"
export CURATOR_CONFIG="${CURATOR_CONFIG:-$(dirname "$0")/config/config.yaml}"
export CURATOR_DATA_DIR="${CURATOR_DATA_DIR:-$(dirname "$0")/data}"

exec "$CURATOR_BIN" run "$@" --detach
