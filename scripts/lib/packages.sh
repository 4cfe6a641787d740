# shellcheck shell=bash
# Debian package installation, bookworm only. Source after common.sh.
# `apt-get update` runs at most once per setup run, and only when something is missing.

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0

package_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

apt_update_once() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed (is http://deb.debian.org reachable?)"
    APT_UPDATED=1
  fi
}

# ensure_packages LABEL PKG...: installs the missing ones from bookworm (never trixie/sid binaries:
# they pull a newer libc).
ensure_packages() {
  local label="$1"; shift
  local missing=() p
  for p in "$@"; do package_installed "$p" || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "$label: all ${#} packages present"
    return 0
  fi
  apt_update_once
  log "$label: installing ${missing[*]}"
  apt-get install -y -qq -t bookworm --no-install-recommends "${missing[@]}" >/dev/null \
    || die "$label: apt-get install failed for: ${missing[*]}"
  for p in "${missing[@]}"; do
    package_installed "$p" || die "$label: package $p still not installed after apt-get install"
  done
}

# bookworm_candidate PKG: prints the newest bookworm version the archive offers, empty if none.
bookworm_candidate() {
  apt-cache madison "$1" 2>/dev/null \
    | awk -F'|' '!found && $3 ~ /debian(-security)? bookworm(-updates|-security)?\/main/ { gsub(/ /, "", $2); print $2; found = 1 }'
}

# check_bookworm_packages LABEL PKG...: dies naming every package bookworm does not offer.
check_bookworm_packages() {
  local label="$1"; shift
  local missing=() p
  for p in "$@"; do [ -n "$(bookworm_candidate "$p")" ] || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ] && [ "$APT_UPDATED" -eq 0 ]; then
    apt_update_once   # stale lists are the usual reason; retry once with fresh ones
    missing=()
    for p in "$@"; do [ -n "$(bookworm_candidate "$p")" ] || missing+=("$p"); done
  fi
  [ "${#missing[@]}" -eq 0 ] || die "$label: not available in Debian bookworm: ${missing[*]}"
}
