# shellcheck shell=bash
# CRIU 4.2.1 built from Debian's source tarball into /opt/criu. Source after common.sh + packages.sh.
# Why 4.2.1 from source: bookworm's criu 3.17.1 fails `criu check` on this kernel (vDSO), 4.1.1 cannot
# dump TCP sockets on Linux >= 6.16; 4.2.1 works unmodified, and its orig tarball is in Debian's
# archive (sid's source package). We never install sid *binary* packages (newer libc).

CRIU_VERSION=4.2.1
CRIU_TARBALL_URL="http://deb.debian.org/debian/pool/main/c/criu/criu_${CRIU_VERSION}.orig.tar.xz"
CRIU_TARBALL_SHA256=29ec0ee09e296479fe7048c80980e8ef1d0684d0b0204c2b101dfea19f6725b9
CRIU_BUILD_DEPS=(build-essential pkg-config libprotobuf-c-dev protobuf-c-compiler libprotobuf-dev
  protobuf-compiler libnl-3-dev libnet1-dev libcap-dev libbsd-dev libgnutls28-dev libnftables-dev
  uuid-dev python3 xz-utils curl ca-certificates)

criu_installed_version() {
  [ -x "$CRIU_BIN" ] || return 0
  "$CRIU_BIN" --version 2>/dev/null | awk '/^Version:/ { print $2 }'
}

fetch_criu_tarball() {
  local dest="$1"
  if [ -f "$dest" ] && echo "$CRIU_TARBALL_SHA256  $dest" | sha256sum -c --quiet - 2>/dev/null; then
    log "criu: using cached $dest"
    return 0
  fi
  log "criu: downloading $CRIU_TARBALL_URL"
  curl -fsSL --retry 3 -o "$dest.partial" "$CRIU_TARBALL_URL" \
    || die "criu: download of $CRIU_TARBALL_URL failed"
  echo "$CRIU_TARBALL_SHA256  $dest.partial" | sha256sum -c --quiet - \
    || die "criu: sha256 mismatch for $CRIU_TARBALL_URL (expected $CRIU_TARBALL_SHA256)"
  mv "$dest.partial" "$dest"
}

ensure_criu() {
  if [ "$(criu_installed_version)" = "$CRIU_VERSION" ]; then
    log "criu: $CRIU_BIN is $CRIU_VERSION"
  else
    ensure_packages "criu build deps" "${CRIU_BUILD_DEPS[@]}"
    mkdir -p "$MEDES_CACHE"
    local tarball="$MEDES_CACHE/criu_${CRIU_VERSION}.orig.tar.xz"
    fetch_criu_tarball "$tarball"
    local build
    build="$(mktemp -d /var/tmp/medes-criu-build.XXXXXX)"
    tar -C "$build" -xf "$tarball"
    local src="$build/criu-$CRIU_VERSION"
    [ -d "$src" ] || die "criu: tarball did not contain criu-$CRIU_VERSION/"
    log "criu: building $CRIU_VERSION (log $build/build.log, ~30-60 s)"
    if ! (make -C "$src" -j"$(nproc)" PREFIX="$CRIU_PREFIX" criu \
          && make -C "$src" PREFIX="$CRIU_PREFIX" install-criu) >"$build/build.log" 2>&1; then
      tail -n 30 "$build/build.log" >&2
      die "criu: build failed; full log in $build/build.log"
    fi
    rm -rf "$build"
    [ "$(criu_installed_version)" = "$CRIU_VERSION" ] \
      || die "criu: $CRIU_BIN does not report version $CRIU_VERSION after install"
    log "criu: installed $CRIU_VERSION into $CRIU_PREFIX"
  fi
  local check
  check="$("$CRIU_BIN" check 2>&1 || true)"
  if ! grep -q "Looks good" <<<"$check"; then
    printf '%s\n' "$check" >&2
    die "criu: '$CRIU_BIN check' did not say 'Looks good' (kernel lacks a CRIU feature?)"
  fi
  log "criu: check says Looks good"
}
