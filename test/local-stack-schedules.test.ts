import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../dev/lambda/service-template.js';
import { fillInput, LocalScheduler } from '../dev/scheduler/local-scheduler.js';
import {
  ScheduleExpressionError,
  scheduleTimes,
} from '../dev/scheduler/schedule-expression.js';
import { createTerminalLog } from '../dev/terminal-log.js';

const NOW = new Date('2026-12-03T17:31:00Z'); // a Thursday

function next(expression: string, timezone = 'UTC', after = NOW) {
  return scheduleTimes(expression, timezone, NOW).next(after)?.toISOString();
}

describe('EventBridge Scheduler expressions', () => {
  it.each([
    ['cron(0 18 * * ? *)', 'Europe/Berlin', '2026-12-04T17:00:00.000Z'],
    ['cron(0 9 * * ? *)', 'America/New_York', '2026-12-04T14:00:00.000Z'],
    ['cron(0 17 ? * FRI *)', 'Europe/Berlin', '2026-12-04T16:00:00.000Z'],
    ['cron(0 17 ? * 6 *)', 'Europe/Berlin', '2026-12-04T16:00:00.000Z'],
    ['cron(0 17 ? * 6L *)', 'UTC', '2026-12-25T17:00:00.000Z'],
    ['cron(0 8 ? * 2#1 *)', 'UTC', '2026-12-07T08:00:00.000Z'],
    ['cron(0 8 ? * L *)', 'UTC', '2026-12-05T08:00:00.000Z'],
    ['cron(0/15 * * * ? *)', 'UTC', '2026-12-03T17:45:00.000Z'],
    ['cron(0 12 1 1 ? 2030)', 'UTC', '2030-01-01T12:00:00.000Z'],
    ['cron(0 9 L * ? *)', 'UTC', '2026-12-31T09:00:00.000Z'],
    ['at(2027-01-01T09:00:00)', 'Asia/Tokyo', '2027-01-01T00:00:00.000Z'],
  ])('%s in %s fires next at %s', (expression, timezone, expected) => {
    expect(next(expression, timezone)).toBe(expected);
  });

  it('follows the time zone into summer time', () => {
    const summer = new Date('2027-07-01T00:00:00Z');

    expect(next('cron(0 18 * * ? *)', 'Europe/Berlin', summer)).toBe(
      '2027-07-01T16:00:00.000Z',
    );
  });

  it('counts a rate from when the schedule was created', () => {
    const sevenMinutesOn = new Date(NOW.getTime() + 7 * 60_000);

    expect(next('rate(5 minutes)', 'UTC', sevenMinutesOn)).toBe(
      '2026-12-03T17:41:00.000Z',
    );
    expect(next('rate(1 day)')).toBe('2026-12-04T17:31:00.000Z');
  });

  it('has nothing left once a one-time schedule is past', () => {
    expect(next('at(2026-01-01T00:00:00)', 'UTC')).toBeUndefined();
  });

  it.each([
    'cron(0 18 * * ?)',
    'rate(0 minutes)',
    'rate(5 weeks)',
    'at(tomorrow)',
    'every day at six',
  ])('refuses %s', (expression) => {
    expect(() => scheduleTimes(expression, 'UTC', NOW)).toThrow(
      ScheduleExpressionError,
    );
  });
});

describe('LocalScheduler', () => {
  const fired: { name: string; input: unknown }[] = [];
  let scheduler: LocalScheduler | undefined;
  const log = createTerminalLog(
    new Writable({ write: (_chunk, _encoding, done) => done() }),
    {},
  );

  function schedule(name: string, expression: string): Schedule {
    return {
      logicalId: `Schedule${name}`,
      name: `biz-server-local-${name}`,
      expression,
      timezone: 'UTC',
      enabled: true,
      input:
        '{"message": "Hello", "scheduleArn": "<aws.scheduler.schedule-arn>",' +
        ' "scheduledTime": "<aws.scheduler.scheduled-time>"}',
      functionLogicalId: 'AnnouncementLambdaFunction',
      maximumRetryAttempts: 10,
    };
  }

  function startScheduler(schedules: Schedule[]) {
    scheduler = new LocalScheduler({
      schedules,
      region: 'eu-west-1',
      log,
      target: (s, input) => fired.push({ name: s.name, input }),
    });
    scheduler.start();
    return scheduler;
  }

  afterEach(() => {
    scheduler?.stop();
    fired.splice(0);
  });

  it('fills in the schedule ARN and the time it was due', () => {
    const input = fillInput(
      '{"arn": "<aws.scheduler.schedule-arn>", ' +
        '"at": "<aws.scheduler.scheduled-time>", ' +
        '"attempt": "<aws.scheduler.attempt-number>"}',
      'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/daily',
      new Date('2026-12-04T17:00:00.123Z'),
    );

    expect(input).toEqual({
      arn: 'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/daily',
      at: '2026-12-04T17:00:00Z',
      attempt: '1',
    });
  });

  it('fires a schedule when it is due', async () => {
    const dueAt = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    const at = dueAt.toISOString().slice(0, 19);

    startScheduler([schedule('soon', `at(${at})`)]);

    await expect.poll(() => fired.length, { timeout: 5000 }).toBe(1);
    expect(fired[0]).toEqual({
      name: 'biz-server-local-soon',
      input: {
        message: 'Hello',
        scheduleArn:
          'arn:aws:scheduler:eu-west-1:000000000000:schedule/default/' +
          'biz-server-local-soon',
        scheduledTime: `${at}Z`,
      },
    });
  });

  it('fires a schedule on demand by its short name', () => {
    const local = startScheduler([
      schedule('daily-maintenance', 'cron(0 18 * * ? *)'),
    ]);

    expect(local.fireNow('daily-maintenance')).toBe(true);
    expect(local.fireNow('no-such-schedule')).toBe(false);
    expect(fired.map((f) => f.name)).toEqual([
      'biz-server-local-daily-maintenance',
    ]);
    expect(local.list()[0]?.next).toMatch(/T18:00:00\.000Z$/);
  });
});
