import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { type ItemRun, isReported } from '../batch/run-batch.js';
import type { Observability } from '../observability.js';
import type { RecordOutcome } from './translation-record.js';

type RecordRun = ItemRun<SQSRecord, RecordOutcome>;

/** Counts of one batch, as its summary log line carries them. */
export interface BatchSummary {
  records: number;
  delivered: number;
  dropped: number;
  failed: number;
  invalid: number;
  notTried: number;
  /** Records handed back to SQS in `batchItemFailures`. */
  reported: number;
}

function kindOf(run: RecordRun): keyof BatchSummary {
  if (run.status === 'not_tried') return 'notTried';
  if (run.status === 'threw') return 'failed';
  return run.result.kind;
}

export function summarizeBatch(runs: RecordRun[]): BatchSummary {
  const summary: BatchSummary = {
    records: runs.length,
    delivered: 0,
    dropped: 0,
    failed: 0,
    invalid: 0,
    notTried: 0,
    reported: 0,
  };
  for (const run of runs) {
    summary[kindOf(run)] += 1;
    if (isReported(run)) summary.reported += 1;
  }
  return summary;
}

function notTriedIds(runs: RecordRun[], reason: string): string[] {
  return runs.flatMap((run) =>
    run.status === 'not_tried' && run.reason === reason
      ? [run.item.messageId]
      : [],
  );
}

/**
 * Writes the batch's one summary line (counts only, never text), a warning
 * naming the records handed back untried, and the batch metrics.
 */
export function reportBatch(
  runs: RecordRun[],
  { logger, metrics }: Observability,
): BatchSummary {
  const summary = summarizeBatch(runs);

  for (const run of runs) {
    if (run.status !== 'threw') continue;
    logger.error('translation record failed', {
      sqsMessageId: run.item.messageId,
      error: (run.error as Error)?.message,
    });
  }

  const noTimeLeft = notTriedIds(runs, 'no_time_left');
  const heldBack = notTriedIds(runs, 'held_behind_failure');
  if (noTimeLeft.length > 0 || heldBack.length > 0) {
    logger.warn('translation records handed back untried', {
      noTimeLeft,
      heldBehindFailureInGroup: heldBack,
    });
  }
  logger.info('translation batch done', { ...summary });

  metrics.addMetric('RecordsNotTried', MetricUnit.Count, summary.notTried);
  metrics.addMetric('BatchItemFailures', MetricUnit.Count, summary.reported);
  return summary;
}
