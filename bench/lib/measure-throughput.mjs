import { rotate } from './rotate.mjs';
import { runChild } from './run-child.mjs';
import { median } from './stats.mjs';

/**
 * Runs `variants` (each `{ name, spec, env }`) in the throughput process,
 * `repetitions` times, interleaved. Per variant: the median records/s, the
 * records pushed per process, the largest peak RSS and the failures.
 */
export async function runThroughput(run, variants, repetitions, load) {
  const kept = new Map(variants.map((v) => [v.name, []]));

  for (let round = 0; round < repetitions; round += 1) {
    for (const variant of rotate(variants, round)) {
      const result = await runChild(
        'throughput.mjs',
        { ...variant.spec, ...load },
        { env: variant.env, timeoutMs: run.profile.childTimeoutMs },
      );
      kept.get(variant.name).push(result);
    }
  }

  return Object.fromEntries(
    variants.map((variant) => {
      const results = kept.get(variant.name);
      const pushed = results.reduce((sum, r) => sum + r.pushedTotal, 0);
      return [
        variant.name,
        {
          name: variant.name,
          role: variant.role,
          functionName: variant.functionName,
          runs: results.length,
          records: Math.min(...results.map((r) => r.records)),
          recordsPerSecond: median(results.map((r) => r.recordsPerSecond)),
          peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
          failures: results.reduce((sum, r) => sum + r.failures, 0),
          logBytesPerPush:
            results.reduce((sum, r) => sum + r.stdoutBytes, 0) / pushed,
        },
      ];
    }),
  );
}
