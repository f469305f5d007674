import * as z from '../zod.js';

/** Priorities an announcement may carry; sent as the `priority` metadata. */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DEFAULT_PRIORITY: Priority = 'normal';

// Keys the function sets itself; an input that also sets them is ambiguous.
const RESERVED_METADATA_KEYS = ['priority', 'message_id'];

const SCHEDULER_PLACEHOLDER = /^<aws\.scheduler\.[a-z-]+>$/;

const UNFILLED_PLACEHOLDER_MESSAGE =
  'is an unfilled <aws.scheduler.*> placeholder: only EventBridge ' +
  'Scheduler fills it in; leave it out for a manual invoke';

const nonBlank = z
  .string()
  .check(z.refine((value) => value.trim() !== '', 'must not be blank'));

const notPlaceholder = z.refine<string>(
  (value) => !SCHEDULER_PLACEHOLDER.test(value),
  UNFILLED_PLACEHOLDER_MESSAGE,
);

const sourceArn = z.string().check(
  notPlaceholder,
  z.refine(
    (value) => /^arn:[\w-]+:(scheduler|events):/.test(value),
    'must be the ARN of a schedule or rule (arn:aws:scheduler:...)',
  ),
);

const scheduledTime = z.pipe(
  z.string().check(notPlaceholder),
  z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 time such as 2026-12-03T09:00:00Z',
  }),
);

const metadata = z
  .record(z.string().check(z.minLength(1)), z.string())
  .check(
    z.refine(
      (map) => !RESERVED_METADATA_KEYS.some((key) => key in map),
      `must not set ${RESERVED_METADATA_KEYS.join(' or ')}: the function sets them`,
    ),
  );

/**
 * The JSON a schedule hands the function. Unknown keys are refused, so a
 * misspelt `roomId` fails loudly instead of broadcasting to everyone.
 */
export const announcementInputSchema = z.strictObject({
  /** The text pushed, UTF-8 encoded. */
  message: nonBlank,
  /** Default `normal`. */
  priority: z._default(z.enum(PRIORITIES), DEFAULT_PRIORITY),
  /** Pushes to this room only; a broadcast when absent. */
  roomId: z.optional(nonBlank),
  /** Extra metadata for clients, merged with `priority`. */
  metadata: z.optional(metadata),
  /** `<aws.scheduler.schedule-arn>`, filled in by EventBridge Scheduler. */
  scheduleArn: z.optional(sourceArn),
  /** `<aws.scheduler.scheduled-time>`, filled in by EventBridge Scheduler. */
  scheduledTime: z.optional(scheduledTime),
  /** `<aws.scheduler.execution-id>`; logged when present, never in the id. */
  executionId: z.optional(z.string()),
  /** `<aws.scheduler.attempt-number>`; logged when present. */
  attemptNumber: z.optional(z.union([z.string(), z.number()])),
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
  resources: z.array(z.string()).check(z.minLength(1)),
  detail: z.unknown(),
});
