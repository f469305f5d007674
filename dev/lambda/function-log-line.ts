import type { LogLevel } from '../terminal-log.js';

// Keys Powertools adds to every line; the terminal shows them once, not on
// every line.
const CONTEXT_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

const LEVELS: Record<string, LogLevel> = {
  WARN: 'warn',
  ERROR: 'error',
  CRITICAL: 'error',
};

/** One line a function wrote, made readable for the terminal. */
export interface ReadableLine {
  level: LogLevel;
  text: string;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) {
    const error = value as { name?: string; message: unknown };
    return `${error.name ?? 'Error'}: ${error.message}`;
  }
  return JSON.stringify(value);
}

function fieldsText(record: Record<string, unknown>, skip: Set<string>) {
  return Object.entries(record)
    .filter(([key]) => !skip.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`)
    .join(' ');
}

interface MetricsDocument {
  _aws: {
    CloudWatchMetrics: { Metrics: { Name: string; Unit?: string }[] }[];
  };
  [key: string]: unknown;
}

function metricsText(document: MetricsDocument): string {
  const metrics = document._aws.CloudWatchMetrics.flatMap((set) => set.Metrics);
  const values = metrics.map(({ Name, Unit }) => {
    const unit = Unit === 'Milliseconds' ? 'ms' : '';
    return `${Name}=${valueText(document[Name])}${unit}`;
  });
  return `metrics ${values.join(' ')}`;
}

/**
 * A Powertools JSON log line as `LEVEL message key=value ...`, an embedded
 * metrics document as `metrics Name=value ...`, anything else as written.
 */
export function readableLine(line: string): ReadableLine {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
  } catch {
    return { level: 'info', text: line };
  }
  if (!record || typeof record !== 'object') {
    return { level: 'info', text: line };
  }

  if ('_aws' in record) {
    return { level: 'info', text: metricsText(record as MetricsDocument) };
  }

  const level = LEVELS[String(record.level)] ?? 'info';
  const fields = fieldsText(record, CONTEXT_KEYS);
  const message = valueText(record.message ?? '');
  return { level, text: fields ? `${message} · ${fields}` : message };
}
