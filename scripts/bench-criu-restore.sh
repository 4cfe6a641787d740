#!/usr/bin/env bash
# Side-by-side timing of plain `criu restore` of one real warm python function (no runc, no Java), to
# show what two host preparations of scripts/setup are worth:
#   kdat:   CRIU's kernel-feature cache in /run/criu present, or removed before each restore
#   tmpfs:  the checkpoint images on the huge-page image tmpfs (checkpoint root), or on plain /dev/shm
# The four variants are interleaved round by round, so machine noise hits them alike.
#
# usage: scripts/bench-criu-restore.sh [ROUNDS] [FUNCTION]   (defaults: 20, linalg)
# Needs root and scripts/setup (CRIU at /opt/criu, the image tmpfs). Prints the median and p90 per variant.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds="${1:-20}"
fn="${2:-linalg}"
criu="${MEDES_CRIU:-/opt/criu/sbin/criu}"
kdat=/run/criu/criu.kdat
huge_root="${CONFIG_whisk_medes_invoker_checkpoint__root:-/dev/shm/medes/checkpoints}"
work="$(mktemp -d /dev/shm/medes-criu-bench.XXXXXX)"
huge="$huge_root/criu-bench-$$"
trap 'rm -rf "$work" "$huge"' EXIT

bash "$here/make-python-dumps.sh" "$work/dumps" 1 "$fn" 2>/dev/null
mkdir -p "$huge"
cp -a "$work/dumps/$fn/1" "$work/plain"
cp -a "$work/dumps/$fn/1" "$huge/image"
declare -A dirs=([plain]="$work/plain" [huge]="$huge/image")
results="$work/results"; : >"$results"

restore_once() { # variant-name image-dir drop-kdat
  local name="$1" dir="$2" drop="$3" pidfile="$work/pid" t0 t1
  [[ "$drop" == yes ]] && rm -f "$kdat"
  rm -f "$pidfile"
  t0=$(date +%s%N)
  "$criu" restore -D "$dir" -d --pidfile "$pidfile" --log-file "$work/restore.log" -v1 \
    || { tail -5 "$work/restore.log" >&2; exit 1; }
  t1=$(date +%s%N)
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.01; done
  echo "$name $(( (t1 - t0) / 1000 ))" >>"$results"
}

for _ in $(seq "$rounds"); do
  for tmpfs in plain huge; do
    restore_once "kdat-cached/$tmpfs" "${dirs[$tmpfs]}" no
    restore_once "kdat-dropped/$tmpfs" "${dirs[$tmpfs]}" yes
  done
done
[[ -s "$kdat" ]] || "$criu" check >/dev/null  # leave the cache in place

echo "criu restore of $fn ($(du -sh "$work/plain" | cut -f1) image), $rounds rounds, wall time in ms:"
sort "$results" | awk '{ v[$1] = v[$1] " " $2 } END { for (k in v) print k, v[k] }' | sort | while read -r name samples; do
  # shellcheck disable=SC2086
  printf '%s\n' $samples | sort -n | awk -v n="$name" '{ a[NR] = $1 } END {
    printf "  %-22s median %6.1f   p90 %6.1f\n", n, a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9 + 0.5)] / 1000 }'
done
