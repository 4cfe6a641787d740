'use strict';
// OpenWhisk Node.js action runtime server for Medes (Node standard library only).
//
// Same protocol as runtime-patches/python3-action/runner.py: POST /init once with
// {"value": {"name", "main", "code", "binary", "env"}}, then POST /run with {"value": params, ...};
// results are JSON objects (or arrays), errors 502 {"error": "..."}, a malformed body 400, and the
// activation sentinel goes to stdout and stderr after every /init and /run.
// Enough for OpenWhisk's invoker health-test action (`function main(params) { return params; }`).
// Zip actions (binary: true) are refused: unpacking needs a library outside Node's stdlib.
//
// Checkpoint-friendly like the Python runner: "Connection: close" on every response (no established
// TCP connection at dump time), no timers, stdio unbuffered to pipes or /dev/null.
//
// Environment: MEDES_RUNNER_HOST (default 0.0.0.0) and MEDES_RUNNER_PORT (default 8080).

const http = require('http');

const SENTINEL = 'XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX';
const RUN_ENV_FIELDS = ['namespace', 'action_name', 'action_version', 'activation_id',
  'transaction_id', 'deadline', 'api_key'];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

class ActionError extends Error {
  constructor(message, status = 502) {
    super(message);
    this.status = status;
  }
}

let actionMain = null;

function loadAction(value) {
  if (actionMain !== null) {
    throw new ActionError('Cannot initialize the action more than once.', 403);
  }
  if (value === null || typeof value !== 'object') {
    throw new ActionError('The init body must be {"value": {...}}.', 400);
  }
  const mainName = value.main || 'main';
  if (!IDENTIFIER.test(mainName)) {
    throw new ActionError(`Main function name '${mainName}' is not a JavaScript identifier.`);
  }
  if (typeof value.code !== 'string' || value.code.length === 0) {
    throw new ActionError('Missing action code (field value.code).');
  }
  if (value.binary) {
    throw new ActionError('Zip actions are not supported by the Medes Node.js runtime.');
  }
  for (const [key, envValue] of Object.entries(value.env || {})) {
    process.env[key] = typeof envValue === 'string' ? envValue : JSON.stringify(envValue);
  }
  const module = { exports: {} };
  let main;
  try {
    // The code may define a global-style `function main` or set module.exports / exports.main.
    const factory = new Function('exports', 'require', 'module', '__filename', '__dirname',
      `${value.code}\n;return (typeof ${mainName} === 'function') ? ${mainName} : undefined;`);
    main = factory(module.exports, require, module, 'action.js', process.cwd());
  } catch (error) {
    console.error(error);
    throw new ActionError(`Action code failed to load: ${error}`);
  }
  if (typeof main !== 'function') {
    const exported = module.exports;
    main = typeof exported === 'function' ? exported : exported && exported[mainName];
  }
  if (typeof main !== 'function') {
    throw new ActionError(`Action code does not define a function '${mainName}'.`);
  }
  actionMain = main;
}

async function runAction(body) {
  if (actionMain === null) {
    throw new ActionError('Cannot invoke an uninitialized action.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ActionError('The run body must be a JSON object.', 400);
  }
  for (const field of RUN_ENV_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) {
      process.env[`__OW_${field.toUpperCase()}`] = String(body[field]);
    }
  }
  let result;
  try {
    result = await actionMain(body.value === undefined ? {} : body.value);
  } catch (error) {
    console.error(error);
    throw new ActionError(`An exception was raised by the action: ${error}`);
  }
  if (result === null || typeof result !== 'object') {
    throw new ActionError(`The action did not return an object or an array (got ${result === null ? 'null' : typeof result}).`);
  }
  return JSON.stringify(result);
}

function writeSentinels() {
  process.stdout.write(`${SENTINEL}\n`);
  process.stderr.write(`${SENTINEL}\n`);
}

function reply(response, status, payload) {
  const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    Connection: 'close',
  });
  response.end(body);
}

function parseJson(raw) {
  try {
    return JSON.parse(raw.length === 0 ? '{}' : raw);
  } catch (error) {
    throw new ActionError(`Request body is not valid JSON: ${error.message}`, 400);
  }
}

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || (request.url !== '/init' && request.url !== '/run')) {
    reply(response, 404, { error: 'Only POST /init and POST /run are served.' });
    request.resume();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const body = parseJson(Buffer.concat(chunks).toString('utf8'));
      if (request.url === '/init') {
        loadAction(body && typeof body === 'object' ? body.value : null);
        reply(response, 200, { ok: true });
      } else {
        reply(response, 200, await runAction(body));
      }
    } catch (error) {
      const status = error instanceof ActionError ? error.status : 502;
      reply(response, status, { error: String(error.message || error) });
    } finally {
      writeSentinels();
    }
  });
});
server.keepAliveTimeout = 0;

const host = process.env.MEDES_RUNNER_HOST || '0.0.0.0';
const port = Number.parseInt(process.env.MEDES_RUNNER_PORT || '8080', 10);
server.listen(port, host);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
