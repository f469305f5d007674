import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PACKAGE_TIMEOUT_SECONDS = 300;
const LOCK_WAIT_MS = (PACKAGE_TIMEOUT_SECONDS + 30) * 1000;
const LOCK_POLL_MS = 500;
const CACHE_PREFIX = 'biz-server-package-';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['serverless.yml', 'package.json', 'package-lock.json'];
const SOURCE_DIRS = ['functions', 'lib', 'proto'];

export const FUNCTION_NAMES = [
  'audioUpload',
  'translationResult',
  'announcement',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** What one `serverless package` run produced. */
export interface PackagedService {
  /** The directory holding the zips and templates. */
  readonly dir: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
  readonly template: any;
  readonly zips: Readonly<Record<FunctionName, string>>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

// Everything the package is built from, so a change repackages.
function sourceDigest(): string {
  const files = [
    ...SOURCES.map((name) => join(ROOT, name)),
    ...SOURCE_DIRS.flatMap((dir) => filesUnder(join(ROOT, dir))),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(ROOT, file)).update('\0');
    hash.update(existsSync(file) ? readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

// No credentials, no profile, no instance metadata and a fresh HOME: the
// package step must not need AWS, and this makes sure it cannot reach it.
function offlineEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    npm_config_update_notifier: 'false',
  };
}

async function runPackage(outputDir: string): Promise<void> {
  // Outside the output directory, which `package` empties first.
  const home = `${outputDir}.home`;
  mkdirSync(home, { recursive: true });
  const serverless = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

  try {
    await promisify(execFile)(
      'timeout',
      [
        '--kill-after=10',
        String(PACKAGE_TIMEOUT_SECONDS),
        process.execPath,
        serverless,
        'package',
        '--package',
        outputDir,
      ],
      { cwd: ROOT, env: offlineEnv(home), maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `serverless package failed (timed out after ` +
        `${PACKAGE_TIMEOUT_SECONDS} s if the exit code is 124):\n` +
        `${stdout ?? ''}\n${stderr ?? ''}`,
      { cause: error },
    );
  }
}

function removeOtherCaches(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(CACHE_PREFIX) || path === keep) continue;
    const ageMs = Date.now() - statSync(path).mtimeMs;
    if (ageMs > LOCK_WAIT_MS) rmSync(path, { recursive: true, force: true });
  }
}

function load(dir: string): PackagedService {
  const template = JSON.parse(
    readFileSync(
      join(dir, 'cloudformation-template-update-stack.json'),
      'utf8',
    ),
  );
  const zips = Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, join(dir, `${name}.zip`)]),
  ) as Record<FunctionName, string>;
  return { dir, template, zips };
}

// A lock older than the longest packaging run was left by a killed worker.
function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > LOCK_WAIT_MS;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let packaged: Promise<PackagedService> | undefined;

async function packageOnce(): Promise<PackagedService> {
  const dir = join(tmpdir(), `${CACHE_PREFIX}${sourceDigest()}`);
  const doneMarker = join(dir, '.done');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;

  // Test files run in parallel workers: the first to create the lock
  // directory packages, the others wait for its done marker.
  while (!existsSync(doneMarker)) {
    try {
      mkdirSync(lock);
    } catch {
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) {
        throw new Error(
          `Gave up waiting for another worker to package (${lock}); ` +
            'remove the lock directory if no test run is active.',
        );
      }
      await sleep(LOCK_POLL_MS);
      continue;
    }

    try {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await runPackage(dir);
      writeFileSync(doneMarker, new Date().toISOString());
      removeOtherCaches(dir);
    } finally {
      rmSync(`${dir}.home`, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return load(dir);
}

/**
 * Runs `serverless package` offline once for the current sources and
 * returns its output; later calls, from any test file or worker, reuse it.
 * The output lives in the system temp directory, keyed by a digest of
 * serverless.yml, package files, functions/, lib/ and proto/.
 */
export function packageBundles(): Promise<PackagedService> {
  packaged ??= packageOnce();
  return packaged;
}
