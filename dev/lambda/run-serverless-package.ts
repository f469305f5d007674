import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { StackLog } from '../terminal-log.js';

// `serverless package` can hang after an esbuild error; it is stopped then.
export const PACKAGE_TIMEOUT_MS = 180_000;
// Not mirrored into the work folder: build output and tool state.
const NOT_MIRRORED = new Set([
  '.git',
  '.dev',
  '.esbuild',
  '.serverless',
  'serverless.yml',
]);

/**
 * A folder that mirrors the checkout through symbolic links, with its own
 * copy of serverless.yml (osls wants a real file). serverless-esbuild builds
 * in `.esbuild/` under the service folder; building here keeps that out of
 * the checkout, where another `serverless package` may be running.
 */
async function mirrorCheckout(root: string, folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  for (const entry of await readdir(root)) {
    if (NOT_MIRRORED.has(entry)) continue;
    await symlink(join(root, entry), join(folder, entry));
  }
  await copyFile(join(root, 'serverless.yml'), join(folder, 'serverless.yml'));
}

export interface ServerlessPackageRun {
  root: string;
  /** Where the mirror is built. */
  workFolder: string;
  /** Where the zips and templates go. */
  outputFolder: string;
  stage: string;
  params: Record<string, string>;
  log: StackLog;
}

/**
 * Runs `serverless package` for a stage, as `npm run package` does, with
 * its output in `outputFolder`; build errors are logged and reject.
 */
export async function runServerlessPackage(run: ServerlessPackageRun) {
  await mirrorCheckout(run.root, run.workFolder);
  const serverless = join(
    run.root,
    'node_modules',
    'osls',
    'bin',
    'serverless.js',
  );
  const args = [
    serverless,
    'package',
    '--stage',
    run.stage,
    '--package',
    run.outputFolder,
    ...Object.entries(run.params).map(([k, v]) => `--param=${k}=${v}`),
  ];
  run.log.info('package', `serverless ${args.slice(1).join(' ')}`);

  const child = spawn(process.execPath, args, {
    cwd: run.workFolder,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) lines.push(line);
    });
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), PACKAGE_TIMEOUT_MS);

  try {
    const [code, signal] = await new Promise<[number | null, string | null]>(
      (resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (exitCode, exitSignal) =>
          resolve([exitCode, exitSignal]),
        );
      },
    );
    if (code === 0) return;

    for (const line of lines.slice(-30)) run.log.error('package', line);
    const why = signal
      ? `was stopped after ${PACKAGE_TIMEOUT_MS / 1000} s`
      : `exited with ${code}`;
    throw new Error(
      `serverless package ${why}: fix the build errors above, then start again`,
    );
  } finally {
    clearTimeout(timer);
    await rm(run.workFolder, { recursive: true, force: true });
  }
}
