// Per-push latency in a warm process: after a warm-up, one-record events
// one after the other, bounded in count and in time.
import { bounded, peakRssMb, readSpec, report } from './child-support.mjs';
import { createTarget } from './targets.mjs';

const spec = readSpec();
const invoke = await createTarget(spec);

let failures = 0;
const warmups = await bounded(spec.warmupCount, spec.maxMs, async () => {
  failures += (await invoke(1)).failures;
});

const samplesMs = [];
await bounded(spec.maxCount, spec.maxMs, async () => {
  const outcome = await invoke(1);
  samplesMs.push(outcome.durationMs);
  failures += outcome.failures;
});

report({ samplesMs, warmups, failures, peakRssMb: peakRssMb() });
process.exit(0);
