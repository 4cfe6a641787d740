#!/usr/bin/env python3
"""What writing a rebuilt pages image costs in fresh tmpfs pages against pages kept in a file.

Usage: scripts/bench-fresh-pages.py [MiB] [rounds] [pause-seconds] [directory ...]
       (defaults: 200 MiB, 8 rounds, 3 s, /dev/shm/medes/checkpoints and /dev/shm)

Per directory and round, interleaved, writes MiB with 4 MiB pwrite calls (as the Restorer does):
  fresh-after-pause  into a new file, after the pause (freed memory had time to be reported to the host)
  fresh-at-once      into a new file right after the previous one was deleted
  kept               over the pages of a file kept from the previous round (RecycledPagesFiles)
and prints the median and range of wall and system time. Memory freed into the guest is reported to the
host by virtio-balloon free page reporting after about two seconds, in blocks of order
/sys/module/page_reporting/parameters/page_reporting_order; touching it again faults on the host.
"""
import os
import resource
import statistics
import sys
import time

MIB = 1 << 20
CHUNK = 4 * MIB


def timed_write(path, size, buf):
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for off in range(0, size, CHUNK):
            os.pwrite(fd, buf, off)
    finally:
        os.close(fd)
    wall = (time.perf_counter() - t0) * 1000
    sys_ms = (resource.getrusage(resource.RUSAGE_SELF).ru_stime - r0.ru_stime) * 1000
    return wall, sys_ms


def main():
    size = int(sys.argv[1]) * MIB if len(sys.argv) > 1 else 200 * MIB
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    pause = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    dirs = sys.argv[4:] or ["/dev/shm/medes/checkpoints", "/dev/shm"]
    buf = os.urandom(CHUNK)
    results = {}
    kept = {}
    for d in dirs:
        kept[d] = os.path.join(d, ".bench-kept-pages")
        timed_write(kept[d], size, buf)
    try:
        for _ in range(rounds):
            for d in dirs:
                fresh = os.path.join(d, ".bench-fresh-pages")
                time.sleep(pause)
                results.setdefault((d, "fresh-after-pause"), []).append(timed_write(fresh, size, buf))
                os.unlink(fresh)
                results.setdefault((d, "fresh-at-once"), []).append(timed_write(fresh, size, buf))
                os.unlink(fresh)
                time.sleep(pause)
                results.setdefault((d, "kept"), []).append(timed_write(kept[d], size, buf))
    finally:
        for path in kept.values():
            os.unlink(path)
    try:
        with open("/sys/module/page_reporting/parameters/page_reporting_order") as f:
            order = f.read().strip()
    except OSError:
        order = "n/a (no free page reporting)"
    print(f"{size // MIB} MiB per write, {rounds} rounds, {pause} s pause; page_reporting_order: {order}")
    print(f"{'directory':32} {'variant':18} {'wall p50 ms':>11} {'wall min-max':>13} {'sys p50 ms':>10}")
    for (d, variant), samples in results.items():
        walls = [w for w, _ in samples]
        syss = [s for _, s in samples]
        print(f"{d:32} {variant:18} {statistics.median(walls):11.1f} {min(walls):6.0f}-{max(walls):<6.0f}"
              f" {statistics.median(syss):10.1f}")


if __name__ == "__main__":
    main()
