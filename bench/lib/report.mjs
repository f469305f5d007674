import { bytes, markdownTable, num } from './markdown-table.mjs';

function machineLines({ machine, mode, startedAt, durationS }) {
  return [
    `${startedAt}, ${mode} run of ${num(durationS, 0)} s`,
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryMb} MB, ` +
      `${machine.os}, Node ${machine.node}`,
    `load average (1 min) at start ${num(machine.loadAverage1m, 2)}, ` +
      `at end ${num(machine.loadAverage1mAtEnd, 2)}`,
  ].join('\n');
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
      'range',
      'x plain',
      'RSS MB',
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
      'warm, 1 push/event',
      'pushes',
      'median ms',
      'p99 ms',
      'x base',
      'log B',
      'RSS MB',
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
    [title, 'records', 'records/s', 'log B', 'RSS MB'],
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
  const table = markdownTable(
    [
      'growth',
      'batch',
      'record',
      'records',
      'rec/s',
      'plain',
      'x plain',
      'RSS',
      'plain',
    ],
    cells.map((c) => [
      c.functionName,
      c.batchSize,
      `${bytes(c.recordBytes)}${c.limitedBy ? '*' : ''}`,
      c.handler.records,
      num(c.handler.recordsPerSecond, 0),
      num(c.plain.recordsPerSecond, 0),
      num(c.ratio, 2),
      num(c.handler.peakRssMb),
      num(c.plain.peakRssMb),
    ]),
  );
  const limited = cells.find((c) => c.limitedBy);
  if (!limited) return table;
  return (
    `${table}\n* ${bytes(limited.requestedBytes)} asked; the handler accepts ` +
    `at most ${bytes(limited.recordBytes)} (${limited.limitedBy})`
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

/**
 * The whole run as Markdown tables within 100 columns: what the terminal
 * shows and BENCHMARKS.md holds. Times in ms, RSS in MB (peak), "log B" is
 * stdout bytes per push.
 */
export function renderReport(results) {
  const sections = [
    machineLines(results),
    bundleTable(results.bundles),
    coldStartTable(results.coldStart),
    warmTable(results.warm),
  ];
  if (results.batch) {
    const { batchSize, concurrency, ratio } = results.batch;
    sections.push(
      throughputTable(
        `batch ${batchSize}, concurrency ${concurrency}: x plain ${num(ratio, 2)}`,
        [
          results.batch.handler,
          results.batch.quiet,
          results.batch.plain,
        ].filter(Boolean),
      ),
    );
  }
  sections.push(
    throughputTable('memory, 1 event at a time', results.memory),
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
