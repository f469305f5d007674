import { maxTextBytes, pushConcurrency } from './function-limits.mjs';
import { runThroughput } from './measure-throughput.mjs';
import {
  AUDIO_CLIP_BYTES,
  GROWTH_BATCH_SIZES,
  GROWTH_RECORD_BYTES,
} from './profiles.mjs';

function recordsFor(profile, recordBytes, batchSize) {
  const byPayload = Math.floor(profile.growthMaxPayloadBytes / recordBytes);
  const records = Math.min(profile.growthMaxRecords, byPayload);
  return Math.max(batchSize, records - (records % batchSize));
}

async function measureCell(run, cell, variants) {
  const load = {
    batchSize: cell.batchSize,
    recordBytes: cell.recordBytes,
    totalRecords: recordsFor(run.profile, cell.recordBytes, cell.batchSize),
    warmupRecords: cell.batchSize,
    maxMs: run.profile.growthMaxMs,
  };
  const results = await runThroughput(run, variants, 1, load);
  const [handler, plain] = variants.map((variant) => results[variant.name]);
  return { ...cell, handler, plain };
}

function translationCells(run, bundle) {
  const limit = maxTextBytes(bundle);
  const concurrency = pushConcurrency(bundle);
  return GROWTH_BATCH_SIZES.flatMap((batchSize) =>
    GROWTH_RECORD_BYTES.map((requestedBytes) => ({
      cell: {
        functionName: 'translationResult',
        batchSize,
        requestedBytes,
        recordBytes: Math.min(requestedBytes, limit),
        limitedBy:
          requestedBytes > limit ? 'TRANSLATION_MAX_TEXT_BYTES' : undefined,
      },
      variants: [
        {
          name: 'translationResult',
          role: 'handler',
          spec: run.specs.handlerSpec(bundle),
          env: run.specs.handlerEnv(bundle),
        },
        {
          name: 'plain PushToUser',
          role: 'plain',
          spec: run.specs.plainSpec('PushToUser', {
            concurrency: Math.min(concurrency, batchSize),
          }),
          env: run.specs.plainEnv(bundle),
        },
      ],
    })),
  );
}

function audioCells(run, bundle) {
  return AUDIO_CLIP_BYTES.map((clipBytes) => {
    const object = run.clips[clipBytes];
    return {
      cell: {
        functionName: 'audioUpload',
        batchSize: 1,
        requestedBytes: clipBytes,
        recordBytes: clipBytes,
      },
      variants: [
        {
          name: 'audioUpload',
          role: 'handler',
          spec: run.specs.handlerSpec(bundle, { object }),
          env: run.specs.handlerEnv(bundle),
        },
        {
          name: 'plain GetObject + PushToRoom',
          role: 'plain-s3',
          spec: run.specs.plainSpec('PushToRoom', {
            recordBytes: clipBytes,
            object,
          }),
          env: run.specs.plainEnv(bundle),
        },
      ],
    };
  });
}

/**
 * Throughput and peak RSS as events grow: translationResult at each batch
 * size and record size (text capped at what the handler accepts), and
 * audioUpload at each clip size; each beside the plain client doing the
 * same calls. Each cell runs in fresh processes.
 */
export async function measureGrowth(run) {
  const byName = Object.fromEntries(
    run.bundles.map((bundle) => [bundle.functionName, bundle]),
  );
  const cells = [
    ...(byName.translationResult
      ? translationCells(run, byName.translationResult)
      : []),
    ...(byName.audioUpload ? audioCells(run, byName.audioUpload) : []),
  ];

  const measured = [];
  for (const { cell, variants } of cells) {
    measured.push(await measureCell(run, cell, variants));
  }
  return measured;
}
