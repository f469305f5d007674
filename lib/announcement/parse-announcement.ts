import { InvalidEventError } from '../errors.js';
import type * as z from '../zod.js';
import {
  type AnnouncementInput,
  announcementInputSchema,
  type Priority,
  scheduledEventSchema,
} from './announcement-schema.js';

/** How the announcement reached the function. */
export type AnnouncementSource = 'scheduler' | 'scheduled-event' | 'manual';

/** Which schedule fired, and for which time. */
export interface ScheduleOccurrence {
  /** The schedule's (or rule's) ARN. */
  readonly arn: string;
  /** The time the schedule was due, as ISO 8601. */
  readonly time: string;
}

/** A validated announcement, whatever shape it arrived in. */
export interface Announcement {
  readonly message: string;
  readonly priority: Priority;
  readonly roomId?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly source: AnnouncementSource;
  /** Absent for a manual invoke. */
  readonly occurrence?: ScheduleOccurrence;
  readonly executionId?: string;
  readonly attemptNumber?: string;
}

function describeIssues(error: z.core.$ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean);
      return `${path.length > 0 ? path.join('.') : 'input'}: ${issue.message}`;
    })
    .join('; ');
}

function invalid(reason: string): InvalidEventError {
  return new InvalidEventError(
    `Announcement input is invalid (${reason}). Fix the schedule's input; ` +
      'the README lists the accepted fields.',
  );
}

function parseInput(value: unknown, prefix = ''): AnnouncementInput {
  const parsed = announcementInputSchema.safeParse(value);
  if (!parsed.success) throw invalid(describeIssues(parsed.error, prefix));
  return parsed.data;
}

function toAnnouncement(
  input: AnnouncementInput,
  source: AnnouncementSource,
  occurrence: ScheduleOccurrence | undefined,
): Announcement {
  return {
    message: input.message,
    priority: input.priority,
    roomId: input.roomId,
    metadata: input.metadata ?? {},
    source,
    occurrence,
    executionId: input.executionId,
    attemptNumber:
      input.attemptNumber === undefined
        ? undefined
        : String(input.attemptNumber),
  };
}

function fromScheduledEvent(event: object): Announcement {
  const envelope = scheduledEventSchema.safeParse(event);
  if (!envelope.success) throw invalid(describeIssues(envelope.error));

  const input = parseInput(envelope.data.detail, 'detail');
  const occurrence = {
    arn: input.scheduleArn ?? (envelope.data.resources[0] as string),
    time: input.scheduledTime ?? envelope.data.time,
  };
  return toAnnouncement(input, 'scheduled-event', occurrence);
}

function fromSchedulerInput(event: unknown): Announcement {
  const input = parseInput(event);
  const { scheduleArn, scheduledTime } = input;
  if ((scheduleArn === undefined) !== (scheduledTime === undefined)) {
    throw invalid(
      'scheduleArn and scheduledTime go together: set both from the ' +
        '<aws.scheduler.*> placeholders, or neither for a manual invoke',
    );
  }

  if (scheduleArn === undefined || scheduledTime === undefined) {
    return toAnnouncement(input, 'manual', undefined);
  }
  return toAnnouncement(input, 'scheduler', {
    arn: scheduleArn,
    time: scheduledTime,
  });
}

/**
 * Validates what EventBridge handed the function: a schedule's input JSON
 * (EventBridge Scheduler), or a rule's "Scheduled Event" whose `detail` is
 * that input. Throws InvalidEventError naming every field at fault; the
 * message text never appears in the error.
 */
export function parseAnnouncement(event: unknown): Announcement {
  if (typeof event === 'object' && event !== null && 'detail-type' in event) {
    return fromScheduledEvent(event);
  }
  return fromSchedulerInput(event);
}
