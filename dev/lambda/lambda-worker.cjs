// One Lambda execution environment: a bare Node process that loads one
// built handler and runs one invocation at a time, as the Node.js runtime
// does. It is plain JavaScript on purpose: it runs the deployed bundle with
// no TypeScript loader in between. The parent sets the environment
// variables, sends `init` once and `invoke` per event, over the IPC channel.
'use strict';

const path = require('node:path');

let handler;
let current;

function errorOf(error) {
  const value = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: value.name,
    errorMessage: value.message,
    stack: value.stack,
  };
}

function contextOf(request) {
  const { context, deadlineEpochMs } = request;
  return {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineEpochMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function init(request) {
  const startedAt = Date.now();
  try {
    const loaded = require(path.resolve(request.handlerFile));
    handler = loaded[request.exportName];
    if (typeof handler !== 'function') {
      throw new TypeError(
        `${request.handlerFile} does not export a function named ` +
          `${request.exportName}`,
      );
    }
    process.send({ kind: 'ready', initMs: Date.now() - startedAt });
  } catch (error) {
    process.send({ kind: 'init-failed', error: errorOf(error) });
  }
}

async function invoke(request) {
  current = request.id;
  process.env._X_AMZN_TRACE_ID = request.traceHeader;
  try {
    const result = await handler(request.event, contextOf(request));
    process.send({ kind: 'result', id: request.id, result });
  } catch (error) {
    process.send({ kind: 'error', id: request.id, error: errorOf(error) });
  } finally {
    current = undefined;
  }
}

// As in Lambda, an error nobody caught ends the environment and fails the
// invocation that was running.
function crash(error) {
  process.send({ kind: 'error', id: current, error: errorOf(error) }, () =>
    process.exit(1),
  );
}

process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
process.on('message', (request) => {
  if (request.kind === 'init') init(request);
  if (request.kind === 'invoke') invoke(request);
});
