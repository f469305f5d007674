import { randomUUID } from 'node:crypto';

export const REGION = 'eu-west-1';
export const ACCOUNT_ID = '123456789012';
export const SCHEDULE_ARN =
  `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule/default/` +
  'biz-server-dev-daily-maintenance';
export const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/biz-server-dev-weekly-notice`;

/**
 * The input EventBridge Scheduler hands the function: the schedule's `input`
 * JSON with its `<aws.scheduler.*>` placeholders filled in.
 */
export function schedulerInput(
  fields: Record<string, unknown> = {},
  attemptNumber = 1,
): Record<string, unknown> {
  return {
    message: 'Maintenance tonight from 02:00 to 02:30 UTC.',
    priority: 'high',
    metadata: { category: 'maintenance' },
    scheduleArn: SCHEDULE_ARN,
    scheduledTime: '2026-12-03T09:00:00Z',
    executionId: randomUUID().replaceAll('-', '').slice(0, 16),
    attemptNumber: String(attemptNumber),
    ...fields,
  };
}

/**
 * The "Scheduled Event" envelope of an EventBridge rule with a schedule
 * expression, whose `detail` carries the announcement input.
 */
export function scheduledEvent(
  detail: unknown,
  time = '2026-12-03T09:00:00Z',
  ruleArn = RULE_ARN,
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT_ID,
    time,
    region: REGION,
    resources: [ruleArn],
    detail,
  };
}
