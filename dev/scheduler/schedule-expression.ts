import { Cron } from 'croner';

// Highest value of each EventBridge cron field, for `start/step`.
const FIELD_MAX = {
  minutes: 59,
  hours: 23,
  dayOfMonth: 31,
  month: 12,
  dayOfWeek: 7,
  year: 2199,
} as const;
type Field = keyof typeof FIELD_MAX;
const FIELDS = Object.keys(FIELD_MAX) as Field[];

const RATE_UNITS_MS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** When a schedule fires next. */
export interface ScheduleTimes {
  /** The first time strictly after `after`, or undefined when none is left. */
  next(after: Date): Date | undefined;
}

/** The expression is not one EventBridge Scheduler accepts. */
export class ScheduleExpressionError extends Error {}

/** EventBridge's `N/step` means from N to the end; croner wants `N-max/step`. */
function openStep(item: string, field: Field): string {
  const [start, step] = item.split('/');
  if (step === undefined || start === '*' || start?.includes('-')) return item;
  return `${start}-${FIELD_MAX[field]}/${step}`;
}

/** EventBridge counts weekdays 1-7 from Sunday; croner 0-6. */
function shiftWeekday(item: string): string {
  return item.replace(/^(\d)(?=$|[-#L/])|(?<=-)(\d)/g, (digit) =>
    String(Number(digit) - 1),
  );
}

function croneField(text: string, field: Field): string {
  return text
    .split(',')
    .map((item) => {
      const opened = openStep(item, field);
      if (field !== 'dayOfWeek') return opened;
      // A lone `L` is the last day of the week: Saturday.
      return opened === 'L' ? 'SAT' : shiftWeekday(opened);
    })
    .join(',');
}

function cronTimes(body: string, timezone: string): ScheduleTimes {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    throw new ScheduleExpressionError(
      `cron(${body}) needs 6 fields (minutes hours day-of-month month ` +
        'day-of-week year)',
    );
  }
  const pattern = fields
    .map((text, index) => croneField(text, FIELDS[index] as Field))
    .join(' ');
  const cron = new Cron(`0 ${pattern}`, { timezone, paused: true });
  return { next: (after) => cron.nextRun(after) ?? undefined };
}

function rateTimes(body: string, since: Date): ScheduleTimes {
  const match = body.trim().match(/^(\d+)\s+(minute|hour|day)s?$/);
  const unitMs = match ? RATE_UNITS_MS[match[2] as string] : undefined;
  const count = Number(match?.[1]);
  if (!unitMs || !(count > 0)) {
    throw new ScheduleExpressionError(
      `rate(${body}) must be rate(<n> minute|minutes|hour|hours|day|days)`,
    );
  }

  const periodMs = count * unitMs;
  return {
    next: (after) => {
      const periods = Math.floor(
        (after.getTime() - since.getTime()) / periodMs,
      );
      return new Date(since.getTime() + (Math.max(periods, 0) + 1) * periodMs);
    },
  };
}

function atTimes(body: string, timezone: string): ScheduleTimes {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(body.trim())) {
    throw new ScheduleExpressionError(
      `at(${body}) must be at(yyyy-mm-ddThh:mm:ss)`,
    );
  }
  const once = new Cron(body.trim(), { timezone, paused: true });
  return { next: (after) => once.nextRun(after) ?? undefined };
}

/**
 * Reads an EventBridge Scheduler expression, `cron(...)`, `rate(...)` or
 * `at(...)`, evaluated in `timezone` (DST included); a rate counts from
 * `since`, as a schedule's rate counts from its creation.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function scheduleTimes(
  expression: string,
  timezone: string,
  since: Date,
): ScheduleTimes {
  const match = expression.trim().match(/^(cron|rate|at)\((.*)\)$/);
  if (!match) {
    throw new ScheduleExpressionError(
      `"${expression}" is not cron(...), rate(...) or at(...)`,
    );
  }
  const [, kind, body = ''] = match;
  try {
    if (kind === 'cron') return cronTimes(body, timezone);
    if (kind === 'rate') return rateTimes(body, since);
    return atTimes(body, timezone);
  } catch (error) {
    if (error instanceof ScheduleExpressionError) throw error;
    throw new ScheduleExpressionError(
      `${expression} in ${timezone}: ${(error as Error).message}`,
    );
  }
}
