import { runThroughput } from './measure-throughput.mjs';

const ONE_AT_A_TIME = 1;
// The target: every function fits the smallest Lambda worth running it in.
export const SMALL_LAMBDA_MEMORY_MB = 128;

/**
 * Peak RSS of warm processes after many pushes, one event at a time:
 * announcement and audioUpload after `memoryPushes` (audioUpload with its
 * small clip), audioUpload with the 1 MiB clip read from s3rver, and the
 * plain client reading the same 1 MiB clip and pushing it. translationResult
 * and the plain PushToUser client come from the batch measurement. Then each
 * function again, with the flags the runtime gives a 128 MB function.
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

  for (const functionName of [
    'translationResult',
    'announcement',
    'audioUpload',
  ]) {
    const bundle = byName[functionName];
    if (!bundle) continue;
    const small = { ...bundle, memoryMb: SMALL_LAMBDA_MEMORY_MB };
    const clips = functionName === 'audioUpload' ? [sample.clip, bigClip] : [];
    for (const object of clips.length > 0 ? clips : [undefined]) {
      const isBig = object === bigClip;
      const name =
        `${functionName}${isBig ? ', 1 MiB clip' : ''}, ` +
        `${SMALL_LAMBDA_MEMORY_MB} MB`;
      cases.push({
        load: isBig ? big : many,
        variant: {
          name,
          role: 'handler-small-lambda',
          functionName,
          spec: specs.handlerSpec(small, {
            recordBytes: sample.recordBytes,
            ...(object && { object }),
          }),
          env: specs.handlerEnv(small),
        },
      });
    }
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
