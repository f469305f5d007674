import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, packageBundles } from './support/package-bundles.js';

// Packaging (shared with other test files, cached) plus the quick bench,
// which itself stays under a minute on two cores.
const TEST_TIMEOUT_MS = 480_000;
const BENCH_TIMEOUT_MS = 180_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), 'biz-bench-test-'));

interface Throughput {
  records: number;
  recordsPerSecond: number;
  peakRssMb: number;
  failures: number;
}

function expectPositive(...values: unknown[]) {
  for (const value of values) {
    expect(value).toBeTypeOf('number');
    expect(Number.isFinite(value) && (value as number) > 0).toBe(true);
  }
}

function expectThroughput(row: Throughput) {
  expectPositive(row.records, row.recordsPerSecond, row.peakRssMb);
  expect(row.failures).toBe(0);
}

async function runQuickBench() {
  const packaged = await packageBundles();
  const resultsPath = join(workDir, 'results.json');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['bench/run-bench.mjs', '--quick', '--no-package'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_PACKAGE_DIR: packaged.dir,
        BENCH_RESULTS_PATH: resultsPath,
      },
      timeout: BENCH_TIMEOUT_MS,
      maxBuffer: 4 * 1024 * 1024,
    },
  );
  return { stdout, results: JSON.parse(readFileSync(resultsPath, 'utf8')) };
}

describe('bench', () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it(
    'measures every packaged function in quick mode and writes numbers for each',
    async () => {
      const { stdout, results } = await runQuickBench();

      expect(results.mode).toBe('quick');
      expect(results.machine.cores).toBeGreaterThan(0);
      expect(results.machine.node).toBe(process.version);
      expect(results.missing).toEqual([]);
      expect(
        results.bundles.map((b: { functionName: string }) => b.functionName),
      ).toEqual([...FUNCTION_NAMES]);
      for (const bundle of results.bundles) {
        expectPositive(bundle.packedBytes, bundle.unpackedBytes);
      }

      const coldRoles = results.coldStart.map(
        (row: { role: string; functionName?: string }) =>
          row.functionName ? `${row.role}:${row.functionName}` : row.role,
      );
      expect(coldRoles).toEqual(
        expect.arrayContaining([
          'bare',
          'plain',
          'plain-s3',
          'plain-bundled',
          ...FUNCTION_NAMES.map((name) => `handler:${name}`),
        ]),
      );
      for (const row of results.coldStart) {
        expectPositive(row.loadedMs, row.answeredMs, row.peakRssMb);
      }

      for (const name of FUNCTION_NAMES) {
        const roles = results.warm
          .filter((row: { functionName?: string }) => row.functionName === name)
          .map((row: { role: string }) => row.role);
        expect(roles).toEqual(
          expect.arrayContaining(['handler', 'handler-quiet', 'plain']),
        );
      }
      expect(
        results.warm.some((row: { role: string }) => row.role === 'dial'),
      ).toBe(true);
      for (const row of results.warm) {
        expectPositive(row.pushes, row.medianMs, row.p99Ms, row.peakRssMb);
        expect(row.failures).toBe(0);
      }

      expectThroughput(results.batch.handler);
      expectThroughput(results.batch.quiet);
      expectThroughput(results.batch.plain);
      expectPositive(results.batch.ratio);
      expect(results.memory.length).toBeGreaterThanOrEqual(6);
      for (const row of results.memory) expectThroughput(row);

      // 3 batch sizes x 3 text sizes for translationResult, 3 clip sizes.
      expect(results.growth).toHaveLength(12);
      for (const cell of results.growth) {
        expectThroughput(cell.handler);
        expectThroughput(cell.plain);
      }
      const biggestText = results.growth.find(
        (cell: { functionName: string; requestedBytes: number }) =>
          cell.functionName === 'translationResult' &&
          cell.requestedBytes === 1024 * 1024,
      );
      expect(biggestText.recordBytes).toBeLessThan(biggestText.requestedBytes);
      expect(biggestText.limitedBy).toBe('TRANSLATION_MAX_TEXT_BYTES');

      expect(results.targets.length).toBeGreaterThanOrEqual(8);
      for (const target of results.targets) {
        expectPositive(target.value, target.limit);
        expect(target.met).toBeTypeOf('boolean');
      }
      expectPositive(
        results.pushManagerCalls.PushToRoom,
        results.pushManagerCalls.PushToUser,
        results.pushManagerCalls.BroadcastMessage,
      );
      expect(stdout).toContain('| cold start');
      expect(stdout).toContain('| target');
    },
    TEST_TIMEOUT_MS,
  );
});
