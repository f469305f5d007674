import { stableMessageId } from '../message-id.js';
import type { PushContent } from '../push-types.js';
import type { Announcement } from './parse-announcement.js';

const MESSAGE_ID_PREFIX = 'announcement';

/**
 * The same id for every attempt at one scheduled occurrence: the schedule's
 * ARN and its due time. Scheduler's execution id changes on each attempt, so
 * it cannot serve. A manual invoke has no occurrence: its id comes from the
 * input itself (text, priority, room, metadata), so sending the very same
 * input twice gives the same id and clients show it once.
 */
export function announcementMessageId(announcement: Announcement): string {
  const { occurrence } = announcement;
  if (occurrence) {
    return stableMessageId(MESSAGE_ID_PREFIX, occurrence.arn, occurrence.time);
  }

  const metadata = Object.entries(announcement.metadata).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return stableMessageId(
    MESSAGE_ID_PREFIX,
    'manual',
    JSON.stringify([
      announcement.message,
      announcement.priority,
      announcement.roomId ?? null,
      metadata,
    ]),
  );
}

/**
 * The SYSTEM message for an announcement: its text as UTF-8, stamped with
 * the time the schedule was due (now for a manual invoke).
 */
export function announcementContent(announcement: Announcement): PushContent {
  const { occurrence } = announcement;
  return {
    type: 'SYSTEM',
    data: new TextEncoder().encode(announcement.message),
    timestamp: occurrence
      ? Math.floor(Date.parse(occurrence.time) / 1000)
      : undefined,
    metadata: { ...announcement.metadata, priority: announcement.priority },
    messageId: announcementMessageId(announcement),
  };
}
