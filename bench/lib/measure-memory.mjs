import { runThroughput } from './measure-throughput.mjs';

const ONE_AT_A_TIME = 1;

/**
 * Peak RSS of warm processes after many pushes, one event at a time:
 * announcement and audioUpload after `memoryPushes` (audioUpload with its
 * small clip), audioUpload with the 1 MiB clip read from s3rver, and the
 * plain client reading the same 1 MiB clip and pushing it. translationResult
 * and the plain PushToUser client come from the batch measurement.
 */
export async function measureMemory(run, batch) {
  const { profile, specs, sample, bigClip } = run;
  const byName = Object.fromEntries(
    run.bundles.map((bundle) => [bundle.functionName, bundle]),
  );
  const many = {
    batchSize: ONE_AT_A_TIME,
    totalRecords: profile.memoryPushes,
    warmupRecords: 0,
    maxMs: profile.memoryMaxMs,
  };
  const big = { ...many, totalRecords: profile.bigClipPushes };
  const cases = [];

  for (const functionName of ['announcement', 'audioUpload']) {
    const bundle = byName[functionName];
    if (!bundle) continue;
    const fields = { recordBytes: sample.recordBytes, object: sample.clip };
    cases.push({
      load: many,
      variant: {
        name: functionName,
        role: 'handler',
        functionName,
        spec: specs.handlerSpec(bundle, fields),
        env: specs.handlerEnv(bundle),
      },
    });
  }

  if (byName.audioUpload) {
    cases.push(
      {
        load: big,
        variant: {
          name: 'audioUpload, 1 MiB clip',
          role: 'handler',
          functionName: 'audioUpload',
          spec: specs.handlerSpec(byName.audioUpload, { object: bigClip }),
          env: specs.handlerEnv(byName.audioUpload),
        },
      },
      {
        load: big,
        variant: {
          name: 'plain GetObject+PushToRoom, 1 MiB',
          role: 'plain-s3',
          spec: specs.plainSpec('PushToRoom', {
            recordBytes: bigClip.size,
            object: bigClip,
          }),
          env: specs.plainEnv(byName.audioUpload),
        },
      },
    );
  }

  const measured = [];
  if (batch) {
    measured.push(
      { ...batch.handler, name: 'translationResult, batch run' },
      { ...batch.plain, name: 'plain PushToUser, batch run' },
    );
  }
  for (const { load, variant } of cases) {
    const results = await runThroughput(run, [variant], 1, load);
    measured.push(results[variant.name]);
  }
  return measured;
}
