#!/usr/bin/env python3
"""OpenWhisk Python 3 action runtime server for Medes (standard library only).

Speaks the OpenWhisk action protocol on port 8080:
  POST /init  {"value": {"name", "main", "code", "binary", "env"}}   once; 200 {"ok": true}
  POST /run   {"value": params, "namespace", "action_name", "action_version", "activation_id",
               "transaction_id", "deadline", "api_key"?}            200 + the JSON result of main(params)
Errors are 502 {"error": "..."} (OpenWhisk reports them as developer errors); a malformed request body
is 400. After every /init and /run the activation sentinel goes to stdout and stderr, which is where
OpenWhisk's log collector stops reading an activation's logs.

Built to be checkpointed with CRIU between requests (see runtime-patches/README.md):
  * one thread, no background work: an idle sandbox is a single task blocked in accept();
  * HTTP/1.0 with "Connection: close": no established TCP connection survives a request, so a dump
    holds only the listening socket and needs no --tcp-established;
  * no file descriptor kept open besides stdio and the listener (the action zip is extracted and closed);
  * stdout/stderr are written unbuffered and must be pipes or /dev/null, never a regular file that
    grows after a dump (CRIU refuses to restore a file whose size changed).

Environment: MEDES_RUNNER_HOST (default 0.0.0.0) and MEDES_RUNNER_PORT (default 8080).
"""

import base64
import binascii
import io
import json
import os
import sys
import tempfile
import traceback
import types
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer

SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX"
# Fields of a /run body (besides "value") that become __OW_<FIELD> environment variables.
RUN_ENV_FIELDS = ("namespace", "action_name", "action_version", "activation_id",
                  "transaction_id", "deadline", "api_key")


class ActionError(Exception):
    """An error reported to OpenWhisk as {"error": message} with the given HTTP status."""

    def __init__(self, message, status=502):
        super().__init__(message)
        self.status = status


class Action:
    """The one action this sandbox runs; initialised once by /init."""

    def __init__(self):
        self.main = None

    @property
    def initialized(self):
        return self.main is not None

    def init(self, value):
        if self.initialized:
            raise ActionError("Cannot initialize the action more than once.", status=403)
        if not isinstance(value, dict):
            raise ActionError("The init body must be {\"value\": {...}}.", status=400)
        main_name = value.get("main") or "main"
        code = value.get("code")
        if not isinstance(code, str) or not code:
            raise ActionError("Missing action code (field value.code).")
        for key, env_value in (value.get("env") or {}).items():
            os.environ[str(key)] = env_value if isinstance(env_value, str) else json.dumps(env_value)
        if value.get("binary"):
            namespace = self._load_zip(code)
        else:
            namespace = self._load_source(code, "__main__.py")
        main = namespace.get(main_name)
        if not callable(main):
            raise ActionError("Action code does not define a callable '%s'." % main_name)
        self.main = main

    @staticmethod
    def _load_source(source, filename, directory=None):
        module = types.ModuleType("__action__")
        module.__file__ = os.path.join(directory, filename) if directory else filename
        try:
            compiled = compile(source, module.__file__, "exec")
            exec(compiled, module.__dict__)
        except Exception as error:  # the action's own import/compile failure
            traceback.print_exc()
            raise ActionError("Action code failed to load: %s: %s" % (type(error).__name__, error))
        return module.__dict__

    def _load_zip(self, code):
        try:
            data = base64.b64decode(code, validate=False)
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (binascii.Error, ValueError, zipfile.BadZipFile) as error:
            raise ActionError("Action binary is not a base64-encoded zip file: %s" % error)
        directory = tempfile.mkdtemp(prefix="action-")
        with archive:
            if "__main__.py" not in archive.namelist():
                raise ActionError("Zip action has no __main__.py at its top level.")
            archive.extractall(directory)
        sys.path.insert(0, directory)
        os.chdir(directory)
        with open(os.path.join(directory, "__main__.py"), encoding="utf-8") as main_file:
            source = main_file.read()
        return self._load_source(source, "__main__.py", directory)

    def run(self, body):
        if not self.initialized:
            raise ActionError("Cannot invoke an uninitialized action.")
        if not isinstance(body, dict):
            raise ActionError("The run body must be a JSON object.", status=400)
        for field in RUN_ENV_FIELDS:
            if field in body and body[field] is not None:
                os.environ["__OW_" + field.upper()] = str(body[field])
        params = body.get("value", {})
        try:
            result = self.main(params)
        except Exception as error:
            traceback.print_exc()
            raise ActionError("An exception was raised by the action: %s: %s"
                              % (type(error).__name__, error))
        # OpenWhisk 2.0.0 accepts a JSON object or, since array results were added, a JSON array.
        if not isinstance(result, (dict, list)):
            raise ActionError("The action did not return a dictionary or a list (got %s)."
                              % type(result).__name__)
        try:
            return json.dumps(result)
        except (TypeError, ValueError) as error:
            raise ActionError("The action result is not JSON-serialisable: %s" % error)


def write_sentinels():
    for stream in (sys.stdout, sys.stderr):
        stream.write(SENTINEL + "\n")
        stream.flush()


class RunnerHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: nothing established at checkpoint time
    server_version = "medes-python3-runner"
    action = Action()

    def log_message(self, format, *args):  # noqa: A002 - keep the action's logs free of access lines
        pass

    def _reply(self, status, payload):
        body = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError as error:
            raise ActionError("Request body is not valid JSON: %s" % error, status=400)

    def do_POST(self):  # noqa: N802 - http.server naming
        if self.path not in ("/init", "/run"):
            self._reply(404, {"error": "Unknown path %s (expected /init or /run)." % self.path})
            return
        try:
            body = self._read_json()
            if self.path == "/init":
                self.action.init(body.get("value") if isinstance(body, dict) else None)
                self._reply(200, {"ok": True})
            else:
                self._reply(200, self.action.run(body))
        except ActionError as error:
            self._reply(error.status, {"error": str(error)})
        finally:
            write_sentinels()

    def do_GET(self):  # noqa: N802 - http.server naming
        self._reply(404, {"error": "Only POST /init and POST /run are served."})


class RunnerServer(HTTPServer):
    allow_reuse_address = True  # a restored or restarted sandbox rebinds 8080 at once


def main():
    host = os.environ.get("MEDES_RUNNER_HOST", "0.0.0.0")
    port = int(os.environ.get("MEDES_RUNNER_PORT", "8080"))
    server = RunnerServer((host, port), RunnerHandler)
    try:
        server.serve_forever(poll_interval=3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
