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
# Where CRIU caches what it learnt about the kernel (criu.kdat). CRIU keeps the cache only on a tmpfs;
# without it every dump and restore re-probes the kernel, about 45-65 ms of a 100 ms restore here
# (docs/results/restore-path.md). Upstream's default is /run, which is not a tmpfs on every host (it is not
# on ours), so we build with a directory of our own and make sure it is a tmpfs (ensure_criu_rundir).
CRIU_RUNDIR=/run/criu
# Everything that changes the binary beyond the version: a different key rebuilds.
CRIU_BUILD_KEY="$CRIU_VERSION RUNDIR=$CRIU_RUNDIR"
CRIU_BUILD_MARKER="$CRIU_PREFIX/.medes-build"

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

criu_installed_build() {
  [ "$(criu_installed_version)" = "$CRIU_VERSION" ] && [ -f "$CRIU_BUILD_MARKER" ] && cat "$CRIU_BUILD_MARKER"
}

# A root-only tmpfs directory for CRIU's kernel-feature cache. A stale criu.kdat.tmp (a CRIU killed while
# writing it) would stop CRIU from ever writing the cache again (it creates the file with O_EXCL).
ensure_criu_rundir() {
  mkdir -p "$CRIU_RUNDIR"
  if [ "$(stat -f -c %T "$CRIU_RUNDIR")" != tmpfs ]; then
    mount -t tmpfs -o size=4m,mode=0700 medes-criu "$CRIU_RUNDIR" \
      || die "criu: cannot mount a tmpfs on $CRIU_RUNDIR for CRIU's kdat cache"
    log "criu: mounted a tmpfs on $CRIU_RUNDIR (kdat cache)"
  fi
  chmod 0700 "$CRIU_RUNDIR"
  rm -f "$CRIU_RUNDIR/criu.kdat.tmp"
}

ensure_criu() {
  if [ "$(criu_installed_build)" = "$CRIU_BUILD_KEY" ]; then
    log "criu: $CRIU_BIN is $CRIU_BUILD_KEY"
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
    if ! (make -C "$src" -j"$(nproc)" PREFIX="$CRIU_PREFIX" RUNDIR="$CRIU_RUNDIR" criu \
          && make -C "$src" PREFIX="$CRIU_PREFIX" RUNDIR="$CRIU_RUNDIR" install-criu) >"$build/build.log" 2>&1; then
      tail -n 30 "$build/build.log" >&2
      die "criu: build failed; full log in $build/build.log"
    fi
    rm -rf "$build"
    [ "$(criu_installed_version)" = "$CRIU_VERSION" ] \
      || die "criu: $CRIU_BIN does not report version $CRIU_VERSION after install"
    echo "$CRIU_BUILD_KEY" >"$CRIU_BUILD_MARKER"
    log "criu: installed $CRIU_BUILD_KEY into $CRIU_PREFIX"
  fi
  ensure_criu_rundir
  local check
  check="$("$CRIU_BIN" check 2>&1 || true)"
  if ! grep -q "Looks good" <<<"$check"; then
    printf '%s\n' "$check" >&2
    die "criu: '$CRIU_BIN check' did not say 'Looks good' (kernel lacks a CRIU feature?)"
  fi
  [ -s "$CRIU_RUNDIR/criu.kdat" ] || die "criu: 'criu check' left no kernel-feature cache in $CRIU_RUNDIR"
  log "criu: check says Looks good; kdat cache in $CRIU_RUNDIR"
}
