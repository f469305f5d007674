import { ratio } from './stats.mjs';

/** The ratios the bench is held to, within one run. */
export const TARGETS = {
  coldStartRatio: { translationResult: 1, announcement: 1, audioUpload: 1.5 },
  warmMedianRatio: 1.2,
  batchThroughputRatio: 0.9,
  peakRssMb: 100,
};

function target(name, value, limit, atLeast = false) {
  const met = Number.isFinite(value)
    ? atLeast
      ? value >= limit
      : value <= limit
    : false;
  return { name, value, limit, comparison: atLeast ? '>=' : '<=', met };
}

function coldStartTargets(coldStart) {
  const plain = coldStart.find((v) => v.role === 'plain');
  return coldStart
    .filter((v) => v.role === 'handler')
    .map((v) =>
      target(
        `cold start ${v.name} / plain client`,
        ratio(v.answeredMs, plain?.answeredMs),
        TARGETS.coldStartRatio[v.name] ?? 1,
      ),
    );
}

// audioUpload reads its clip from S3 before pushing: its fair baseline is
// the plain client doing the same GetObject and push.
function warmBaseline(warm, functionName) {
  const role = functionName === 'audioUpload' ? 'plain-s3' : 'plain';
  return warm.find((v) => v.functionName === functionName && v.role === role);
}

function warmTargets(warm) {
  return warm
    .filter((v) => v.role === 'handler')
    .map((v) => {
      const baseline = warmBaseline(warm, v.functionName);
      return target(
        `warm median ${v.name} / ${baseline?.name}`,
        ratio(v.medianMs, baseline?.medianMs),
        TARGETS.warmMedianRatio,
      );
    });
}

// Every process that ran a function's handler: cold, warm, memory, growth.
function peakRssOf(results, functionName) {
  const isHandler = (row) =>
    row?.functionName === functionName && row.role.startsWith('handler');
  const rows = [
    ...results.coldStart.filter(isHandler),
    ...results.warm.filter(isHandler),
    ...results.memory.filter(isHandler),
    ...results.growth
      .filter((cell) => cell.functionName === functionName)
      .map((cell) => cell.handler),
  ];
  return Math.max(...rows.map((row) => row.peakRssMb));
}

// The processes that ran a function with a 128 MB function's flags.
function smallLambdaRssOf(results, functionName) {
  const rows = results.memory.filter(
    (row) =>
      row?.functionName === functionName && row.role === 'handler-small-lambda',
  );
  return Math.max(...rows.map((row) => row.peakRssMb));
}

function rssTargets(results) {
  return results.bundles.flatMap(({ functionName }) => [
    target(
      `peak RSS of ${functionName} as a 128 MB function, MB`,
      smallLambdaRssOf(results, functionName),
      TARGETS.peakRssMb,
    ),
    target(
      `peak RSS of any ${functionName} process, MB (informative)`,
      peakRssOf(results, functionName),
      TARGETS.peakRssMb,
    ),
  ]);
}

/** Adds ratios to the rows and lists every target, met or not. */
export function evaluateTargets(results) {
  const plainCold = results.coldStart.find((v) => v.role === 'plain');
  for (const v of results.coldStart) {
    v.answeredRatio = ratio(v.answeredMs, plainCold?.answeredMs);
    v.loadedRatio = ratio(v.loadedMs, plainCold?.loadedMs);
  }
  for (const v of results.warm) {
    if (v.role === 'handler' || v.role === 'handler-quiet')
      v.medianRatio = ratio(
        v.medianMs,
        warmBaseline(results.warm, v.functionName)?.medianMs,
      );
  }
  if (results.batch) {
    const { handler, quiet, plain } = results.batch;
    results.batch.ratio = ratio(
      handler.recordsPerSecond,
      plain.recordsPerSecond,
    );
    results.batch.quietRatio = ratio(
      quiet?.recordsPerSecond,
      plain.recordsPerSecond,
    );
  }
  for (const cell of results.growth) {
    cell.ratio = ratio(
      cell.handler.recordsPerSecond,
      cell.plain.recordsPerSecond,
    );
  }

  return [
    ...coldStartTargets(results.coldStart),
    ...warmTargets(results.warm),
    ...(results.batch
      ? [
          target(
            'batch throughput translationResult / plain',
            results.batch.ratio,
            TARGETS.batchThroughputRatio,
            true,
          ),
        ]
      : []),
    ...rssTargets(results),
  ];
}
