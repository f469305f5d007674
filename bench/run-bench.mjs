#!/usr/bin/env node
// The Biz-Server benchmark: cold start, warm per-push latency, batch
// throughput, memory and growth of the packaged functions, side by side with
// a plain grpc-js client, against a grpc-js Push-Manager on 127.0.0.1.
//
//   npm run bench                 full run (about 15-25 minutes on 2 cores)
//   npm run bench -- --quick      the same measurements, tiny counts
//   options: --no-package (use the zips as they are), --package (rebuild),
//            --render FILE (print the tables of an earlier results file)
//   env: BENCH_QUICK=1, BENCH_RESULTS_PATH (default bench/results.json),
//        BENCH_PACKAGE_DIR (where the zips are, default .serverless)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packagesAreFresh, unpackBundles } from './lib/bundles.mjs';
import { describeMachine } from './lib/machine.mjs';
import { measureBatch } from './lib/measure-batch.mjs';
import { measureColdStart } from './lib/measure-cold-start.mjs';
import { measureGrowth } from './lib/measure-growth.mjs';
import { measureMemory } from './lib/measure-memory.mjs';
import { measureWarm } from './lib/measure-warm.mjs';
import { CHILDREN_DIR, RESULTS_PATH, ROOT } from './lib/paths.mjs';
import { bundlePlainClient } from './lib/plain-bundle.mjs';
import { prepareClips } from './lib/prepare-clips.mjs';
import {
  PROFILES,
  SAMPLE_RECORD_BYTES,
  SMALL_CLIP_BYTES,
} from './lib/profiles.mjs';
import { renderReport } from './lib/report.mjs';
import { removeChildLogs } from './lib/run-child.mjs';
import { startServices } from './lib/services.mjs';
import { createSpecs } from './lib/specs.mjs';
import { evaluateTargets } from './lib/targets.mjs';

const PACKAGE_TIMEOUT_S = 300;
const RESULTS_SCHEMA_VERSION = 1;

const argv = process.argv.slice(2);
const quick =
  argv.includes('--quick') || ['1', 'true'].includes(process.env.BENCH_QUICK);
const mode = quick ? 'quick' : 'full';
const profile = PROFILES[mode];
const resultsPath = process.env.BENCH_RESULTS_PATH || RESULTS_PATH;
const benchStartedAt = performance.now();

function progress(message) {
  const seconds = (performance.now() - benchStartedAt) / 1000;
  process.stderr.write(`[bench ${seconds.toFixed(0)} s] ${message}\n`);
}

function ensurePackages() {
  if (argv.includes('--no-package')) return;
  if (!argv.includes('--package') && packagesAreFresh()) return;

  progress('packaging: npm run package');
  const packaged = spawnSync(
    'timeout',
    [String(PACKAGE_TIMEOUT_S), 'npm', 'run', 'package'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (packaged.status !== 0) {
    throw new Error(
      `npm run package failed (status ${packaged.status}): fix the build, ` +
        'or run with --no-package to measure the zips already in .serverless',
    );
  }
}

async function measure(run) {
  progress(`cold start, ${profile.coldStartRuns} rounds`);
  const coldStart = await measureColdStart(run);
  progress('warm per-push latency');
  const warm = await measureWarm(run);
  progress('batch throughput');
  const batch = await measureBatch(run);
  progress('memory');
  const memory = await measureMemory(run, batch);
  progress('growth');
  const growth = await measureGrowth(run);
  return { coldStart, warm, batch, memory, growth };
}

async function main() {
  ensurePackages();
  const unpacked = unpackBundles();
  const services = await startServices();

  try {
    const clips = await prepareClips(services);
    const run = {
      profile,
      bundles: unpacked.bundles,
      clips,
      sample: {
        recordBytes: SAMPLE_RECORD_BYTES,
        clip: clips[SMALL_CLIP_BYTES],
      },
      bigClip: clips[1024 * 1024],
    };
    const startedAt = new Date().toISOString();
    const machine = describeMachine();
    run.specs = createSpecs(services, {
      source: join(CHILDREN_DIR, 'plain-client.mjs'),
      bundled: await bundlePlainClient(unpacked.workDir),
    });

    const measured = await measure(run);
    const results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      mode,
      startedAt,
      durationS: (performance.now() - benchStartedAt) / 1000,
      machine: {
        ...machine,
        loadAverage1mAtEnd: describeMachine().loadAverage1m,
      },
      profile,
      stdout: 'each measured process writes stdout to a file, not a terminal',
      bundles: unpacked.bundles.map(
        ({ functionName, zip, packedBytes, unpackedBytes }) => ({
          functionName,
          zip: zip.slice(ROOT.length),
          packedBytes,
          unpackedBytes,
        }),
      ),
      missing: unpacked.missing,
      ...measured,
      pushManagerCalls: await services.callCounts(),
    };
    results.targets = evaluateTargets(results);

    writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
    console.log(renderReport(results));
    progress(`results written to ${resultsPath}`);
  } finally {
    await services.stop();
    unpacked.remove();
    removeChildLogs();
  }
}

const renderIndex = argv.indexOf('--render');
if (renderIndex >= 0) {
  const file = argv[renderIndex + 1] ?? resultsPath;
  console.log(renderReport(JSON.parse(readFileSync(file, 'utf8'))));
} else {
  await main();
}
