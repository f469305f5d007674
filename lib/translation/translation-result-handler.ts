import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { isReported, runBatch } from '../batch/run-batch.js';
import {
  messageGroupOf,
  sqsRecordsOf,
  stringAttribute,
} from '../batch/sqs-records.js';
import { InvalidEventError } from '../errors.js';
import type { FunctionRuntime } from '../function-runtime.js';
import { invocationOf } from '../invocation.js';
import { reportBatch } from './translation-batch-report.js';
import { createTranslationBodyParser } from './translation-body.js';
import { loadTranslationConfig } from './translation-config.js';
import { handleTranslationRecord } from './translation-record.js';

const TRACEPARENT_ATTRIBUTE = 'traceparent';

/**
 * The translationResult handler: pushes each SQS record's translation to its
 * user or room and returns the records SQS should deliver again
 * (ReportBatchItemFailures). Throws InvalidEventError for an event that is
 * not an SQS batch, so Lambda never counts it as handled.
 */
export function createTranslationResultHandler(runtime: FunctionRuntime) {
  const config = loadTranslationConfig(runtime.env);
  const parseBody = createTranslationBodyParser(config.maxTextBytes);
  runtime.metrics.setDefaultDimensions({ messageType: 'TRANSLATION' });

  return async (
    event: SQSEvent,
    context: Context,
  ): Promise<SQSBatchResponse> => {
    runtime.logger.addContext(context);
    try {
      const records = sqsRecordsOf(event);

      const runs = await runBatch({
        items: records,
        orderKeyOf: messageGroupOf,
        concurrency: config.concurrency,
        hasTimeForAnother: () =>
          context.getRemainingTimeInMillis() >= config.timeReserveMs,
        process: (record) =>
          handleTranslationRecord(record, {
            runtime,
            config,
            parseBody,
            invocation: invocationOf(
              context,
              runtime.env,
              stringAttribute(record, TRACEPARENT_ATTRIBUTE),
            ),
          }),
      });

      reportBatch(runs, runtime);
      return {
        batchItemFailures: runs
          .filter(isReported)
          .map((run) => ({ itemIdentifier: run.item.messageId })),
      };
    } catch (error) {
      if (error instanceof InvalidEventError) {
        runtime.logger.error('translation event rejected', {
          error: error.message,
        });
      }
      throw error;
    } finally {
      runtime.metrics.publishStoredMetrics();
    }
  };
}
