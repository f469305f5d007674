import { randomUUID } from 'node:crypto';
import type { Schedule } from '../lambda/service-template.js';
import type { StackLog } from '../terminal-log.js';
import { scheduleTimes } from './schedule-expression.js';

// setTimeout cannot wait longer than 2^31-1 ms; a later time is re-armed.
const MAX_TIMER_MS = 2_147_483_647;
const ACCOUNT_ID = '000000000000';

/** Hands a schedule's input to its target, as Scheduler invokes Lambda. */
export type ScheduleTarget = (
  schedule: Schedule,
  input: unknown,
  summary: string,
) => void;

/** What the viewer and the terminal show of an armed schedule. */
export interface ScheduleState {
  name: string;
  expression: string;
  timezone: string;
  enabled: boolean;
  next?: string;
}

export interface LocalSchedulerOptions {
  schedules: Schedule[];
  region: string;
  target: ScheduleTarget;
  log: StackLog;
  now?: () => Date;
}

/** The schedule's ARN, as `<aws.scheduler.schedule-arn>` is filled in. */
export function scheduleArn(region: string, name: string): string {
  return `arn:aws:scheduler:${region}:${ACCOUNT_ID}:schedule/default/${name}`;
}

/**
 * A schedule's input with Scheduler's context attributes filled in, as in
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/
 * managing-schedule-context-attributes.html. Scheduled time is in UTC
 * without milliseconds, as Scheduler writes it.
 */
export function fillInput(
  input: string,
  arn: string,
  scheduledAt: Date,
  attempt = 1,
): unknown {
  const values: Record<string, string> = {
    'schedule-arn': arn,
    'scheduled-time': `${scheduledAt.toISOString().slice(0, 19)}Z`,
    'execution-id': randomUUID(),
    'attempt-number': String(attempt),
  };
  const filled = input.replace(
    /<aws\.scheduler\.([a-z-]+)>/g,
    (placeholder, name: string) => values[name] ?? placeholder,
  );
  try {
    return JSON.parse(filled);
  } catch {
    return filled;
  }
}

/**
 * Fires the service's schedules at their times in their time zones, and
 * on demand. Disabled schedules are listed but not armed.
 */
export class LocalScheduler {
  readonly #options: LocalSchedulerOptions;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #next = new Map<string, Date>();
  readonly #startedAt: Date;

  constructor(options: LocalSchedulerOptions) {
    this.#options = options;
    this.#startedAt = this.#now();
  }

  /** Arms every enabled schedule and logs when each fires next. */
  start(): void {
    for (const schedule of this.#options.schedules) {
      if (!schedule.enabled) {
        this.#options.log.info(
          'scheduler',
          `${schedule.name}: ${schedule.expression} is disabled in this stage`,
        );
        continue;
      }
      this.#arm(schedule, this.#now());
    }
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  list(): ScheduleState[] {
    return this.#options.schedules.map((schedule) => ({
      name: schedule.name,
      expression: schedule.expression,
      timezone: schedule.timezone,
      enabled: schedule.enabled,
      next: this.#next.get(schedule.name)?.toISOString(),
    }));
  }

  /**
   * Fires a schedule now, as if it were due now; disabled ones too.
   * Returns false for a name the service does not declare.
   */
  fireNow(name: string): boolean {
    const schedule = this.#options.schedules.find(
      (s) => s.name === name || s.logicalId === name || s.name.endsWith(name),
    );
    if (!schedule) return false;

    this.#fire(schedule, this.#now(), 'fired on demand');
    return true;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #arm(schedule: Schedule, after: Date): void {
    const times = scheduleTimes(
      schedule.expression,
      schedule.timezone,
      this.#startedAt,
    );
    const due = times.next(after);
    if (!due) {
      this.#next.delete(schedule.name);
      this.#options.log.info('scheduler', `${schedule.name}: no time left`);
      return;
    }

    this.#next.set(schedule.name, due);
    this.#options.log.info(
      'scheduler',
      `${schedule.name}: ${schedule.expression} ${schedule.timezone}, ` +
        `next at ${due.toISOString()}`,
    );
    this.#wait(schedule, due);
  }

  #wait(schedule: Schedule, due: Date): void {
    const delayMs = due.getTime() - this.#now().getTime();
    const timer = setTimeout(
      () => {
        if (due.getTime() > this.#now().getTime()) {
          this.#wait(schedule, due);
          return;
        }
        this.#fire(schedule, due, 'due');
        this.#arm(schedule, due);
      },
      Math.min(Math.max(delayMs, 0), MAX_TIMER_MS),
    );
    timer.unref();
    this.#timers.set(schedule.name, timer);
  }

  #fire(schedule: Schedule, scheduledAt: Date, why: string): void {
    const arn = scheduleArn(this.#options.region, schedule.name);
    const input = fillInput(schedule.input ?? '{}', arn, scheduledAt);
    this.#options.target(
      schedule,
      input,
      `schedule ${schedule.name} ${why} (${scheduledAt.toISOString()})`,
    );
  }
}
