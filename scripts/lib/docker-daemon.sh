# shellcheck shell=bash
# Starts Debian's dockerd without systemd (PID 1 here is not systemd), idempotently.
# Source after common.sh. Provides ensure_dockerd.

DOCKERD_LOG=/var/log/medes-dockerd.log
DOCKERD_PIDFILE=/var/run/medes-dockerd.pid
DOCKER_SOCK=/var/run/docker.sock

docker_ready() {
  # The Debian 20.10 client is preferred; the 28.x client at /usr/local/bin negotiates the API down.
  local client="$DEBIAN_DOCKER"
  [ -x "$client" ] || client=docker
  DOCKER_HOST="unix://$DOCKER_SOCK" "$client" info >/dev/null 2>&1
}

dockerd_pid_alive() {
  [ -f "$DOCKERD_PIDFILE" ] && kill -0 "$(cat "$DOCKERD_PIDFILE")" 2>/dev/null
}

# Starts dockerd with the given storage driver; returns 0 once `docker info` answers, 1 if it died.
start_dockerd_with() {
  local driver="$1" waited=0
  log "starting dockerd (storage driver $driver, log $DOCKERD_LOG)"
  # CRIU first in PATH: runc looks criu up in PATH for `docker checkpoint`.
  # setsid + nohup: the daemon must outlive this script and any terminal/job group.
  PATH="$CRIU_PREFIX/sbin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    setsid nohup /usr/sbin/dockerd --experimental --storage-driver "$driver" \
      --pidfile "$DOCKERD_PIDFILE" --host "unix://$DOCKER_SOCK" \
      >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$!
  while [ "$waited" -lt 60 ]; do
    if docker_ready; then
      log "dockerd is up (pid $(cat "$DOCKERD_PIDFILE" 2>/dev/null || echo "$pid"), driver $driver)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      warn "dockerd with storage driver $driver exited; last log lines:"
      tail -n 15 "$DOCKERD_LOG" >&2 || true
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  warn "dockerd (driver $driver) did not answer within 30 s; stopping it"
  kill "$pid" 2>/dev/null || true
  return 1
}

ensure_dockerd() {
  if docker_ready; then
    log "dockerd already running"
    return 0
  fi
  [ -x /usr/sbin/dockerd ] || die "dockerd missing: install Debian's docker.io (run scripts/setup)"
  [ -x "$CRIU_BIN" ] || warn "$CRIU_BIN missing: docker checkpoint will not work until scripts/setup builds CRIU"
  # A stale pid file from a dead daemon makes dockerd refuse to start.
  if [ -f "$DOCKERD_PIDFILE" ] && ! dockerd_pid_alive; then rm -f "$DOCKERD_PIDFILE"; fi
  if dockerd_pid_alive; then
    die "dockerd (pid $(cat "$DOCKERD_PIDFILE")) is running but not answering on $DOCKER_SOCK; see $DOCKERD_LOG"
  fi
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  if start_dockerd_with overlay2; then return 0; fi
  warn "overlay2 storage driver failed; falling back to vfs (slow, disk-hungry: every layer is a full copy)"
  rm -f "$DOCKERD_PIDFILE"
  start_dockerd_with vfs || die "dockerd failed to start with overlay2 and vfs; see $DOCKERD_LOG"
}
