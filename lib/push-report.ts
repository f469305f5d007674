import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { status } from '@grpc/grpc-js';
import { PushFailedError } from './errors.js';
import type { Observability } from './observability.js';
import type { PushOutcome } from './push-types.js';
import { grpcStatusOf } from './retry.js';

/** What is known of a push before it is sent: ids and sizes, no payload. */
export interface PushReport {
  messageId: string;
  messageType: string;
  target: 'room' | 'user' | 'broadcast';
  roomId?: string;
  userId?: string;
  dataBytes: number;
  requestId: string;
}

/** One log line and the metrics of a push that Push-Manager answered. */
export function reportOutcome(
  { logger, metrics }: Observability,
  report: PushReport,
  outcome: PushOutcome,
): void {
  const fields = {
    ...report,
    outcome: outcome.delivered ? 'delivered' : outcome.reason,
    deliveredCount: outcome.deliveredCount,
    attempts: outcome.attempts,
    latencyMs: outcome.latencyMs,
    ...(!outcome.delivered && { pushManagerMessage: outcome.message }),
  };
  if (outcome.delivered) logger.info('push delivered', fields);
  else logger.warn('push not delivered', fields);

  const name = outcome.delivered ? 'PushDelivered' : 'PushNotDelivered';
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.addMetric('DeliveredCount', MetricUnit.Count, outcome.deliveredCount);
  metrics.addMetric('PushLatency', MetricUnit.Milliseconds, outcome.latencyMs);
  metrics.addMetric('PushRetries', MetricUnit.Count, outcome.attempts - 1);
}

/** One log line and the metrics of a push that did not go through. */
export function reportFailure(
  { logger, metrics }: Observability,
  report: PushReport,
  error: unknown,
  latencyMs: number,
): void {
  const attempts = error instanceof PushFailedError ? error.attempts : 0;
  logger.error('push failed', {
    ...report,
    outcome: 'failed',
    attempts,
    latencyMs,
    grpcCode: status[grpcStatusOf(error)],
    error: (error as Error).message,
  });

  metrics.addMetric('PushFailed', MetricUnit.Count, 1);
  metrics.addMetric('PushRetries', MetricUnit.Count, Math.max(0, attempts - 1));
}
