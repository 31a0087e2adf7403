# syntax=docker/dockerfile:1
# curator as a service: `curator serve` with /config and /data volumes.
#
#   docker build -t curator .        (podman: add --format docker, or the
#                                      HEALTHCHECK is dropped)
#   docker run -d -p 7979:7979 -v ./config:/config -v curator-data:/data \
#     -e CURATOR_SERVE_TOKEN=... -e PUID=1000 -e PGID=1000 \
#     --stop-timeout 90 curator
#
# Stop timeout: on SIGTERM curator lets the running job finish for
# serve.shutdown_grace_seconds (60) and open connections 10 s, so give it
# more than that (`--stop-timeout 90`, compose `stop_grace_period: 90s`);
# Docker's default is 10 s.

# Build stage: the release binary (rustls, no OpenSSL, so nothing to link
# beyond glibc). The registry and target directory are cache mounts, so a
# source change rebuilds curator's crates, not the ~270 dependencies.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates crates
COPY examples examples
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p curator-cli \
    && cp target/release/curator /curator \
    && strip /curator

# Runtime: Debian slim with CA certificates and time zones (schedules use
# the local time: set TZ). It starts as root only to make /data and
# /config the PUID's and drop to PUID:PGID (default 10001:10001); `user:`
# works too, as /data and /config are writable by any user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 curator \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin curator \
    && mkdir -p /config /data \
    && chown 10001:10001 /config /data \
    && chmod 1777 /config /data
COPY --from=build /curator /usr/local/bin/curator
COPY docker/entrypoint.sh /usr/local/bin/curator-entrypoint
ENV CURATOR_CONFIG=/config/config.yaml \
    CURATOR_DATA_DIR=/data \
    CURATOR_LISTEN=0.0.0.0:7979 \
    PUID=10001 \
    PGID=10001 \
    UMASK=022
VOLUME ["/config", "/data"]
EXPOSE 7979
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["curator", "healthcheck"]
ENTRYPOINT ["curator-entrypoint"]
CMD ["serve"]
