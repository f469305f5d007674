import { pushConcurrency } from './function-limits.mjs';
import { runThroughput } from './measure-throughput.mjs';
import { BATCH_SIZE } from './profiles.mjs';

/**
 * translationResult on SQS batches of BATCH_SIZE records against the plain
 * client making the same PushToUser calls, PUSH_CONCURRENCY at a time.
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
    plain: results['plain PushToUser'],
  };
}
