import { rotate } from './rotate.mjs';
import { runChild } from './run-child.mjs';
import { METHOD_OF, QUIET_OBSERVABILITY } from './specs.mjs';
import { median, percentile } from './stats.mjs';

const DIAL_METHOD = 'PushToUser';

function variantsOf(run) {
  const { specs, bundles, sample } = run;
  const variants = [];

  for (const bundle of bundles) {
    const functionName = bundle.functionName;
    const method = METHOD_OF[functionName];
    const isAudio = functionName === 'audioUpload';
    const fields = { recordBytes: sample.recordBytes, object: sample.clip };
    const plainBytes = isAudio ? sample.clip.size : sample.recordBytes;
    const plainEnv = specs.plainEnv(bundle);

    variants.push(
      {
        name: functionName,
        role: 'handler',
        functionName,
        spec: specs.handlerSpec(bundle, fields),
        env: specs.handlerEnv(bundle),
      },
      {
        name: `${functionName}, Powertools off`,
        role: 'handler-quiet',
        functionName,
        spec: specs.handlerSpec(bundle, fields),
        env: specs.handlerEnv(bundle, QUIET_OBSERVABILITY),
      },
      {
        name: `plain ${method}`,
        role: 'plain',
        functionName,
        spec: specs.plainSpec(method, { recordBytes: plainBytes }),
        env: plainEnv,
      },
    );
    if (isAudio) {
      variants.push({
        name: `plain GetObject + ${method}`,
        role: 'plain-s3',
        functionName,
        spec: specs.plainSpec(method, {
          recordBytes: plainBytes,
          object: sample.clip,
        }),
        env: plainEnv,
      });
    }
  }

  variants.push({
    name: `plain ${DIAL_METHOD}, dial per push`,
    role: 'dial',
    spec: specs.plainSpec(DIAL_METHOD, {
      recordBytes: sample.recordBytes,
      dialPerPush: true,
    }),
    env: specs.plainEnv(),
  });
  return variants;
}

/**
 * Per-push latency when warm: each variant in its own process pushes
 * one-record events one after the other; repetitions interleave the
 * variants. Median and p99 over all pushes of all repetitions.
 */
export async function measureWarm(run) {
  const { profile } = run;
  const variants = variantsOf(run);
  const kept = new Map(
    variants.map((v) => [
      v.name,
      { samplesMs: [], failures: 0, stdoutBytes: 0, rss: [] },
    ]),
  );

  for (let round = 0; round < profile.warmRepetitions; round += 1) {
    for (const variant of rotate(variants, round)) {
      const spec = {
        ...variant.spec,
        warmupCount: profile.warmupPushes,
        maxCount: profile.warmPushes,
        maxMs: profile.warmMaxMs,
      };
      const result = await runChild('warm-latency.mjs', spec, {
        env: variant.env,
        timeoutMs: profile.childTimeoutMs,
      });
      const into = kept.get(variant.name);
      into.samplesMs.push(...result.samplesMs);
      into.failures += result.failures;
      into.stdoutBytes += result.stdoutBytes;
      into.pushes = (into.pushes ?? 0) + result.samplesMs.length;
      into.warmups = (into.warmups ?? 0) + result.warmups;
      into.rss.push(result.peakRssMb);
    }
  }

  return variants.map((variant) => {
    const into = kept.get(variant.name);
    return {
      name: variant.name,
      role: variant.role,
      functionName: variant.functionName,
      pushes: into.samplesMs.length,
      medianMs: median(into.samplesMs),
      p99Ms: percentile(into.samplesMs, 0.99),
      failures: into.failures,
      logBytesPerPush: into.stdoutBytes / (into.pushes + into.warmups),
      peakRssMb: Math.max(...into.rss),
    };
  });
}
