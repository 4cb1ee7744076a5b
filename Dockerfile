# dex-mcp as a container: MCP over Streamable HTTP on port 8080.
# See docs/container.md for how to run it and what each choice is for.
#
#   podman build -t dex-mcp .
#   podman run -p 8080:8080 -e DEX_MCP_HTTP_TOKEN=... -e DEX_API_KEY=... \
#       -v dex-mcp-state:/var/lib/dex-mcp/state dex-mcp

# Where the runtime stage takes /out (the binary and the component) from:
# the `build` stage below, or an image holding an /out built elsewhere
# (`--build-arg ARTIFACTS=<image>`; the end-to-end test uses the binary its
# own run built, see tests/tests/container.rs).
ARG ARTIFACTS=build
# The Debian images both stages start from (the test builds its own from
# Debian's archive with debootstrap when it cannot pull).
ARG DEBIAN=docker.io/library/debian

# The build: the toolchain recipe of docs/toolchain.md (Debian's Rust, the
# standard library built for wasm32 from Debian's sources, wasm-ld, wasi-libc),
# plus gcc, which links the host and compiles wasmtime's few C helpers.
FROM ${DEBIAN}:bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        rustc-web cargo-web rust-web-src lld-22 wasi-libc \
        gcc libc6-dev ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Debian's cargo builds both the component (`cargo xtask guest`, which runs
# the same cargo for wasm32) and the server. The target directory and
# crates.io's downloads are cache mounts, so a rebuild after an edit reuses
# them; what the image needs is copied out of the cache into /out.
RUN --mount=type=cache,target=/root/.cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo xtask guest \
    && cargo build --release --locked --package dex-mcp \
    && install -D --strip target/release/dex-mcp /out/usr/local/bin/dex-mcp \
    && install -D --mode 0644 target/components/dex_guest.wasm \
        /out/usr/local/share/dex-mcp/dex_guest.wasm

# What runs: a user of its own, its settings and its volume. The binary and
# the component are copied in by the two stages after it.
FROM ${DEBIAN}:bookworm-slim AS runtime-base
RUN useradd --system --user-group --uid 10001 --home-dir /var/lib/dex-mcp \
        --shell /usr/sbin/nologin dex-mcp \
    && install -d --owner dex-mcp --group dex-mcp --mode 0700 \
        /var/lib/dex-mcp /var/lib/dex-mcp/state /var/cache/dex-mcp
# Everything the server reads from its environment. The listener is on every
# interface, so the server refuses to start without DEX_MCP_HTTP_TOKEN; it
# is given at `run` time, never baked in.
ENV DEX_MCP_TRANSPORT=http \
    DEX_MCP_LISTEN=0.0.0.0:8080 \
    DEX_MCP_COMPONENT=/usr/local/share/dex-mcp/dex_guest.wasm \
    DEX_MCP_STATE_DIR=/var/lib/dex-mcp/state \
    DEX_MCP_COMPILE_CACHE_DIR=/var/cache/dex-mcp
# The account's snapshot, so that a new container need not read the whole
# account from Dex again.
VOLUME ["/var/lib/dex-mcp/state"]
USER dex-mcp
WORKDIR /var/lib/dex-mcp
EXPOSE 8080
# Probes: GET /healthz answers 200 without the token once tools can be called.
ENTRYPOINT ["/usr/local/bin/dex-mcp"]

# `--target prebuilt`: the binary and component of an image built elsewhere.
# Not one stage whose FROM names either `build` or that image through an
# ARG: podman build (buildah) picks the stages to build before it expands
# ARGs, so such a stage left `build` unbuilt ("build: image not known").
FROM ${ARTIFACTS} AS prebuilt-artifacts
FROM runtime-base AS prebuilt
COPY --from=prebuilt-artifacts /out/ /

# The default target, last: the build stage's binary and component.
FROM runtime-base AS runtime
COPY --from=build /out/ /
