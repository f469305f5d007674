import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

const DEFAULT_PACKAGE_DIR = join(ROOT, '.serverless');
const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';
const HANDLER_EXTENSIONS = ['.js', '.cjs', '.mjs'];
// What packaging reads: a newer file than the zips means they are stale.
const PACKAGE_INPUTS = [
  'functions',
  'lib',
  'proto',
  'serverless.yml',
  'package.json',
  'package-lock.json',
];

/** The functions this bundle ships, as serverless.yml names them. */
export const FUNCTION_NAMES = [
  'audioUpload',
  'translationResult',
  'announcement',
];

/** Where the zips are: BENCH_PACKAGE_DIR, or `.serverless`. */
export function packageDir() {
  return process.env.BENCH_PACKAGE_DIR || DEFAULT_PACKAGE_DIR;
}

function newestMtimeMs(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(
    stats.mtimeMs,
    ...readdirSync(path).map((name) => newestMtimeMs(join(path, name))),
  );
}

function directoryBytes(path) {
  return readdirSync(path, { withFileTypes: true }).reduce(
    (total, entry) =>
      total +
      (entry.isDirectory()
        ? directoryBytes(join(path, entry.name))
        : statSync(join(path, entry.name)).size),
    0,
  );
}

function findZip(functionName) {
  const dir = packageDir();
  if (!existsSync(dir)) return undefined;
  const zips = readdirSync(dir).filter((name) => name.endsWith('.zip'));
  const name =
    zips.find((zip) => zip === `${functionName}.zip`) ??
    zips.find((zip) => zip.endsWith(`-${functionName}.zip`));
  return name && join(dir, name);
}

/**
 * The Lambda function resources of the packaged CloudFormation template,
 * by function name: handler, memory, timeout and environment exactly as
 * they would be deployed.
 */
function deployedFunctions() {
  const path = join(packageDir(), TEMPLATE_FILE);
  if (!existsSync(path)) return {};
  const { Resources: resources = {} } = JSON.parse(readFileSync(path, 'utf8'));

  return Object.fromEntries(
    FUNCTION_NAMES.map((name) => {
      const logicalId = `${name[0].toUpperCase()}${name.slice(1)}LambdaFunction`;
      return [name, resources[logicalId]?.Properties];
    }),
  );
}

// Literal values only: references (such as a queue's URL) exist once
// deployed, and the bench sets the addresses it needs itself.
function literalVariables(properties) {
  const variables = properties?.Environment?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(variables).filter(([, value]) => typeof value === 'string'),
  );
}

/** Whether every function has a zip newer than the sources it is built from. */
export function packagesAreFresh() {
  const zips = FUNCTION_NAMES.map(findZip);
  if (zips.some((zip) => zip === undefined)) return false;

  const newestInput = Math.max(
    ...PACKAGE_INPUTS.map((input) => newestMtimeMs(join(ROOT, input))),
  );
  return zips.every((zip) => statSync(zip).mtimeMs >= newestInput);
}

function locateHandler(zip, taskRoot, handler) {
  const dot = handler.lastIndexOf('.');
  const stem = handler.slice(0, dot);
  const file = HANDLER_EXTENSIONS.map((ext) => join(taskRoot, stem + ext)).find(
    existsSync,
  );
  if (!file) {
    throw new Error(
      `${zip} holds no ${stem}.js for handler ${handler}: run ` +
        '`npm run package` again and check serverless.yml.',
    );
  }
  return { handlerFile: file, exportName: handler.slice(dot + 1) };
}

/**
 * Unpacks each function's zip into a temporary directory, as Lambda does
 * into /var/task, and describes it with its deployed settings. Functions
 * without a zip or template entry are listed in `missing`.
 */
export function unpackBundles() {
  const deployed = deployedFunctions();
  const workDir = mkdtempSync(join(tmpdir(), 'biz-bench-bundles-'));
  const bundles = [];
  const missing = [];

  for (const functionName of FUNCTION_NAMES) {
    const zip = findZip(functionName);
    const properties = deployed[functionName];
    if (!zip || !properties?.Handler) {
      missing.push(functionName);
      continue;
    }

    const taskRoot = join(workDir, functionName);
    execFileSync('unzip', ['-q', '-o', zip, '-d', taskRoot]);
    bundles.push({
      functionName,
      zip,
      taskRoot,
      ...locateHandler(zip, taskRoot, properties.Handler),
      memoryMb: properties.MemorySize,
      timeoutMs: properties.Timeout * 1000,
      variables: literalVariables(properties),
      packedBytes: statSync(zip).size,
      unpackedBytes: directoryBytes(taskRoot),
    });
  }

  return {
    bundles,
    missing,
    workDir,
    remove: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
