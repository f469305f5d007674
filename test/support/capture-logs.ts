import { vi } from 'vitest';

/**
 * Collects the JSON lines written to stdout and stderr (Powertools logs and
 * embedded metrics) while a test runs. Call `restore` in afterEach.
 */
export function captureOutput() {
  const lines: string[] = [];
  const collect = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(collect),
    vi.spyOn(process.stderr, 'write').mockImplementation(collect),
  ];

  const records = () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

  return {
    lines,
    /** Parsed log lines (those with a `message`). */
    logs: () => records().filter((record) => 'message' in record),
    /** Parsed embedded-metric documents. */
    metrics: () => records().filter((record) => '_aws' in record),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
