import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { InvalidEventError } from '../errors.js';
import type { FunctionRuntime } from '../function-runtime.js';
import { invocationOf } from '../invocation.js';
import type { NotDeliveredReason } from '../push-types.js';
import { announcementContent } from './announcement-content.js';
import { type Announcement, parseAnnouncement } from './parse-announcement.js';

/** What one invocation did; the async invocation's success record. */
export interface AnnouncementResult {
  messageId: string;
  target: 'broadcast' | 'room';
  roomId?: string;
  delivered: boolean;
  deliveredCount: number;
  /** Why Push-Manager answered `success = false`. */
  reason?: NotDeliveredReason;
}

export type AnnouncementHandler = (
  event: unknown,
  context: Context,
) => Promise<AnnouncementResult>;

// Only ids and labels: the raw event may hold the text, which is not logged.
function identifyRawEvent(event: unknown): Record<string, string> {
  if (typeof event !== 'object' || event === null) return {};
  const raw = event as Record<string, unknown>;
  const detail = (raw.detail ?? {}) as Record<string, unknown>;
  const resources = Array.isArray(raw.resources) ? raw.resources : [];
  const scheduleArn = raw.scheduleArn ?? detail.scheduleArn ?? resources[0];
  const scheduledTime = raw.scheduledTime ?? detail.scheduledTime ?? raw.time;
  return {
    ...(typeof scheduleArn === 'string' && { scheduleArn }),
    ...(typeof scheduledTime === 'string' && { scheduledTime }),
  };
}

function logKeys(announcement: Announcement): Record<string, string> {
  const { occurrence, executionId, attemptNumber } = announcement;
  return {
    announcementSource: announcement.source,
    priority: announcement.priority,
    ...(occurrence && {
      scheduleArn: occurrence.arn,
      scheduledTime: occurrence.time,
    }),
    ...(executionId && { schedulerExecutionId: executionId }),
    ...(attemptNumber && { schedulerAttempt: attemptNumber }),
  };
}

/**
 * Builds the `announcement` handler: one SYSTEM push per invocation, a
 * broadcast or a push to `roomId`.
 *
 * - Invalid input: logged with the reason, counted as `InvalidEvent`, and
 *   thrown (InvalidEventError), so Lambda parks the event in the
 *   on-failure destination after its retries.
 * - A push that did not go through (PushFailedError) is thrown, so Lambda
 *   retries the invocation with the same message id.
 * - `success = false` (nobody to broadcast to, or no such room) is a final
 *   answer: the push client has logged it and counted `PushNotDelivered`;
 *   the invocation succeeds, as retrying cannot change it.
 */
export function createAnnouncementHandler(
  runtime: FunctionRuntime,
): AnnouncementHandler {
  const { logger, metrics, push } = runtime;
  metrics.setDefaultDimensions({ messageType: 'SYSTEM' });

  function parse(event: unknown): Announcement {
    try {
      return parseAnnouncement(event);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      logger.error('announcement rejected', {
        ...identifyRawEvent(event),
        reason: error.message,
      });
      metrics.addMetric('InvalidEvent', MetricUnit.Count, 1);
      throw error;
    }
  }

  return async (event, context) => {
    logger.addContext(context);
    try {
      const announcement = parse(event);
      logger.appendKeys(logKeys(announcement));

      const content = announcementContent(announcement);
      const invocation = invocationOf(context, runtime.env);
      const { roomId } = announcement;
      const outcome = roomId
        ? await push.pushToRoom({ roomId, content }, invocation)
        : await push.broadcast({ content }, invocation);

      return {
        messageId: content.messageId,
        target: roomId ? 'room' : 'broadcast',
        ...(roomId && { roomId }),
        delivered: outcome.delivered,
        deliveredCount: outcome.deliveredCount,
        ...(!outcome.delivered && { reason: outcome.reason }),
      };
    } finally {
      logger.resetKeys();
      metrics.publishStoredMetrics();
    }
  };
}
