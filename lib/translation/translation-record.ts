import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { PushFailedError } from '../errors.js';
import type { FunctionRuntime } from '../function-runtime.js';
import type { Invocation, PushContent, PushOutcome } from '../push-types.js';
import type { BodyParse, TranslationTarget } from './translation-body.js';
import type { TranslationConfig } from './translation-config.js';
import { translationContent } from './translation-content.js';

/** Why a pushed translation reached nobody. */
export type UndeliveredReason =
  | 'user_offline'
  | 'room_not_found'
  | 'room_empty';

/** What became of one record; `verdict` tells the batch runner. */
export type RecordOutcome =
  | { verdict: 'done'; kind: 'delivered' }
  | { verdict: 'done'; kind: 'dropped'; reason: UndeliveredReason }
  | {
      verdict: 'retry';
      kind: 'failed';
      reason: UndeliveredReason | 'push_failed' | 'unexpected_error';
    }
  | { verdict: 'reject'; kind: 'invalid' };

export interface RecordContext {
  readonly runtime: FunctionRuntime;
  readonly config: TranslationConfig;
  readonly parseBody: (body: string) => BodyParse;
  readonly invocation: Invocation;
}

function undeliveredReason(
  target: TranslationTarget,
  outcome: PushOutcome,
): UndeliveredReason | undefined {
  if (target.kind === 'user') {
    return outcome.delivered ? undefined : 'user_offline';
  }
  if (!outcome.delivered) return 'room_not_found';
  return outcome.deliveredCount === 0 ? 'room_empty' : undefined;
}

function push(
  target: TranslationTarget,
  content: PushContent,
  { runtime, invocation }: RecordContext,
): Promise<PushOutcome> {
  return target.kind === 'user'
    ? runtime.push.pushToUser({ userId: target.userId, content }, invocation)
    : runtime.push.pushToRoom({ roomId: target.roomId, content }, invocation);
}

/**
 * Validates one SQS record and pushes its translation. Never throws: an
 * invalid body is logged and rejected, a push that did not go through (the
 * client has logged it) is handed back for SQS to retry, and a push nobody
 * received is dropped or retried as the configured policy says.
 */
export async function handleTranslationRecord(
  record: SQSRecord,
  context: RecordContext,
): Promise<RecordOutcome> {
  const { logger, metrics } = context.runtime;
  const ids = {
    sqsMessageId: record.messageId,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount),
  };

  const parsed = context.parseBody(record.body);
  if (!parsed.ok) {
    logger.error('invalid translation record', {
      ...ids,
      reason: parsed.reason,
      issues: parsed.issues,
    });
    metrics.addMetric('InvalidRecords', MetricUnit.Count, 1);
    return { verdict: 'reject', kind: 'invalid' };
  }

  const { target } = parsed.result;
  const content = translationContent(parsed.result, record);
  let outcome: PushOutcome;
  try {
    outcome = await push(target, content, context);
  } catch (error) {
    if (error instanceof PushFailedError) {
      return { verdict: 'retry', kind: 'failed', reason: 'push_failed' };
    }
    logger.error('translation record failed', {
      ...ids,
      messageId: content.messageId,
      error: (error as Error).message,
    });
    return { verdict: 'retry', kind: 'failed', reason: 'unexpected_error' };
  }

  const reason = undeliveredReason(target, outcome);
  if (reason === undefined) return { verdict: 'done', kind: 'delivered' };

  const policy =
    target.kind === 'user'
      ? context.config.offlinePolicy
      : context.config.emptyRoomPolicy;
  const fields = {
    ...ids,
    messageId: content.messageId,
    target: target.kind,
    reason,
    policy,
  };
  if (policy === 'retry') {
    logger.warn('translation undelivered, handed back for retry', fields);
    return { verdict: 'retry', kind: 'failed', reason };
  }

  logger.warn('translation dropped', fields);
  metrics.addMetric('RecordsDropped', MetricUnit.Count, 1);
  return { verdict: 'done', kind: 'dropped', reason };
}
