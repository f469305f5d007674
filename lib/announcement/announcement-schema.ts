import { z } from 'zod';

/** Priorities an announcement may carry; sent as the `priority` metadata. */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DEFAULT_PRIORITY: Priority = 'normal';

// Keys the function sets itself; an input that also sets them is ambiguous.
const RESERVED_METADATA_KEYS = ['priority', 'message_id'];

const SCHEDULER_PLACEHOLDER = /^<aws\.scheduler\.[a-z-]+>$/;

const nonBlank = z
  .string()
  .refine((value) => value.trim() !== '', 'must not be blank');

const sourceArn = z
  .string()
  .refine(
    (value) => !SCHEDULER_PLACEHOLDER.test(value),
    'is an unfilled <aws.scheduler.*> placeholder: only EventBridge ' +
      'Scheduler fills it in; leave it out for a manual invoke',
  )
  .refine(
    (value) => /^arn:[\w-]+:(scheduler|events):/.test(value),
    'must be the ARN of a schedule or rule (arn:aws:scheduler:...)',
  );

const scheduledTime = z
  .string()
  .refine(
    (value) => !SCHEDULER_PLACEHOLDER.test(value),
    'is an unfilled <aws.scheduler.*> placeholder: only EventBridge ' +
      'Scheduler fills it in; leave it out for a manual invoke',
  )
  .pipe(
    z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 time such as 2026-12-03T09:00:00Z',
    }),
  );

const metadata = z
  .record(z.string().min(1), z.string())
  .refine(
    (map) => !RESERVED_METADATA_KEYS.some((key) => key in map),
    `must not set ${RESERVED_METADATA_KEYS.join(' or ')}: the function sets them`,
  );

/**
 * The JSON a schedule hands the function. Unknown keys are refused, so a
 * misspelt `roomId` fails loudly instead of broadcasting to everyone.
 */
export const announcementInputSchema = z.strictObject({
  /** The text pushed, UTF-8 encoded. */
  message: nonBlank,
  /** Default `normal`. */
  priority: z.enum(PRIORITIES).default(DEFAULT_PRIORITY),
  /** Pushes to this room only; a broadcast when absent. */
  roomId: nonBlank.optional(),
  /** Extra metadata for clients, merged with `priority`. */
  metadata: metadata.optional(),
  /** `<aws.scheduler.schedule-arn>`, filled in by EventBridge Scheduler. */
  scheduleArn: sourceArn.optional(),
  /** `<aws.scheduler.scheduled-time>`, filled in by EventBridge Scheduler. */
  scheduledTime: scheduledTime.optional(),
  /** `<aws.scheduler.execution-id>`; logged when present, never in the id. */
  executionId: z.string().optional(),
  /** `<aws.scheduler.attempt-number>`; logged when present. */
  attemptNumber: z.union([z.string(), z.number()]).optional(),
});

export type AnnouncementInput = z.output<typeof announcementInputSchema>;

/**
 * The envelope of an EventBridge rule's "Scheduled Event"; `detail` holds
 * the announcement input.
 */
export const scheduledEventSchema = z.object({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  time: scheduledTime,
  resources: z.array(z.string()).min(1),
  detail: z.unknown(),
});
