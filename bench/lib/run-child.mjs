import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MEMORY_MB, lambdaNodeArgs } from './lambda-env.mjs';
import { CHILDREN_DIR } from './paths.mjs';

const STDERR_KEPT_BYTES = 8192;

let logDirectory;
let logCounter = 0;

function nextLogPath() {
  logDirectory ??= mkdtempSync(join(tmpdir(), 'biz-bench-logs-'));
  logCounter += 1;
  return join(logDirectory, `child-${logCounter}.log`);
}

/** Removes the directory of the children's stdout files. */
export function removeChildLogs() {
  if (logDirectory) rmSync(logDirectory, { recursive: true, force: true });
  logDirectory = undefined;
}

/**
 * Runs `bench/children/<script>` in a fresh Node process, with the flags the
 * Lambda runtime passes for the memory size in `env`, and returns what it
 * reported on descriptor 3, with when it was spawned (wall clock, ms), how
 * many bytes it wrote to stdout, and how long it lived. The child's stdout
 * goes to a file, never to a terminal, as Lambda ships stdout away
 * asynchronously; the CPU spent producing the lines is still counted.
 */
export async function runChild(script, spec, options) {
  const { env, timeoutMs, nodeArgs = [] } = options;
  const runtimeArgs = lambdaNodeArgs(
    Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) || DEFAULT_MEMORY_MB,
  );
  const logPath = nextLogPath();
  const logFd = openSync(logPath, 'w');

  const spawnedAt = performance.timeOrigin + performance.now();
  const child = spawn(
    process.execPath,
    [...runtimeArgs, ...nodeArgs, join(CHILDREN_DIR, script)],
    {
      env: { ...env, BENCH_SPEC: JSON.stringify(spec) },
      stdio: ['ignore', logFd, 'pipe', 'pipe'],
    },
  );
  closeSync(logFd);

  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_BYTES);
  });
  let output = '';
  child.stdio[3].on('data', (chunk) => {
    output += chunk;
  });

  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  clearTimeout(timer);
  const exitedAt = performance.timeOrigin + performance.now();
  const stdoutBytes = statSync(logPath).size;
  rmSync(logPath, { force: true });

  const lines = output.split('\n').filter(Boolean);
  if (exit.code !== 0 || lines.length === 0) {
    const how = exit.signal ? `killed by ${exit.signal}` : `code ${exit.code}`;
    throw new Error(
      `bench child ${script} failed (${how}):\n${stderr.trim() || '(no stderr)'}`,
    );
  }

  return {
    ...JSON.parse(lines[lines.length - 1]),
    spawnedAt,
    exitedAt,
    stdoutBytes,
    stderr,
  };
}
