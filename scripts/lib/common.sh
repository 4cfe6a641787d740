# shellcheck shell=bash disable=SC2034  # variables here are used by the scripts that source this file
# Shared helpers for scripts/setup and scripts/test. Source, do not execute.
# Every message is prefixed with the calling script's tag so interleaved logs stay readable.

MEDES_LOG_TAG="${MEDES_LOG_TAG:-setup}"

log() { printf '[%s] %s\n' "$MEDES_LOG_TAG" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$MEDES_LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$MEDES_LOG_TAG" "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (installs packages, starts dockerd, runs CRIU)"
}

# Absolute paths on purpose: PATH may hold a pyenv shim (python3) or a newer Docker client.
HOST_PYTHON=/usr/bin/python3
DEBIAN_DOCKER=/usr/bin/docker
# The three knobs below exist so a cold setup can be rehearsed next to a working one
# (see docs/setup.md); the defaults are what every other part of the project expects.
CRIU_PREFIX="${MEDES_CRIU_PREFIX:-/opt/criu}"
CRIU_BIN="$CRIU_PREFIX/sbin/criu"
MEDES_CACHE="${MEDES_CACHE_DIR:-/var/cache/medes}"
MEDES_IMAGE_PREFIX="${MEDES_IMAGE_PREFIX:-medes}"
