# curator as a service: `curator serve` with /config and /data volumes.
#
#   docker build -t curator .
#   docker run -d -p 7979:7979 -v ./config:/config -v curator-data:/data \
#     -e CURATOR_SERVE_TOKEN=... --stop-timeout 90 curator
#
# Build stage: the release binary (rustls, no OpenSSL, so nothing to link
# beyond glibc).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p curator-cli \
    && strip target/release/curator

# Runtime: Debian slim with CA certificates and time zones (schedules use
# the local time: set TZ), a non-root user, two volumes.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin curator \
    && mkdir -p /config /data \
    && chown curator:curator /config /data
COPY --from=build /src/target/release/curator /usr/local/bin/curator
ENV CURATOR_CONFIG=/config/config.yaml \
    CURATOR_DATA_DIR=/data \
    CURATOR_LISTEN=0.0.0.0:7979
USER curator
VOLUME ["/config", "/data"]
EXPOSE 7979
ENTRYPOINT ["curator"]
CMD ["serve"]
