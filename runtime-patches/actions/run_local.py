#!/usr/bin/python3
"""Run one sample action on the host, outside any container, and print a JSON report.

Usage: run_local.py <action-dir> [<json-params> ...]

The action's __main__.py is imported once (as a warm OpenWhisk sandbox would after /init) and
main(params) is then called once per <json-params> argument, in order, in the same process (as
successive /run requests to one warm sandbox). With no params argument, main({}) runs once.

The report on stdout is one JSON object:
  action, python, baseline_rss_kb (interpreter only), import_ms, rss_after_import_kb,
  modules_loaded_by_import (top-level package names the action's import pulled in),
  modules_present_after_import (all top-level names then loaded, the harness's own included),
  modules_loaded_by_runs (top-level names first imported while main ran, i.e. lazily),
  runs: [{params, result, run_ms (wall), run_cpu_ms (user+sys of this process and reaped children),
  rss_after_run_kb}], peak_rss_kb (VmHWM at exit).
Anything the action prints goes to stderr so stdout stays parseable.

Exit status: 0 when every run returned a JSON-serialisable dict (an OpenWhisk application error,
i.e. a dict with an "error" key, still counts as a run); 2 for bad usage or params;
3 when the import or a run raised or returned something OpenWhisk would reject.
"""
import contextlib
import importlib.util
import json
import os
import resource
import sys
import time
import traceback


def _status_kb(field):
    # /proc/self/status is what the kernel (and CRIU) sees; getrusage has no current-RSS figure.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError("no %s in /proc/self/status" % field)


def _cpu_seconds():
    """CPU time of this process and its reaped children (a worker pool's processes count too)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _fail(code, message):
    sys.stderr.write("run_local.py: %s\n" % message)
    sys.exit(code)


def _top_level_modules():
    return {name.split(".")[0] for name in sys.modules}


def _load_action(action_dir):
    source = os.path.join(action_dir, "__main__.py")
    if not os.path.isfile(source):
        _fail(2, "no __main__.py in action directory %r" % action_dir)
    name = "action_" + os.path.basename(os.path.normpath(action_dir))
    spec = importlib.util.spec_from_file_location(name, source)
    module = importlib.util.module_from_spec(spec)
    # Registered before execution, as OpenWhisk's launcher does when it imports main__, so that
    # module-level functions can be pickled by reference (multiprocessing).
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "main", None)):
        _fail(3, "%s defines no callable main(params)" % source)
    return module


def _parse_params(args):
    if not args:
        return [{}]
    parsed = []
    for index, text in enumerate(args, start=1):
        try:
            value = json.loads(text)
        except ValueError as err:
            _fail(2, "params argument %d is not JSON: %s" % (index, err))
        if not isinstance(value, dict):
            _fail(2, "params argument %d must be a JSON object, got %s" % (index, type(value).__name__))
        parsed.append(value)
    return parsed


def main(argv):
    if len(argv) < 2:
        _fail(2, "usage: run_local.py <action-dir> [<json-params> ...]")
    action_dir = argv[1]
    param_sets = _parse_params(argv[2:])

    baseline_rss_kb = _status_kb("VmRSS")
    modules_before = _top_level_modules()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            module = _load_action(action_dir)
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        _fail(3, "importing %s failed" % action_dir)
    import_ms = (time.perf_counter() - started) * 1000.0
    rss_after_import_kb = _status_kb("VmRSS")
    modules_after_import = _top_level_modules()
    loaded = sorted(m for m in modules_after_import - modules_before if not m.startswith("_"))

    runs = []
    for params in param_sets:
        started = time.perf_counter()
        cpu_started = _cpu_seconds()
        try:
            with contextlib.redirect_stdout(sys.stderr):
                result = module.main(dict(params))
        except BaseException:
            traceback.print_exc()
            _fail(3, "main(%s) raised" % json.dumps(params))
        run_ms = (time.perf_counter() - started) * 1000.0
        run_cpu_ms = (_cpu_seconds() - cpu_started) * 1000.0
        if not isinstance(result, dict):
            _fail(3, "main(%s) returned %s, OpenWhisk needs a JSON object"
                  % (json.dumps(params), type(result).__name__))
        try:
            json.dumps(result, allow_nan=False)
        except (TypeError, ValueError) as err:
            _fail(3, "main(%s) returned a result that is not strict JSON: %s" % (json.dumps(params), err))
        runs.append({"params": params, "result": result, "run_ms": round(run_ms, 2),
                     "run_cpu_ms": round(run_cpu_ms, 2),
                     "rss_after_run_kb": _status_kb("VmRSS")})

    loaded_by_runs = sorted(m for m in _top_level_modules() - modules_after_import if not m.startswith("_"))
    report = {
        "action": os.path.basename(os.path.normpath(action_dir)),
        "python": sys.version.split()[0],
        "baseline_rss_kb": baseline_rss_kb,
        "import_ms": round(import_ms, 2),
        "rss_after_import_kb": rss_after_import_kb,
        "modules_loaded_by_import": loaded,
        "modules_present_after_import": sorted(m for m in modules_after_import if not m.startswith("_")),
        "modules_loaded_by_runs": loaded_by_runs,
        "runs": runs,
        "peak_rss_kb": _status_kb("VmHWM"),
    }
    sys.stdout.write(json.dumps(report, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
