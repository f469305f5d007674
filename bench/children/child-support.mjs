// Helpers for the measured processes. Only Node built-ins are imported here,
// so that loading this module adds nothing a Lambda runtime would not load.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// The parent reads results from this descriptor; stdout is the handler's.
const RESULT_FD = 3;

/** Wall-clock milliseconds with sub-millisecond precision. */
export function nowEpochMs() {
  return performance.timeOrigin + performance.now();
}

/** Hands one JSON result to the parent. */
export function report(result) {
  writeSync(RESULT_FD, `${JSON.stringify(result)}\n`);
}

/** What the parent asked this process to do. */
export function readSpec() {
  return JSON.parse(process.env.BENCH_SPEC ?? '{}');
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * A Lambda context as the Node.js runtime builds it for one invocation: a
 * fresh request id and a remaining time counting down from `timeoutMs`.
 */
export function lambdaContext(functionName, timeoutMs, memoryMb) {
  const endsAt = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/01/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Sets the X-Ray header as the runtime does before each invocation. */
export function setTraceHeader() {
  const seconds = Math.floor(Date.now() / 1000).toString(16);
  const root = `1-${seconds}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  process.env._X_AMZN_TRACE_ID = `Root=${root};Parent=${parent};Sampled=0`;
}

/** Loads a handler as the Node.js runtime does: import for .mjs, else require. */
export async function loadHandler(file, exportName = 'handler') {
  const module = file.endsWith('.mjs')
    ? await import(pathToFileURL(file).href)
    : createRequire(import.meta.url)(file);
  const handler = module[exportName];
  if (typeof handler !== 'function') {
    throw new Error(`${file} exports no function named ${exportName}`);
  }
  return handler;
}

/** Runs `step` until `maxCount` runs or `maxMs` have passed, whichever first. */
export async function bounded(maxCount, maxMs, step) {
  const endsAt = performance.now() + maxMs;
  let count = 0;
  while (count < maxCount && performance.now() < endsAt) {
    await step(count);
    count += 1;
  }
  return count;
}
