"""Runs one FunctionBench-style function the way a warm OpenWhisk Python sandbox holds it.

usage: runner.py FUNCTION_FILE READY_FILE [PORT]

Loads FUNCTION_FILE (its imports and module-level state are the sandbox's "init"), calls its main()
once (the first activation), writes READY_FILE, then either waits for signals forever or, with PORT,
answers HTTP GET / on 127.0.0.1:PORT by calling main() again and returning its result as JSON.
stdin/stdout/stderr should be /dev/null or pipes so that a CRIU dump stays restorable.
"""
import importlib.util
import json
import os
import signal
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("function", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    function = load(sys.argv[1])
    result = function.main({})
    ready = sys.argv[2]
    with open(ready + ".tmp", "w") as f:
        f.write(json.dumps({"pid": os.getpid(), "result": result}) + "\n")
    os.rename(ready + ".tmp", ready)
    if len(sys.argv) > 3:
        serve(function, int(sys.argv[3]))
    while True:
        signal.pause()


def serve(function, port):
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"result": function.main({})}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
