import { bytes, markdownTable, num } from './markdown-table.mjs';

function machineLine({ machine, mode, startedAt, durationS }) {
  return (
    `${startedAt} - ${mode} run, ${num(durationS, 0)} s - ${machine.cpuModel}, ` +
    `${machine.cores} cores, ${machine.totalMemoryMb} MB, ${machine.os}, ` +
    `Node ${machine.node}, load average at start ${num(machine.loadAverage1m, 2)}`
  );
}

function bundleTable(bundles) {
  return markdownTable(
    ['function', 'zip', 'unpacked'],
    bundles.map((b) => [
      b.functionName,
      bytes(b.packedBytes),
      bytes(b.unpackedBytes),
    ]),
  );
}

function coldStartTable(rows) {
  return markdownTable(
    [
      'cold start',
      'runs',
      'loaded ms',
      'answered ms',
      'min-max ms',
      'x plain',
      'peak RSS MB',
    ],
    rows.map((r) => [
      r.name,
      r.runs,
      num(r.loadedMs),
      num(r.answeredMs),
      `${num(r.answeredMinMs, 0)}-${num(r.answeredMaxMs, 0)}`,
      num(r.answeredRatio, 2),
      num(r.peakRssMb),
    ]),
  );
}

function warmTable(rows) {
  return markdownTable(
    [
      'warm, one push per event',
      'pushes',
      'median ms',
      'p99 ms',
      'x baseline',
      'stdout B/push',
      'peak RSS MB',
    ],
    rows.map((r) => [
      r.name,
      r.pushes,
      num(r.medianMs, 3),
      num(r.p99Ms, 3),
      num(r.medianRatio, 2),
      num(r.logBytesPerPush, 0),
      num(r.peakRssMb),
    ]),
  );
}

function throughputTable(title, rows) {
  return markdownTable(
    [title, 'records', 'records/s', 'stdout B/push', 'peak RSS MB'],
    rows.map((r) => [
      r.name,
      r.records,
      num(r.recordsPerSecond, 0),
      num(r.logBytesPerPush, 0),
      num(r.peakRssMb),
    ]),
  );
}

function growthTable(cells) {
  return markdownTable(
    [
      'growth',
      'batch',
      'record',
      'records',
      'records/s',
      'plain records/s',
      'x plain',
      'peak RSS MB',
      'plain RSS MB',
    ],
    cells.map((c) => [
      c.functionName,
      c.batchSize,
      c.limitedBy
        ? `${bytes(c.recordBytes)} (asked ${bytes(c.requestedBytes)})`
        : bytes(c.recordBytes),
      c.handler.records,
      num(c.handler.recordsPerSecond, 0),
      num(c.plain.recordsPerSecond, 0),
      num(c.ratio, 2),
      num(c.handler.peakRssMb),
      num(c.plain.peakRssMb),
    ]),
  );
}

function targetTable(targets) {
  return markdownTable(
    ['target', 'measured', 'limit', 'met'],
    targets.map((t) => [
      t.name,
      num(t.value, 2),
      `${t.comparison} ${t.limit}`,
      t.met ? 'yes' : 'NO',
    ]),
  );
}

/** The whole run as Markdown: the terminal table and BENCHMARKS.md's. */
export function renderReport(results) {
  const sections = [
    machineLine(results),
    bundleTable(results.bundles),
    coldStartTable(results.coldStart),
    warmTable(results.warm),
  ];
  if (results.batch) {
    const { batchSize, concurrency } = results.batch;
    sections.push(
      throughputTable(
        `batches of ${batchSize}, concurrency ${concurrency}, ` +
          `x plain ${num(results.batch.ratio, 2)}`,
        [results.batch.handler, results.batch.plain],
      ),
    );
  }
  sections.push(
    throughputTable('memory, one event at a time', results.memory),
    growthTable(results.growth),
    targetTable(results.targets),
  );
  if (results.missing.length > 0) {
    sections.push(
      `Not measured (no packaged bundle): ${results.missing.join(', ')}`,
    );
  }
  return sections.join('\n\n');
}
