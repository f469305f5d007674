import { pushConcurrency } from './function-limits.mjs';
import { runThroughput } from './measure-throughput.mjs';
import { BATCH_SIZE } from './profiles.mjs';
import { QUIET_OBSERVABILITY } from './specs.mjs';

/**
 * translationResult on SQS batches of BATCH_SIZE records against the plain
 * client making the same PushToUser calls, PUSH_CONCURRENCY at a time; and
 * the handler with Powertools off, to show what logging and metrics cost.
 */
export async function measureBatch(run) {
  const bundle = run.bundles.find(
    (b) => b.functionName === 'translationResult',
  );
  if (!bundle) return undefined;

  const { profile, specs, sample } = run;
  const concurrency = pushConcurrency(bundle);
  const load = {
    batchSize: BATCH_SIZE,
    recordBytes: sample.recordBytes,
    totalRecords: profile.batchRecords,
    warmupRecords: profile.batchWarmupRecords,
    maxMs: profile.batchMaxMs,
  };
  const variants = [
    {
      name: 'translationResult',
      role: 'handler',
      functionName: 'translationResult',
      spec: specs.handlerSpec(bundle),
      env: specs.handlerEnv(bundle),
    },
    {
      name: 'translationResult, Powertools off',
      role: 'handler-quiet',
      functionName: 'translationResult',
      spec: specs.handlerSpec(bundle),
      env: specs.handlerEnv(bundle, QUIET_OBSERVABILITY),
    },
    {
      name: 'plain PushToUser',
      role: 'plain',
      spec: specs.plainSpec('PushToUser', { concurrency }),
      env: specs.plainEnv(bundle),
    },
  ];

  const results = await runThroughput(
    run,
    variants,
    profile.batchRepetitions,
    load,
  );
  return {
    batchSize: BATCH_SIZE,
    concurrency,
    recordBytes: sample.recordBytes,
    handler: results.translationResult,
    quiet: results['translationResult, Powertools off'],
    plain: results['plain PushToUser'],
  };
}
