import type { InvocationResult } from '../lambda/local-function.js';

/** Which messages of a batch Lambda deletes and which return to the queue. */
export interface BatchOutcome {
  failedIds: Set<string>;
  /** Why the whole batch failed, when it did. */
  wholeBatchFailed?: string;
}

/**
 * Reads the function's answer as Lambda's SQS poller does with
 * ReportBatchItemFailures: no answer, or an empty or null list, deletes the
 * batch; listed ids return; an error, or an id that is empty, missing or
 * not in the batch, fails the whole batch
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
export function batchOutcome(
  result: InvocationResult,
  batchIds: string[],
  reportsItemFailures: boolean,
): BatchOutcome {
  const all = new Set(batchIds);
  if (!result.ok) {
    return {
      failedIds: all,
      wholeBatchFailed: `${result.errorType}: ${result.errorMessage}`,
    };
  }
  if (!reportsItemFailures) return { failedIds: new Set() };

  const answer = result.result as { batchItemFailures?: unknown } | null;
  const failures = answer?.batchItemFailures;
  if (failures === undefined || failures === null) {
    return { failedIds: new Set() };
  }
  if (!Array.isArray(failures)) {
    return {
      failedIds: all,
      wholeBatchFailed: 'batchItemFailures is not a list',
    };
  }

  const failedIds = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) {
      return {
        failedIds: all,
        wholeBatchFailed: `itemIdentifier ${JSON.stringify(id)} is not in the batch`,
      };
    }
    failedIds.add(id);
  }
  return { failedIds };
}
