import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { withFolderLock } from '../folder-lock.js';
import { repoRoot } from '../repo-root.js';
import type { StackLog } from '../terminal-log.js';
import {
  PACKAGE_TIMEOUT_MS,
  runServerlessPackage,
} from './run-serverless-package.js';
import { type LocalService, localServiceOf } from './service-template.js';
import { unzip } from './unzip.js';

const PACKAGE_FOLDER = join('.dev', 'package');
const WORK_FOLDER = join('.dev', 'package-work');
const LOCK_FOLDER = join('.dev', 'package.lock');
const UNPACKED_FOLDER = join('.dev', 'functions');
const INPUTS_HASH_FILE = 'inputs.sha256';
const UNPACKED_MARKER = '.unpacked';

// What the build reads: a change to any of these packages afresh.
const INPUT_FILES = [
  'serverless.yml',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const INPUT_FOLDERS = ['functions', 'lib', 'proto'];

/** How the local stage is packaged. */
export interface PackageOptions {
  stage: string;
  /** Stage parameters, as `--param="name=value"`. */
  params: Record<string, string>;
  /** Package even when the sources have not changed. */
  force: boolean;
  log: StackLog;
}

/** The packaged service: what to run and where its code was unpacked. */
export interface PackagedService {
  readonly service: LocalService;
  /** `{service}-{stage}`, the CloudFormation stack's name. */
  readonly stackName: string;
  readonly region: string;
  /** Function logical id -> folder holding its unpacked artifact. */
  readonly codeFolders: Record<string, string>;
  readonly reused: boolean;
}

async function filesUnder(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function inputsHash(root: string, options: PackageOptions) {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([options.stage, options.params]));
  const folders = await Promise.all(
    INPUT_FOLDERS.map((folder) => filesUnder(join(root, folder))),
  );
  const files = [...INPUT_FILES.map((f) => join(root, f)), ...folders.flat()];
  for (const file of files) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

/** Reads the packaged template and unpacks each function's artifact. */
async function unpackedService(
  root: string,
  hash: string,
): Promise<Omit<PackagedService, 'reused'>> {
  const packageFolder = join(root, PACKAGE_FOLDER);
  const read = async (file: string) =>
    JSON.parse(await readFile(join(packageFolder, file), 'utf8'));
  const state = await read('serverless-state.json');
  const { service: serviceName, provider } = state.service;
  const stackName = `${serviceName}-${provider.stage}`;
  const service = localServiceOf(
    await read('cloudformation-template-update-stack.json'),
    `${stackName}-`,
  );

  // One folder per package, never rewritten: a stack already running keeps
  // loading the code it started with.
  const codeFolders: Record<string, string> = {};
  for (const fn of service.functions) {
    const folder = join(root, UNPACKED_FOLDER, hash.slice(0, 16), fn.key);
    if (!existsSync(join(folder, UNPACKED_MARKER))) {
      await rm(folder, { recursive: true, force: true });
      await unzip(join(packageFolder, fn.artifact), folder);
      await writeFile(join(folder, UNPACKED_MARKER), '');
    }
    codeFolders[fn.logicalId] = folder;
  }
  return {
    service,
    stackName,
    region: String(provider.region),
    codeFolders,
  };
}

/**
 * Packages the service exactly as for a deploy (`serverless package`, the
 * same esbuild bundles and zips), then unpacks each function's artifact, so
 * the stack runs the code that would be deployed. A package built from the
 * same sources and options is reused.
 */
export async function packageService(
  options: PackageOptions,
): Promise<PackagedService> {
  const root = repoRoot();
  const packageFolder = join(root, PACKAGE_FOLDER);
  const hashFile = join(packageFolder, INPUTS_HASH_FILE);
  const hash = await inputsHash(root, options);
  const startedAt = Date.now();

  // Two stacks started at once would build into the same folders.
  return withFolderLock(
    join(root, LOCK_FOLDER),
    PACKAGE_TIMEOUT_MS,
    async () => {
      const previous = existsSync(hashFile)
        ? (await readFile(hashFile, 'utf8')).trim()
        : undefined;
      const reused = !options.force && previous === hash;

      if (reused) {
        options.log.info('package', 'sources unchanged: reusing .dev/package');
      } else {
        await rm(packageFolder, { recursive: true, force: true });
        await runServerlessPackage({
          root,
          workFolder: join(root, WORK_FOLDER),
          outputFolder: packageFolder,
          stage: options.stage,
          params: options.params,
          log: options.log,
        });
        await rm(join(root, UNPACKED_FOLDER), { recursive: true, force: true });
        await writeFile(hashFile, `${hash}\n`);
      }

      const unpacked = await unpackedService(root, hash);
      if (!reused) {
        const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
        options.log.info('package', `packaged and unpacked in ${seconds} s`);
      }
      return { ...unpacked, reused };
    },
  );
}
