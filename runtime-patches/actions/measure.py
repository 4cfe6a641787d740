#!/usr/bin/python3
"""Measure every action in manifest.json through run_local.py and print a markdown table.

Usage: measure.py [--processes N] [--runs R] [--csv PATH]

Each action is started in N fresh interpreters (default 3); each interpreter imports the action once
and calls main(default_params) R times (default 3): the first call is the first request a freshly
initialised sandbox serves, later calls are warm requests. Reported figures are medians over the N
interpreters: import time, first-run time, warm-run wall and CPU time (median of calls 2..R; CPU time
includes reaped worker processes and is less sensitive to other load on the machine), VmRSS of the bare
interpreter, VmRSS after the import, VmRSS after the last call, and peak RSS (VmHWM).
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["action", "paper_name", "paper_memory_mb", "memory_limit_mb", "import_ms", "first_run_ms",
           "warm_run_ms", "warm_run_cpu_ms", "baseline_rss_mb", "rss_after_import_mb", "rss_after_runs_mb", "peak_rss_mb"]


def _run_once(action, runs):
    params = json.dumps(action["default_params"])
    command = [sys.executable, os.path.join(HERE, "run_local.py"), os.path.join(HERE, action["name"])]
    completed = subprocess.run(command + [params] * runs, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise SystemExit("%s failed (exit %d): %s" % (action["name"], completed.returncode, completed.stderr))
    return json.loads(completed.stdout)


def _measure(action, processes, runs):
    reports = [_run_once(action, runs) for _ in range(processes)]
    median = statistics.median
    mb = 1024.0
    return {
        "action": action["name"],
        "paper_name": action["paper_name"],
        "paper_memory_mb": action["paper_memory_mb"],
        "memory_limit_mb": action["memory_limit_mb"],
        "import_ms": round(median(r["import_ms"] for r in reports), 1),
        "first_run_ms": round(median(r["runs"][0]["run_ms"] for r in reports), 1),
        "warm_run_ms": round(median(median(x["run_ms"] for x in r["runs"][1:]) for r in reports), 1)
        if runs > 1 else "",
        "warm_run_cpu_ms": round(median(median(x["run_cpu_ms"] for x in r["runs"][1:]) for r in reports), 1)
        if runs > 1 else "",
        "baseline_rss_mb": round(median(r["baseline_rss_kb"] for r in reports) / mb, 1),
        "rss_after_import_mb": round(median(r["rss_after_import_kb"] for r in reports) / mb, 1),
        "rss_after_runs_mb": round(median(r["runs"][-1]["rss_after_run_kb"] for r in reports) / mb, 1),
        "peak_rss_mb": round(median(r["peak_rss_kb"] for r in reports) / mb, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--csv", help="also write the rows to this CSV file")
    args = parser.parse_args()
    if args.processes < 1 or args.runs < 1:
        parser.error("--processes and --runs must be at least 1")

    with open(os.path.join(HERE, "manifest.json")) as handle:
        actions = json.load(handle)["actions"]
    rows = [_measure(action, args.processes, args.runs) for action in actions]

    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in COLUMNS) + " |")
    if args.csv:
        with open(args.csv, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
