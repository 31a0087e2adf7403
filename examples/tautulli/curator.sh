#!/bin/sh
# Tautulli runs only scripts, so this wrapper hands the Watched notification
# to curator and returns at once (Tautulli stops scripts after 30 seconds;
# the run itself goes on in the background, see data/logs/).
#
# Arguments (Settings > Notification Agents > Script > Arguments > Watched):
#   "{title}" {media_type} --user {username} <movie>--year {year} --tmdb-id {themoviedb_id} --rating-key {rating_key}</movie><episode>--show "{show_name}" --year {show_year} --tvdb-id {thetvdb_id} --tmdb-id {themoviedb_id} --rating-key {grandparent_rating_key}</episode>
#
# Edit the three paths below if curator, its config or its data live elsewhere.
CURATOR_BIN="${CURATOR_BIN:-curator}"
export CURATOR_CONFIG="${CURATOR_CONFIG:-$(dirname "$0")/config/config.yaml}"
export CURATOR_DATA_DIR="${CURATOR_DATA_DIR:-$(dirname "$0")/data}"

exec "$CURATOR_BIN" run "$@" --detach
