import type { Writable } from 'node:stream';

export type LogLevel = 'info' | 'warn' | 'error';

// Wide enough for the longest source name, `translationResult`.
const SOURCE_WIDTH_CHARS = 18;

const COLOURS: Record<LogLevel | 'source' | 'time', string> = {
  info: '',
  warn: '\u001b[33m',
  error: '\u001b[31m',
  source: '\u001b[36m',
  time: '\u001b[2m',
};
const RESET = '\u001b[0m';

/** Readable lines for the terminal: time, where it happened, what. */
export interface StackLog {
  line(source: string, level: LogLevel, text: string): void;
  info(source: string, text: string): void;
  warn(source: string, text: string): void;
  error(source: string, text: string): void;
}

function clockTime(date: Date): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return (
    `${pad(date.getHours())}:${pad(date.getMinutes())}:` +
    `${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
  );
}

/**
 * Writes one line per event, coloured when the stream is a terminal and
 * NO_COLOR is unset.
 */
export function createTerminalLog(
  stream: Writable & { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): StackLog {
  const coloured = Boolean(stream.isTTY) && !env.NO_COLOR;
  const paint = (colour: keyof typeof COLOURS, text: string) =>
    coloured && COLOURS[colour] ? `${COLOURS[colour]}${text}${RESET}` : text;

  const line = (source: string, level: LogLevel, text: string) => {
    const label = level === 'info' ? '' : `${level.toUpperCase()} `;
    stream.write(
      `${paint('time', clockTime(new Date()))} ` +
        `${paint('source', source.padEnd(SOURCE_WIDTH_CHARS))} ` +
        `${paint(level, `${label}${text}`)}\n`,
    );
  };

  return {
    line,
    info: (source, text) => line(source, 'info', text),
    warn: (source, text) => line(source, 'warn', text),
    error: (source, text) => line(source, 'error', text),
  };
}
