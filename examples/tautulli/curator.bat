@echo off
rem Tautulli runs only scripts, so this wrapper hands the Watched notification
rem to curator and returns at once (Tautulli stops scripts after 30 seconds;
rem the run itself goes on in the background, see data\logs\).
rem
rem Arguments (Settings > Notification Agents > Script > Arguments > Watched):
rem   "{title}" {media_type} --user {username} <movie>--year {year} --tmdb-id {themoviedb_id} --rating-key {rating_key}</movie><episode>--show "{show_name}" --year {show_year} --tvdb-id {thetvdb_id} --tmdb-id {themoviedb_id} --rating-key {grandparent_rating_key}</episode>
rem
rem Edit the three paths below if curator, its config or its data live elsewhere.
setlocal
if not defined CURATOR_BIN set "CURATOR_BIN=%~dp0curator.exe"
if not defined CURATOR_CONFIG set "CURATOR_CONFIG=%~dp0config\config.yaml"
if not defined CURATOR_DATA_DIR set "CURATOR_DATA_DIR=%~dp0data"
"%CURATOR_BIN%" run %* --detach
exit /b %ERRORLEVEL%
