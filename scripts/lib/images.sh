# shellcheck shell=bash
# Runtime images from Debian packages (Docker Hub is unreachable): debootstrap + chroot apt-get, then
# `docker import`. Definitions live in runtime-patches/images/<name>/ (see runtime-patches/README.md).
# Source after common.sh, packages.sh and docker-daemon.sh.
#
# Two caches, so that editing a runner does not re-run debootstrap:
#   rootfs tarball  $MEDES_CACHE/rootfs/<name>-<rootfs key>.tar  key = recipe + suite + mirror + packages
#   docker image    medes/<name>:<image key>                    key = rootfs key + changes + files + contents

DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=http://deb.debian.org/debian
DEBIAN_SECURITY_MIRROR=http://deb.debian.org/debian-security
# Bump when build_rootfs changes in a way that alters the produced file system.
ROOTFS_RECIPE_VERSION=1

hash_stdin() { sha256sum | cut -c1-"$1"; }

# Prints the non-comment, non-empty lines of a definition file.
definition_lines() {
  if [ -f "$1" ]; then sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$1"; fi
}

image_packages() { definition_lines "$1/packages" | tr -s '[:blank:]' '\n' | sed '/^$/d'; }

rootfs_key() {
  local def="$1"
  { echo "recipe=$ROOTFS_RECIPE_VERSION suite=$DEBIAN_SUITE mirror=$DEBIAN_MIRROR"; image_packages "$def" | sort -u; } \
    | hash_stdin 16
}

image_key() {
  local def="$1" patches="$2" src dest
  {
    echo "rootfs=$(rootfs_key "$def")"
    echo "--- changes"; definition_lines "$def/changes"
    echo "--- files"
    while read -r src dest; do
      [ -f "$patches/$src" ] || die "image $(basename "$def"): file $patches/$src (listed in $def/files) missing"
      echo "$src $dest $(sha256sum <"$patches/$src" | cut -d' ' -f1)"
    done < <(definition_lines "$def/files")
  } | hash_stdin 12
}

# build_rootfs NAME ROOT OUT_TAR PKG...: minbase bookworm + the packages (no docs/man/locales) into
# the empty directory ROOT, also saved as the tarball OUT_TAR.
build_rootfs() {
  local name="$1" root="$2" out="$3"; shift 3
  local logf="$root.build.log"
  log "image $name: debootstrap --variant=minbase $DEBIAN_SUITE (log $logf)"
  if ! debootstrap --variant=minbase "$DEBIAN_SUITE" "$root" "$DEBIAN_MIRROR" >"$logf" 2>&1; then
    tail -n 20 "$logf" >&2
    die "image $name: debootstrap failed; see $logf"
  fi
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb $DEBIAN_SECURITY_MIRROR $DEBIAN_SUITE-security main
SOURCES
  # Keep the image lean: no documentation, manuals or translations.
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-medes-nodoc" <<'NODOC'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
NODOC
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"   # no daemons start inside the chroot
  chmod +x "$root/usr/sbin/policy-rc.d"
  log "image $name: apt-get install $* (in chroot)"
  mount -t proc proc "$root/proc"
  local rc=0
  (
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
      apt-install "$@"
  ) >>"$logf" 2>&1 || rc=$?
  umount "$root/proc"
  if [ "$rc" -ne 0 ]; then
    tail -n 20 "$logf" >&2
    die "image $name: apt-get install in the chroot failed; see $logf"
  fi
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root/usr/sbin/policy-rc.d"
  # Docker bind-mounts its own resolv.conf/hosts/hostname; do not leak the build host's.
  : >"$root/etc/resolv.conf"
  mkdir -p "$(dirname "$out")"
  tar --numeric-owner -C "$root" -cf "$out.partial" .
  mv "$out.partial" "$out"
  rm -f "$logf"
  log "image $name: rootfs cached as $out ($(du -h "$out" | cut -f1))"
}

# build_image PATCHES_DIR NAME: ensures medes/NAME:<image key> exists and medes/NAME:latest points to it
# (prefix "medes" unless MEDES_IMAGE_PREFIX says otherwise).
build_image() {
  local patches="$1" name="$2"
  local def="$patches/images/$name"
  [ -d "$def" ] || die "image $name: no definition directory $def"
  local pkgs=()
  mapfile -t pkgs < <(image_packages "$def")
  [ "${#pkgs[@]}" -gt 0 ] || die "image $name: $def/packages lists no packages"
  local tag repo="$MEDES_IMAGE_PREFIX/$name"
  tag="$(image_key "$def" "$patches")"
  if "$DEBIAN_DOCKER" image inspect "$repo:$tag" >/dev/null 2>&1; then
    "$DEBIAN_DOCKER" tag "$repo:$tag" "$repo:latest"
    log "image $name: $repo:$tag up to date"
    BUILT_IMAGES+=("$repo:$tag (cached)")
    return 0
  fi
  check_bookworm_packages "image $name" "${pkgs[@]}"
  local rootfs_tar
  rootfs_tar="$MEDES_CACHE/rootfs/$name-$(rootfs_key "$def").tar"
  local work
  work="$(mktemp -d /var/tmp/medes-image-"$name".XXXXXX)"
  mkdir "$work/root"
  if [ -f "$rootfs_tar" ]; then
    log "image $name: reusing cached rootfs $rootfs_tar"
    tar --numeric-owner -C "$work/root" -xf "$rootfs_tar"
  else
    build_rootfs "$name" "$work/root" "$rootfs_tar" "${pkgs[@]}"
  fi
  local src dest
  while read -r src dest; do
    install -D -m 0644 "$patches/$src" "$work/root/$dest"
  done < <(definition_lines "$def/files")
  local changes=() line
  while IFS= read -r line; do changes+=(-c "$line"); done < <(definition_lines "$def/changes")
  log "image $name: docker import as $repo:$tag"
  tar --numeric-owner -C "$work/root" -c . | "$DEBIAN_DOCKER" import "${changes[@]}" - "$repo:$tag" >/dev/null \
    || die "image $name: docker import failed"
  mountpoint -q "$work/root/proc" && die "image $name: $work/root/proc still mounted; not deleting $work"
  rm -rf "$work"
  "$DEBIAN_DOCKER" tag "$repo:$tag" "$repo:latest"
  log "image $name: built $repo:$tag ($("$DEBIAN_DOCKER" image inspect -f '{{.Size}}' "$repo:$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
  BUILT_IMAGES+=("$repo:$tag (built)")
}

# build_all_images PATCHES_DIR: every directory under runtime-patches/images/.
build_all_images() {
  local patches="$1" def
  BUILT_IMAGES=()
  for def in "$patches"/images/*/; do
    build_image "$patches" "$(basename "$def")"
  done
}
