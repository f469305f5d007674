// Records per second in a warm process: events of `batchSize` records one
// after the other, as one Lambda environment takes them, until
// `totalRecords` have been pushed or `maxMs` has passed. Then the peak RSS.
import { bounded, peakRssMb, readSpec, report } from './child-support.mjs';
import { createTarget } from './targets.mjs';

const spec = readSpec();
const invoke = await createTarget(spec);

let failures = 0;
const warmupBatches = Math.ceil(spec.warmupRecords / spec.batchSize);
const warmedBatches = await bounded(warmupBatches, spec.maxMs, async () => {
  failures += (await invoke(spec.batchSize)).failures;
});

let records = 0;
let busyMs = 0;
const batches = Math.ceil(spec.totalRecords / spec.batchSize);
await bounded(batches, spec.maxMs, async () => {
  const outcome = await invoke(spec.batchSize);
  records += spec.batchSize;
  busyMs += outcome.durationMs;
  failures += outcome.failures;
});

report({
  records,
  busyMs,
  recordsPerSecond: (records / busyMs) * 1000,
  pushedTotal: records + warmedBatches * spec.batchSize,
  failures,
  peakRssMb: peakRssMb(),
});
process.exit(0);
