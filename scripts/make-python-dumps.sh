#!/usr/bin/env bash
# Creates real CRIU dumps of warm FunctionBench-style Python functions, ASLR left as the system has it.
#
# usage: scripts/make-python-dumps.sh OUT_DIR [INSTANCES] [FUNCTION...]
#   OUT_DIR/<function>/<instance>/  one CRIU dump directory per process (instance 1 is the natural base)
#   INSTANCES  processes per function (default 3); FUNCTION names a file in
#   medes-dedup-core/src/test/resources/python-functions/ (default: all of them except runner.py)
#
# Each process runs in its own pid namespace (unshare --pid --fork) as its session leader, with stdio
# on /dev/null, loads its function, serves one activation, then is dumped and killed by CRIU.
# Needs root, CRIU 4.2 (MEDES_CRIU, default /opt/criu/sbin/criu) and Debian's python3 packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
functions_dir="$here/medes-dedup-core/src/test/resources/python-functions"
criu="${MEDES_CRIU:-/opt/criu/sbin/criu}"
python=/usr/bin/python3

out="${1:?usage: $0 OUT_DIR [INSTANCES] [FUNCTION...]}"
instances="${2:-3}"
shift $(( $# >= 2 ? 2 : $# ))
if (( $# == 0 )); then
  set -- $(cd "$functions_dir" && ls *.py | grep -v '^runner.py$' | sed 's/\.py$//')
fi
[[ -x "$criu" ]] || { echo "CRIU not found at $criu (set MEDES_CRIU)" >&2; exit 1; }
echo "ASLR (kernel.randomize_va_space) = $(cat /proc/sys/kernel/randomize_va_space)" >&2
mkdir -p "$out/.logs"  # hidden: OUT/*/* globs only dump directories

dump_one() {
  local fn="$1" i="$2" dir="$out/$1/$2" ready
  ready="$(mktemp -u /tmp/medes-ready.XXXXXX)"
  rm -rf "$dir"; mkdir -p "$dir"
  unshare --pid --fork setsid "$python" "$functions_dir/runner.py" "$functions_dir/$fn.py" "$ready" \
    </dev/null >/dev/null 2>&1 &
  local launcher=$!
  for _ in $(seq 600); do [[ -f "$ready" ]] && break; sleep 0.1; done
  if [[ ! -f "$ready" ]]; then
    echo "$fn/$i: function did not become ready" >&2; kill -9 "$launcher" 2>/dev/null || true; return 1
  fi
  local pid
  pid="$(pgrep -P "$launcher")"
  "$criu" dump -t "$pid" -D "$dir" --log-file "$out/.logs/$fn-$i.log" -v2
  wait "$launcher" 2>/dev/null || true
  rm -f "$ready"
  printf '%s/%s: %s\n' "$fn" "$i" "$(du -sh "$dir" | cut -f1)" >&2
}

for fn in "$@"; do
  [[ -f "$functions_dir/$fn.py" ]] || { echo "no function $fn in $functions_dir" >&2; exit 1; }
  for i in $(seq 1 "$instances"); do dump_one "$fn" "$i"; done
done
