import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const INVOKE_TIMEOUT_MS = 60_000;

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Unpacks a zip as `serverless package` writes it (stored or deflated
 * entries, no zip64) into `dir`, as Lambda unpacks it into /var/task.
 * Returns the paths of the files, relative to `dir`.
 */
export function unzipTo(zipPath: string, dir: string): string[] {
  const zip = readFileSync(zipPath);
  const end = zip.lastIndexOf(
    Buffer.from([0x50, 0x4b, 0x05, 0x06]),
    zip.length - 22,
  );
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) {
    throw new Error(`${zipPath} is not a zip archive`);
  }

  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let entry = 0; entry < entries; entry += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) {
      throw new Error(`${zipPath}: corrupt central directory`);
    }
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;

    if (zip.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) {
      throw new Error(`${zipPath}: corrupt local header of ${name}`);
    }
    const dataStart =
      localHeader +
      30 +
      zip.readUInt16LE(localHeader + 26) +
      zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== STORED && method !== DEFLATED) {
      throw new Error(`${zipPath}: ${name} uses compression method ${method}`);
    }

    const target = join(dir, name);
    if (relative(dir, target).startsWith('..')) {
      throw new Error(`${zipPath}: ${name} points outside the archive`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, method === DEFLATED ? inflateRawSync(data) : data);
    names.push(name);
  }
  return names;
}

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
