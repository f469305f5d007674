import { eventFor } from '../children/events.mjs';
import { rotate } from './rotate.mjs';
import { runChild } from './run-child.mjs';
import { median } from './stats.mjs';

const PLAIN_METHOD = 'PushToUser';

function variantsOf(run) {
  const { specs, bundles, sample } = run;
  const plainEnv = specs.plainEnv();
  const plain = { method: PLAIN_METHOD, recordBytes: sample.recordBytes };

  return [
    { name: 'bare node', role: 'bare', spec: { kind: 'bare' }, env: plainEnv },
    {
      name: 'plain client',
      role: 'plain',
      spec: specs.plainSpec(PLAIN_METHOD, plain),
      env: plainEnv,
    },
    {
      name: 'plain client + GetObject',
      role: 'plain-s3',
      spec: specs.plainSpec('PushToRoom', {
        recordBytes: sample.clip.size,
        object: sample.clip,
      }),
      env: specs.plainEnv(
        bundles.find((bundle) => bundle.functionName === 'audioUpload'),
      ),
    },
    {
      name: 'plain client, bundled',
      role: 'plain-bundled',
      spec: specs.plainSpec(PLAIN_METHOD, { ...plain, bundled: true }),
      env: plainEnv,
    },
    ...bundles.flatMap((bundle) => {
      const spec = specs.handlerSpec(bundle, {
        event: eventFor(bundle.functionName, {
          bytes: sample.recordBytes,
          object: sample.clip,
        }),
      });
      const handler = {
        name: bundle.functionName,
        role: 'handler',
        functionName: bundle.functionName,
        spec,
        env: specs.handlerEnv(bundle),
      };
      if (!bundle.variables.NODE_OPTIONS) return [handler];

      // What the deployed NODE_OPTIONS (--enable-source-maps) cost.
      const withoutOptions = {
        ...handler,
        name: `${bundle.functionName}, no NODE_OPTIONS`,
        role: 'handler-no-node-options',
        env: specs.handlerEnv(bundle, { NODE_OPTIONS: '' }),
      };
      return [handler, withoutOptions];
    }),
  ];
}

/**
 * Cold starts, interleaved: in each round every variant starts once in a
 * fresh process, which loads its code and answers one event. Times are from
 * spawn to the handler loaded and to the first push answered; medians.
 */
export async function measureColdStart(run) {
  const variants = variantsOf(run);
  const samples = new Map(
    variants.map((v) => [v.name, { loadedMs: [], answeredMs: [], rss: [] }]),
  );

  for (let round = 0; round < run.profile.coldStartRuns; round += 1) {
    for (const variant of rotate(variants, round)) {
      const result = await runChild('cold-start.mjs', variant.spec, {
        env: variant.env,
        timeoutMs: run.profile.childTimeoutMs,
      });
      const kept = samples.get(variant.name);
      kept.loadedMs.push(result.loadedAt - result.spawnedAt);
      kept.answeredMs.push(result.answeredAt - result.spawnedAt);
      kept.rss.push(result.peakRssMb);
    }
  }

  return variants.map((variant) => {
    const kept = samples.get(variant.name);
    return {
      name: variant.name,
      role: variant.role,
      functionName: variant.functionName,
      runs: kept.loadedMs.length,
      loadedMs: median(kept.loadedMs),
      answeredMs: median(kept.answeredMs),
      answeredMinMs: Math.min(...kept.answeredMs),
      answeredMaxMs: Math.max(...kept.answeredMs),
      peakRssMb: Math.max(...kept.rss),
    };
  });
}
