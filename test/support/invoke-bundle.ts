import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INVOKE_TIMEOUT_MS = 60_000;

// Loads the handler the way Lambda's Node.js runtime does (file and export
// from the `handler` setting), times the load, invokes it once with a
// Lambda-shaped context, writes the outcome to a file and exits: grpc-js
// keeps the event loop alive, where Lambda would freeze the process.
const RUNNER = `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const [taskRoot, handler, eventPath, outcomePath, timeoutMs] =
  process.argv.slice(2);
const dot = handler.lastIndexOf('.');
const startedAt = performance.now();
const loaded = require(join(taskRoot, handler.slice(0, dot) + '.js'));
const initMs = Math.round(performance.now() - startedAt);
const endsAt = Date.now() + Number(timeoutMs);
const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: name,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:' + name,
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/' + name,
  logStreamName: '2026/12/03/[$LATEST]bundle',
  getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
};
const finish = (outcome) => {
  writeFileSync(outcomePath, JSON.stringify({ initMs, ...outcome }));
  process.exit(0);
};
Promise.resolve()
  .then(() => loaded[handler.slice(dot + 1)](
    JSON.parse(readFileSync(eventPath, 'utf8')),
    context,
  ))
  .then(
    (result) => finish({ ok: true, result }),
    (error) => finish({
      ok: false,
      error: { name: error.name, message: error.message, stack: error.stack },
    }),
  );
`;

/** How one invocation of a packaged handler ended. */
export interface BundleOutcome {
  /** Milliseconds to load the handler's module: the init phase's work. */
  initMs: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack: string };
  /** The function's log lines (stdout and stderr). */
  output: string;
}

/**
 * Invokes `handler` (such as `functions/announcement.handler`) from an
 * unpacked bundle in a fresh `node` process that sees only `env`.
 */
export async function invokeBundle(options: {
  taskRoot: string;
  handler: string;
  event: unknown;
  env: NodeJS.ProcessEnv;
  workDir: string;
}): Promise<BundleOutcome> {
  const { taskRoot, handler, workDir } = options;
  mkdirSync(workDir, { recursive: true });
  const runner = join(workDir, 'runner.cjs');
  const eventPath = join(workDir, 'event.json');
  const outcomePath = join(workDir, 'outcome.json');
  writeFileSync(runner, RUNNER);
  writeFileSync(eventPath, JSON.stringify(options.event));
  rmSync(outcomePath, { force: true });

  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [runner, taskRoot, handler, eventPath, outcomePath, '30000'],
      { cwd: taskRoot, env: options.env, timeout: INVOKE_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stdout}${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
  return { ...JSON.parse(readFileSync(outcomePath, 'utf8')), output };
}
